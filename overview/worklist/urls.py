from django.urls import path

from overview.worklist import views

urlpatterns = [
    path("", views.home, name="home"),
]
