from django.urls import path

from tiers.applications import batch_views, depth_views, publicity_views, responsibility_views, views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("queue/", views.review_queue, name="queue"),
    path("queue/bulk/", views.review_bulk, name="bulk"),
    path("board/", views.review_board, name="board"),
    path("expiring/", views.expiring_recognitions, name="expiring"),
    path("batches/", batch_views.batch_list, name="batches"),
    path("batches/new/", batch_views.batch_create, name="batch-create"),
    path("recognitions/<int:pk>/", views.recognition_detail, name="recognition"),
    path("publicity/", publicity_views.publicity_index, name="publicity-list"),
    path("publicity/new/", publicity_views.publicity_create, name="publicity-create"),
    path("publicity/<int:pk>/", publicity_views.publicity_detail, name="publicity"),
    path("publicity/<int:pk>/objections/", publicity_views.objection_create, name="objection-create"),
    path(
        "publicity/<int:pk>/objections/<int:objection_pk>/resolve/",
        publicity_views.objection_resolve,
        name="objection-resolve",
    ),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("responsibilities/", responsibility_views.responsibility_list, name="responsibilities"),
    path("responsibilities/<int:pk>/", responsibility_views.responsibility_edit, name="responsibility-edit"),
    path("<int:pk>/scores/", depth_views.score_review, name="score-review"),
    path("<int:pk>/site-checks/", depth_views.site_check_create, name="site-check-create"),
    path("<int:pk>/opinions/", depth_views.opinion_create, name="opinion-create"),
    path("<int:pk>/opinion-requests/", depth_views.opinion_request, name="opinion-request"),
    path("<int:pk>/<slug:action>/", views.application_transition, name="transition"),
]
