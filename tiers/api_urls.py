from django.urls import path

from tiers import api
from tiers.versions import api as version_api

urlpatterns = [
    path("tiers/", api.TierListView.as_view(), name="api-tiers"),
    path("ladders/", api.LadderListView.as_view(), name="api-ladders"),
    path("criteria-sets/", api.CriteriaSetListView.as_view(), name="api-criteria-sets"),
    path("eligibility/", api.EligibilityListView.as_view(), name="api-eligibility"),
    path(
        "enterprises/<int:pk>/eligibility/", api.EnterpriseEvaluationView.as_view(), name="api-enterprise-eligibility"
    ),
    path("pool/", api.PoolListView.as_view(), name="api-pool"),
    path("pool/<int:pk>/", api.PoolEntryView.as_view(), name="api-pool-entry"),
    path("pool/<int:pk>/leave/", api.PoolLeaveView.as_view(), name="api-pool-leave"),
    path("recognitions/", api.RecognitionListView.as_view(), name="api-recognitions"),
    path("recognitions/<int:pk>/", api.RecognitionDetailView.as_view(), name="api-recognition"),
    path("recognitions/<int:pk>/revoke/", api.RecognitionRevokeView.as_view(), name="api-recognition-revoke"),
    path(
        "tiers/<slug:tier_code>/comparison/",
        version_api.CriteriaComparisonView.as_view(),
        name="api-criteria-comparison",
    ),
    path(
        "tiers/<slug:tier_code>/comparison/draft/", version_api.DraftComparisonView.as_view(), name="api-criteria-draft"
    ),
]
