from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.policy_list, name="policies"),
    path("mine/", views.my_tasks, name="mine"),
    path("targets/", views.targets_overview, name="targets"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/conflicts/<int:pk>/", views.conflict_decide, name="conflict-decide"),
    path("decisions/inferences/<int:pk>/", views.inference_decide, name="inference-decide"),
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
    path("policies/<int:pk>/export.xlsx", views.policy_export, name="policy-export"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/report/", views.report_edit, name="report"),
    path("measures/<int:pk>/comment/", views.comment_create, name="comment"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_create, name="visit-create"),
]
