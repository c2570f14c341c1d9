"""A user's permission summary over the API (administrators)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from overview.access.selectors import user_detail
from overview.access.summary import permission_summary
from portal.permissions import can_manage_users


class CanManageUsers(BasePermission):
    def has_permission(self, request, view) -> bool:
        return can_manage_users(request.user)


class CapabilitySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    allowed = serializers.BooleanField()
    api = serializers.CharField(help_text="URL name of the endpoint that answers for it, if any")


class StepSerializer(serializers.Serializer):
    step = serializers.CharField()
    may_review = serializers.BooleanField()


class TierRightsSerializer(serializers.Serializer):
    tier = serializers.CharField(source="tier.code")
    tier_name = serializers.CharField(source="tier.name")
    may_apply = serializers.BooleanField()
    steps = StepSerializer(many=True)
    may_decide = serializers.BooleanField()


class SummarySerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    role = serializers.CharField(source="user.role")
    role_display = serializers.CharField(source="user.get_role_display")
    region = serializers.CharField(source="user.region.name", default="")
    department = serializers.CharField(source="user.department.name", default="")
    sample_region = serializers.CharField(source="sample_region.name", default="")
    capabilities = CapabilitySerializer(many=True)
    tiers = TierRightsSerializer(many=True)


class UserPermissionsView(APIView):
    """What the user may do: role, region scope, department, capabilities, and each tier's review steps."""

    permission_classes = [CanManageUsers]

    @extend_schema(responses=SummarySerializer)
    def get(self, request, pk: int):
        target = user_detail(request.user, pk)
        if target is None:
            raise Http404
        return Response(SummarySerializer(permission_summary(target)).data)
