from django.urls import path

from incentives import api, budget_api

urlpatterns = [
    path("incentives/rules/", api.RuleListView.as_view(), name="api-incentive-rules"),
    path("incentives/entitlements/", api.EntitlementListView.as_view(), name="api-entitlements"),
    path("incentives/entitlements/<int:pk>/", api.EntitlementDetailView.as_view(), name="api-entitlement"),
    path("incentives/shares/<int:pk>/approve/", api.ShareApproveView.as_view(), name="api-share-approve"),
    path("incentives/shares/<int:pk>/payments/", api.SharePaymentView.as_view(), name="api-share-payments"),
    path("incentives/shares/<int:pk>/hold/", api.ShareHoldView.as_view(), name="api-share-hold"),
    path("incentives/shares/<int:pk>/release/", api.ShareReleaseView.as_view(), name="api-share-release"),
    path("incentives/shares/<int:pk>/clawbacks/", api.ShareClawbackView.as_view(), name="api-share-clawbacks"),
    path("incentives/budget/", api.BudgetView.as_view(), name="api-incentive-budget"),
    path("incentives/allocations/", budget_api.AllocationListView.as_view(), name="api-allocations"),
    path("incentives/allocations/import/", budget_api.AllocationImportView.as_view(), name="api-allocations-import"),
    path("incentives/rules/<int:pk>/funders/", budget_api.RuleFundersView.as_view(), name="api-rule-funders"),
    path("incentives/rules/<int:pk>/tranches/", budget_api.RuleTranchesView.as_view(), name="api-rule-tranches"),
    path("incentives/forecast/", api.ForecastView.as_view(), name="api-incentive-forecast"),
    path("incentives/events/", api.RewardEventCreateView.as_view(), name="api-reward-events"),
]
