from django.urls import include, path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/indicators/<int:year>/", views.indicator_edit, name="indicators"),
    path("<int:pk>/recognitions/new/", views.recognition_create, name="recognition-create"),
    path("<int:pk>/above-scale/new/", views.above_scale_period_create, name="above-scale-create"),
    path("<int:pk>/above-scale/<int:period_pk>/exit/", views.above_scale_period_exit, name="above-scale-exit"),
    path("rosters/", include("enterprises.roster.urls")),
    path("", include("enterprises.compliance.urls")),
]
