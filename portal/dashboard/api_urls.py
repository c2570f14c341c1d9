from django.urls import path

from portal.dashboard import api

urlpatterns = [
    path("dashboard/", api.DashboardView.as_view(), name="api-dashboard"),
]
