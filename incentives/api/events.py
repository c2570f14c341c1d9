"""Reward events over REST: recording a 升规, 500强, platform, project or other event, which creates the
entitlements the rules owe for it."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.selectors import enterprises_visible_to
from incentives import permissions, selectors, services
from incentives.api.entitlements import EntitlementSerializer
from incentives.models import Trigger
from portal.selectors import regions_visible_to


class RewardEventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            Trigger.ABOVE_SCALE,
            Trigger.TOP_LIST,
            Trigger.PLATFORM_AWARD,
            Trigger.PROJECT_SHARE,
            Trigger.OTHER_EVENT,
        ]
    )
    event_code = serializers.CharField(required=False, allow_blank=True, default="")
    enterprise = serializers.IntegerField(required=False, allow_null=True)
    region = serializers.IntegerField(required=False, allow_null=True)
    occurred_on = serializers.DateField()
    base_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class RewardEventCreateView(APIView):
    """Record a 升规, 500强, platform, project or other event; returns the entitlements it created."""

    @extend_schema(request=RewardEventInputSerializer, responses=EntitlementSerializer(many=True))
    def post(self, request):
        serializer = RewardEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = region = None
        if data.get("enterprise"):
            enterprise = enterprises_visible_to(request.user).filter(pk=data["enterprise"]).first()
            if enterprise is None:
                raise Http404
        if data.get("region"):
            region = regions_visible_to(request.user).filter(pk=data["region"]).first()
            if region is None:
                raise Http404
        if not permissions.can_record_reward_event(request.user, enterprise.region if enterprise else region):
            raise PermissionDenied
        _event, created = services.record_reward_event(
            actor=request.user,
            kind=data["kind"],
            event_code=data.get("event_code", ""),
            enterprise=enterprise,
            region=region,
            occurred_on=data["occurred_on"],
            base_amount=data.get("base_amount"),
            reference=data.get("reference", ""),
        )
        entitlements = selectors.entitlement_list(request.user).filter(pk__in=[e.pk for e in created])
        return Response(EntitlementSerializer(entitlements, many=True).data, status=status.HTTP_201_CREATED)
