"""Who may do what on the site itself. Each rule is one predicate."""

from portal.models import Region, User


def can_view_region(user: User, region: Region) -> bool:
    """Anyone may see their own region and the regions below it."""
    path = user.scope_path
    return path is not None and region.path.startswith(path)


def can_manage_users(user: User) -> bool:
    """Only system administrators manage users."""
    return user.is_authenticated and user.is_admin


def can_view_audit_log(user: User) -> bool:
    """System administrators and leaders read the audit log of their scope."""
    return user.is_authenticated and (user.is_admin or user.is_leader)


def can_view_job(user: User, job) -> bool:
    """A job's progress is visible to whoever started it, and to administrators."""
    return user.is_admin or job.created_by_id == user.pk
