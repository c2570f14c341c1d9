"""Writes of the incentives app: entitlements, revocations and the payment workflow."""

from incentives.services.entitlements import (
    compute_entitlements_for_recognition,
    compute_entitlements_for_recognitions,
    compute_entitlements_for_rules,
    record_reward_event,
)
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
    on_recognition_revoked,
    on_recognitions_granted,
    sync_revocations,
)

__all__ = [
    "allowed_transitions",
    "apply_revocation",
    "approve_share",
    "compute_entitlements_for_recognition",
    "compute_entitlements_for_recognitions",
    "compute_entitlements_for_rules",
    "hold_share",
    "on_recognition_revoked",
    "on_recognitions_granted",
    "record_clawback",
    "record_payment",
    "record_reward_event",
    "release_share",
    "sync_revocations",
]
