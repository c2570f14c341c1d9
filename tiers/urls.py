from django.urls import path

from tiers import views
from tiers.versions import views as version_views

app_name = "tiers"

urlpatterns = [
    path("ladders/", views.ladder_list, name="ladders"),
    path("enterprises/<int:pk>/ladder/", views.enterprise_ladder, name="ladder"),
    path("enterprises/<int:pk>/pool/add/", views.pool_add, name="pool-add"),
    path("enterprises/<int:pk>/assessments/<slug:key>/", views.assessment, name="assessment"),
    path("pool/", views.pool_list, name="pool"),
    path("pool/export.xlsx", views.pool_export, name="pool-export"),
    path("pool/<int:pk>/", views.pool_entry, name="pool-entry"),
    path("pool/<int:pk>/leave/", views.pool_leave, name="pool-leave"),
    path("criteria-sets/<int:pk>/", version_views.criteria_set_detail, name="criteria-set"),
    path("<slug:tier_code>/compare/", version_views.comparison, name="compare"),
    path("<slug:tier_code>/compare/export.xlsx", version_views.comparison_export, name="compare-export"),
]
