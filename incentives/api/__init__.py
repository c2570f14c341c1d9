"""Rewards over REST, with the same scope as the pages: finance staff see only their funder's shares.

One module a resource: rules, entitlements, shares (and their payment workflow), budget (and the forecast) and
events; access holds the reader check they share. Budget planning (allocations, a rule's funders and tranches) is
incentives.budget_api.
"""

from incentives.api.budget import BudgetRowSerializer, BudgetView, ForecastView
from incentives.api.entitlements import (
    FILTERS,
    EntitlementDetailSerializer,
    EntitlementDetailView,
    EntitlementListView,
    EntitlementSerializer,
)
from incentives.api.events import RewardEventCreateView, RewardEventInputSerializer
from incentives.api.rules import FunderSerializer, RuleListView, RuleSerializer
from incentives.api.shares import (
    ApproveSerializer,
    ClawbackInputSerializer,
    HoldSerializer,
    PaymentInputSerializer,
    PaymentSerializer,
    ReleaseSerializer,
    ShareApproveView,
    ShareClawbackView,
    ShareDetailSerializer,
    ShareHoldView,
    SharePaymentView,
    ShareReleaseView,
    ShareSerializer,
)

__all__ = [
    "FILTERS",
    "ApproveSerializer",
    "BudgetRowSerializer",
    "BudgetView",
    "ClawbackInputSerializer",
    "EntitlementDetailSerializer",
    "EntitlementDetailView",
    "EntitlementListView",
    "EntitlementSerializer",
    "ForecastView",
    "FunderSerializer",
    "HoldSerializer",
    "PaymentInputSerializer",
    "PaymentSerializer",
    "ReleaseSerializer",
    "RewardEventCreateView",
    "RewardEventInputSerializer",
    "RuleListView",
    "RuleSerializer",
    "ShareApproveView",
    "ShareClawbackView",
    "ShareDetailSerializer",
    "ShareHoldView",
    "SharePaymentView",
    "ShareReleaseView",
    "ShareSerializer",
]
