from django.urls import path

from tasks import api, targets_api

urlpatterns = [
    path("policies/", api.PolicyListView.as_view(), name="api-policies"),
    path("policies/<int:pk>/measures/", api.MeasureListView.as_view(), name="api-policy-measures"),
    path("targets/", targets_api.TargetListView.as_view(), name="api-targets"),
    path("targets/<int:pk>/figure/", targets_api.TargetFigureView.as_view(), name="api-target-figure"),
    path("target-conflicts/", targets_api.ConflictListView.as_view(), name="api-target-conflicts"),
    path(
        "target-conflicts/<int:pk>/decision/",
        targets_api.ConflictDecisionView.as_view(),
        name="api-target-conflict-decision",
    ),
    path("inferences/", targets_api.InferenceListView.as_view(), name="api-inferences"),
    path("inferences/<int:pk>/decision/", targets_api.InferenceDecisionView.as_view(), name="api-inference-decision"),
    path("measures/<int:pk>/reports/", api.ReportListView.as_view(), name="api-measure-reports"),
    path("reports/<int:pk>/", api.ReportDetailView.as_view(), name="api-report"),
    path("visits/", api.VisitListView.as_view(), name="api-visits"),
]
