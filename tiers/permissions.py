"""Who may read eligibility and work the cultivation pool."""

from enterprises.models import Enterprise
from enterprises.permissions import can_view_enterprise, can_view_enterprises
from portal.models import User
from tiers.models import PoolEntry


def _in_scope(user: User, region) -> bool:
    path = user.scope_path
    return path is not None and region.path.startswith(path)


def can_view_eligibility(user: User) -> bool:
    """Readers of the register (staff, leaders, administrators) see eligibility and the pool of their scope."""
    return can_view_enterprises(user)


def can_view_ladder(user: User, enterprise: Enterprise) -> bool:
    """Whoever may read an enterprise may read its ladder page, the self-assessment from the register."""
    return can_view_enterprise(user, enterprise)


def can_manage_pool(user: User, enterprise: Enterprise) -> bool:
    """Bureau staff and administrators put the enterprises of their scope in a pool and move them; leaders only read."""
    return user.is_authenticated and (user.is_admin or user.is_staff_member) and _in_scope(user, enterprise.region)


def can_change_pool_entry(user: User, entry: PoolEntry) -> bool:
    """The same people may change an entry that has not left the pool."""
    return entry.left_at is None and can_manage_pool(user, entry.enterprise)


def can_assess_enterprise(user: User, enterprise: Enterprise) -> bool:
    """Bureau staff and administrators confirm the manual criteria of the enterprises of their scope."""
    return can_manage_pool(user, enterprise)


def can_recompute(user: User) -> bool:
    """Only administrators start a full recomputation by hand; the nightly job does it anyway."""
    return user.is_authenticated and user.is_admin
