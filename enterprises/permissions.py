"""Who may read and change the enterprise register."""

from enterprises.models import Enterprise
from portal.models import Region, User


def _in_scope(user: User, region: Region) -> bool:
    path = user.scope_path
    return path is not None and region.path.startswith(path)


def can_view_enterprises(user: User) -> bool:
    """Bureau staff, leaders and administrators read the register of their scope."""
    return user.is_authenticated and (user.is_admin or user.is_staff_member or user.is_leader)


def can_view_enterprise(user: User, enterprise: Enterprise) -> bool:
    """Readers of the register see an enterprise of their region or below it."""
    return can_view_enterprises(user) and _in_scope(user, enterprise.region)


def can_create_enterprise(user: User, region: Region | None = None) -> bool:
    """Bureau staff and administrators add enterprises to regions in their scope."""
    if not (user.is_authenticated and (user.is_admin or user.is_staff_member)):
        return False
    return region is None or _in_scope(user, region)


def can_edit_enterprise(user: User, enterprise: Enterprise) -> bool:
    """Bureau staff and administrators edit the enterprises of their scope; leaders only read."""
    return can_create_enterprise(user) and _in_scope(user, enterprise.region)


def can_export_enterprises(user: User) -> bool:
    """Whoever may read the register may export what they can read."""
    return can_view_enterprises(user)


def can_import_rosters(user: User) -> bool:
    """Only system administrators bring in Excel rosters."""
    return user.is_authenticated and user.is_admin


def can_record_recognition(user: User, enterprise: Enterprise) -> bool:
    """Whoever may edit an enterprise records by hand the recognitions it was granted
    (a certificate handed in, a published list); grants through applications come later."""
    return can_edit_enterprise(user, enterprise)
