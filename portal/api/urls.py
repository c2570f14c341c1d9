from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("regions/", views.RegionListView.as_view(), name="api-regions"),
    path("regions/<int:pk>/", views.RegionDetailView.as_view(), name="api-region"),
    path("departments/", views.DepartmentListView.as_view(), name="api-departments"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs work under the CSP.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("", include("enterprises.api_urls")),
    path("", include("tiers.api_urls")),
    path("", include("tiers.applications.api_urls")),
    path("", include("tasks.api_urls")),
    path("", include("incentives.api_urls")),
    path("", include("overview.dashboard.api_urls")),
    path("", include("overview.worklist.api_urls")),
    path("", include("overview.access.api_urls")),
]
