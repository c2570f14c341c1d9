# Included from enterprises/urls.py: the names live in the "enterprises" namespace (enterprises:compliance-…).
from django.urls import path

from enterprises.compliance import views

urlpatterns = [
    path("<int:pk>/compliance/new/", views.record_create, name="compliance-create"),
    path("compliance/<int:pk>/", views.record_edit, name="compliance-edit"),
    path("compliance/imports/", views.import_list, name="compliance-imports"),
    path("compliance/imports/<int:pk>/", views.import_detail, name="compliance-import"),
    path("compliance/imports/<int:pk>/commit/", views.import_commit, name="compliance-import-commit"),
]
