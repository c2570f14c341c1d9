from django.urls import path

from overview.access import views

app_name = "access"

urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/", views.user_permissions, name="user"),
    path("users/<int:pk>/view-as/", views.view_as_start, name="view-as-start"),
    path("view-as/stop/", views.view_as_stop, name="view-as-stop"),
]
