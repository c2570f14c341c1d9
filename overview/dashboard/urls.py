from django.urls import path

from overview.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("export.xlsx", views.dashboard_export, name="export"),
    path("targets/<slug:key>/enterprises/", views.target_enterprises, name="target-enterprises"),
    path("targets/<slug:key>/enterprises.xlsx", views.target_enterprises_export, name="target-enterprises-export"),
    path("targets/<slug:key>/path/", views.target_path, name="target-path"),
    path("targets/<slug:key>/path.xlsx", views.target_path_export, name="target-path-export"),
]
