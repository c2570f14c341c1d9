from django.urls import path

from incentives import views

app_name = "incentives"

urlpatterns = [
    path("", views.entitlement_list, name="list"),
    path("entitlements.xlsx", views.export_entitlements, name="export"),
    path("<int:pk>/", views.entitlement_detail, name="detail"),
    path("shares/<int:pk>/<slug:action>/", views.share_action, name="share-action"),
    path("budget/", views.budget, name="budget"),
    path("budget.xlsx", views.export_budget, name="budget-export"),
    path("budget/allocations/", views.allocation_set, name="allocation-set"),
    path("budget/allocations/import/", views.allocation_import, name="allocation-import"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/funding/", views.rule_funding, name="rule-funding"),
    path("events/new/", views.event_create, name="event-create"),
]
