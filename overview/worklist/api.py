"""The to-do list over REST: the same items as the home page, for the caller."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from overview.worklist.selectors import todo_items


class TodoItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField(help_text="The page listing these items")
    empty_hint = serializers.CharField(help_text="What to do next when there is nothing")


class TodoView(APIView):
    """What waits for the caller, by kind of work, with counts."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TodoItemSerializer(many=True)})
    def get(self, request):
        return Response(TodoItemSerializer(todo_items(request.user), many=True).data)
