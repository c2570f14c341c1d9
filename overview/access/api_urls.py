from django.urls import path

from overview.access import api

urlpatterns = [
    path("users/<int:pk>/permissions/", api.UserPermissionsView.as_view(), name="api-user-permissions"),
]
