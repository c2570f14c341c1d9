"""Writes of the incentives app: loading the reward rules, entitlements, revocations, the payment workflow, funders
and budgets."""

from incentives.services.allocations import AllocationImportRefused, import_allocations, set_allocation
from incentives.services.caps import on_enterprises_changed, settle_data_caps
from incentives.services.entitlements import (
    compute_entitlements_for_periods,
    compute_entitlements_for_recognition,
    compute_entitlements_for_recognitions,
    compute_entitlements_for_rules,
    record_reward_event,
)
from incentives.services.funding import confirm_rule_funders, set_rule_tranches
from incentives.services.payments import (
    allowed_transitions,
    approve_share,
    hold_share,
    record_clawback,
    record_payment,
    release_share,
)
from incentives.services.revocations import (
    apply_revocation,
    end_entitlements,
    on_above_scale_entered,
    on_recognition_revoked,
    on_recognitions_granted,
    sync_revocations,
)
from incentives.services.rule_loader import load_reward_rules

__all__ = [
    "AllocationImportRefused",
    "allowed_transitions",
    "apply_revocation",
    "approve_share",
    "compute_entitlements_for_periods",
    "compute_entitlements_for_recognition",
    "compute_entitlements_for_recognitions",
    "compute_entitlements_for_rules",
    "confirm_rule_funders",
    "end_entitlements",
    "hold_share",
    "import_allocations",
    "load_reward_rules",
    "on_above_scale_entered",
    "on_enterprises_changed",
    "on_recognition_revoked",
    "on_recognitions_granted",
    "record_clawback",
    "record_payment",
    "record_reward_event",
    "release_share",
    "set_allocation",
    "set_rule_tranches",
    "settle_data_caps",
    "sync_revocations",
]
