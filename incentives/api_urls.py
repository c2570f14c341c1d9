from django.urls import path

from incentives import budget_api
from incentives.api import budget, entitlements, events, rules, shares

urlpatterns = [
    path("incentives/rules/", rules.RuleListView.as_view(), name="api-incentive-rules"),
    path("incentives/entitlements/", entitlements.EntitlementListView.as_view(), name="api-entitlements"),
    path("incentives/entitlements/<int:pk>/", entitlements.EntitlementDetailView.as_view(), name="api-entitlement"),
    path("incentives/shares/<int:pk>/approve/", shares.ShareApproveView.as_view(), name="api-share-approve"),
    path("incentives/shares/<int:pk>/payments/", shares.SharePaymentView.as_view(), name="api-share-payments"),
    path("incentives/shares/<int:pk>/hold/", shares.ShareHoldView.as_view(), name="api-share-hold"),
    path("incentives/shares/<int:pk>/release/", shares.ShareReleaseView.as_view(), name="api-share-release"),
    path("incentives/shares/<int:pk>/clawbacks/", shares.ShareClawbackView.as_view(), name="api-share-clawbacks"),
    path("incentives/budget/", budget.BudgetView.as_view(), name="api-incentive-budget"),
    path("incentives/allocations/", budget_api.AllocationListView.as_view(), name="api-allocations"),
    path("incentives/allocations/import/", budget_api.AllocationImportView.as_view(), name="api-allocations-import"),
    path("incentives/rules/<int:pk>/funders/", budget_api.RuleFundersView.as_view(), name="api-rule-funders"),
    path("incentives/rules/<int:pk>/tranches/", budget_api.RuleTranchesView.as_view(), name="api-rule-tranches"),
    path("incentives/forecast/", budget.ForecastView.as_view(), name="api-incentive-forecast"),
    path("incentives/events/", events.RewardEventCreateView.as_view(), name="api-reward-events"),
]
