from django.urls import path

from overview.worklist import api

urlpatterns = [path("todo/", api.TodoView.as_view(), name="api-todo")]
