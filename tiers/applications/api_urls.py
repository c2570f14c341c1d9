from django.urls import path

from tiers.applications import api

urlpatterns = [
    path("batches/", api.BatchListView.as_view(), name="api-batches"),
    path("applications/", api.ApplicationListView.as_view(), name="api-applications"),
    path("applications/queue/", api.ReviewQueueView.as_view(), name="api-application-queue"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api-application"),
    path("applications/<int:pk>/actions/", api.ApplicationActionView.as_view(), name="api-application-actions"),
    path("applications/<int:pk>/scores/", api.ScoreItemsView.as_view(), name="api-application-scores"),
    path("applications/<int:pk>/site-checks/", api.SiteCheckListView.as_view(), name="api-application-site-checks"),
    path("applications/<int:pk>/opinions/", api.OpinionListView.as_view(), name="api-application-opinions"),
    path(
        "applications/<int:pk>/opinion-requests/",
        api.OpinionRequestView.as_view(),
        name="api-application-opinion-requests",
    ),
    path("responsibilities/", api.ResponsibilityListView.as_view(), name="api-responsibilities"),
    path("responsibilities/<int:pk>/", api.ResponsibilityDetailView.as_view(), name="api-responsibility"),
    path("publicity-lists/", api.PublicityListView.as_view(), name="api-publicity-lists"),
    path("publicity-lists/<int:pk>/", api.PublicityDetailView.as_view(), name="api-publicity-list"),
    path("publicity-lists/<int:pk>/objections/", api.ObjectionCreateView.as_view(), name="api-objections"),
    path(
        "publicity-lists/<int:pk>/objections/<int:objection_pk>/resolve/",
        api.ObjectionResolveView.as_view(),
        name="api-objection-resolve",
    ),
]
