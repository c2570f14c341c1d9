"""Who may see and move reward money."""

from incentives.models import EntitlementShare, RewardRule
from portal.models import Region, User


def _in_scope(user: User, region: Region) -> bool:
    path = user.scope_path
    return path is not None and region.path.startswith(path)


def is_finance_user(user: User) -> bool:
    """Staff of a finance department (市财政局, 区财政局, 省财政厅) act for the government level that pays."""
    return bool(
        user.is_authenticated and not user.is_admin and user.department is not None and "财政" in user.department.name
    )


def funder_region_id_of(user: User) -> int | None:
    """The funder a finance user acts for: the region of their finance department."""
    if not is_finance_user(user) or user.department is None:
        return None
    return user.department.region_id


def can_view_incentives(user: User) -> bool:
    """Bureau staff (finance included), leaders and administrators read rewards; liaisons do not."""
    return user.is_authenticated and (user.is_admin or user.is_staff_member or user.is_leader)


def can_pay_share(user: User, share: EntitlementShare) -> bool:
    """Finance staff of the funder that owes the share approve, hold, pay and claw it back; so do administrators.

    Nobody else moves money, not even the beneficiary's own bureau.
    """
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return is_finance_user(user) and share.funder_region_id == funder_region_id_of(user)


def can_record_reward_event(user: User, region: Region | None = None) -> bool:
    """Bureau staff and administrators record 升规, 500强, platform and project events in their region."""
    if not (user.is_authenticated and (user.is_admin or user.is_staff_member)):
        return False
    return region is None or _in_scope(user, region)


def can_export_incentives(user: User) -> bool:
    """Whoever reads rewards may export what they can read."""
    return can_view_incentives(user)


def can_set_allocation(user: User, funder_region: Region) -> bool:
    """Finance staff set their own funder's allocations; administrators those of any funder in their scope."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return _in_scope(user, funder_region)
    return is_finance_user(user) and funder_region.pk == funder_region_id_of(user)


def can_decide_rule_funding(user: User, rule: RewardRule) -> bool:
    """The finance department of the rule's own government (市财政局 for a city's policy) confirms who pays
    and sets the tranches; so do administrators whose scope covers the rule."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return _in_scope(user, rule.region)
    return is_finance_user(user) and rule.region_id == funder_region_id_of(user)
