from django.urls import path

from overview.dashboard import api

urlpatterns = [
    path("dashboard/", api.DashboardView.as_view(), name="api-dashboard"),
    path("dashboard/targets/<slug:key>/path/", api.TargetPathView.as_view(), name="api-target-path"),
]
