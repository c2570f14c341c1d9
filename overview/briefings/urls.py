from django.urls import path

from overview.briefings import views

app_name = "briefings"
urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("new/", views.briefing_create, name="create"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/briefing.<str:kind>", views.briefing_file, name="file"),
]
