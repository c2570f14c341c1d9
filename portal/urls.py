from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from portal import views

urlpatterns = [
    path("", include("overview.worklist.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/two-factor/", views.two_factor_sign_in, name="two-factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit-log"),
    path("jobs/<int:pk>/", views.job_status, name="job-status"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("enterprises/", include("enterprises.urls")),
    path("tiers/", include("tiers.urls")),
    path("applications/", include("tiers.applications.urls")),
    path("tasks/", include("tasks.urls")),
    path("incentives/", include("incentives.urls")),
    path("dashboard/", include("overview.dashboard.urls")),
    path("briefings/", include("overview.briefings.urls")),
    path("access/", include("overview.access.urls")),
    path("api/v1/", include("portal.api.urls")),
    # The admin signs in through the portal's own page, so its lockout and audit cover it too.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
