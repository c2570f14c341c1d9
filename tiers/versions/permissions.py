"""Who may compare criteria versions and evaluate drafts."""

from portal.models import User
from tiers.permissions import can_view_eligibility


def can_compare_criteria_sets(user: User) -> bool:
    """Readers of eligibility (staff, leaders, administrators) compare versions over the register of their scope."""
    return can_view_eligibility(user)


def can_evaluate_draft_criteria(user: User) -> bool:
    """Only system administrators try out edited thresholds before a set takes effect."""
    return user.is_authenticated and user.is_admin
