"""Reward rules of the policy documents, what each beneficiary is owed under them, and what was paid.

Money is in 万元 throughout, as the documents and the bureaus' sheets count it.
"""

from incentives.models.allocations import FundAllocation
from incentives.models.entitlements import Entitlement, recipient_body
from incentives.models.events import RewardEvent
from incentives.models.payments import EntitlementShare, Payment, ShareStatus
from incentives.models.rules import FunderLevel, RewardFunder, RewardRule, Trigger

__all__ = [
    "Entitlement",
    "EntitlementShare",
    "FundAllocation",
    "FunderLevel",
    "Payment",
    "RewardEvent",
    "RewardFunder",
    "RewardRule",
    "ShareStatus",
    "Trigger",
    "recipient_body",
]
