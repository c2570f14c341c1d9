from django.urls import path

from enterprises import api

urlpatterns = [
    path("enterprises/", api.EnterpriseListView.as_view(), name="api-enterprises"),
    path("enterprises/<int:pk>/", api.EnterpriseDetailView.as_view(), name="api-enterprise"),
    path("enterprises/<int:pk>/indicators/", api.IndicatorListView.as_view(), name="api-enterprise-indicators"),
    path(
        "enterprises/<int:pk>/indicators/<int:year>/", api.IndicatorYearView.as_view(), name="api-enterprise-indicator"
    ),
]
