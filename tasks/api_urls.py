from django.urls import path

from tasks import api

urlpatterns = [
    path("policies/", api.PolicyListView.as_view(), name="api-policies"),
    path("policies/<int:pk>/measures/", api.MeasureListView.as_view(), name="api-policy-measures"),
    path("targets/", api.TargetListView.as_view(), name="api-targets"),
    path("measures/<int:pk>/reports/", api.ReportListView.as_view(), name="api-measure-reports"),
    path("reports/<int:pk>/", api.ReportDetailView.as_view(), name="api-report"),
    path("visits/", api.VisitListView.as_view(), name="api-visits"),
]
