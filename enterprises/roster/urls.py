# Included from enterprises/urls.py without a namespace of its own: the names
# live in the "enterprises" namespace (enterprises:roster-list …).
from django.urls import path

from enterprises.roster import views

urlpatterns = [
    path("", views.roster_list, name="roster-list"),
    path("upload/", views.roster_upload, name="roster-upload"),
    path("<int:pk>/", views.roster_detail, name="roster-detail"),
    path("<int:pk>/commit/", views.roster_commit, name="roster-commit"),
    path("<int:pk>/rejected.xlsx", views.roster_rejected, name="roster-rejected"),
]
