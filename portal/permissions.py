"""Who may do what on the site itself. Each rule is one predicate."""

from portal.models import User


def can_manage_users(user: User) -> bool:
    """Only system administrators manage users."""
    return user.is_authenticated and user.is_admin


def can_view_audit_log(user: User) -> bool:
    """System administrators and leaders read the audit log of their scope."""
    return user.is_authenticated and (user.is_admin or user.is_leader)
