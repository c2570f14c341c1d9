"""The version comparison API: the register under two criteria sets, or under a draft (administrators)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tiers.versions import permissions
from tiers.versions.compare import Comparison
from tiers.versions.requests import parse_comparison


class RegionCountsSerializer(serializers.Serializer):
    region = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())


class DecidingSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    criteria_set = serializers.CharField()
    enterprises = serializers.IntegerField()


class ChangedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField()
    group = serializers.ChoiceField(choices=["only_old", "only_new"])
    criteria = serializers.ListField(child=serializers.CharField())


class ComparisonSerializer(serializers.Serializer):
    tier = serializers.CharField(source="tier.code")
    old_name = serializers.CharField()
    new_name = serializers.CharField()
    on = serializers.DateField()
    totals = serializers.DictField(child=serializers.IntegerField(), help_text="both / only_old / only_new / neither")
    regions = RegionCountsSerializer(many=True)
    deciding = serializers.SerializerMethodField()
    changed = ChangedSerializer(many=True, help_text="at most 2000 enterprises; changed_total counts them all")
    changed_total = serializers.IntegerField()

    def get_deciding(self, obj: Comparison) -> list[dict]:
        return [{"criterion": a, "criteria_set": b, "enterprises": c} for a, b, c in obj.deciding]


PARAMETERS = [
    OpenApiParameter("old", int, description="the older criteria set's id (default: the oldest)"),
    OpenApiParameter("new", int, description="the newer criteria set's id (default: the newest)"),
    OpenApiParameter("region", int, description="only this region and below"),
    OpenApiParameter("on", str, description="evaluation date, YYYY-MM-DD (default: today)"),
]


class CriteriaComparisonView(APIView):
    """Enterprises of the caller's scope that meet only the old set, only the new one, both or neither, by region,
    with the criteria that make the difference."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=PARAMETERS, responses=ComparisonSerializer)
    def get(self, request, tier_code: str):
        if not permissions.can_compare_criteria_sets(request.user):
            raise PermissionDenied
        return Response(
            ComparisonSerializer(parse_comparison(request.user, tier_code, request.query_params).run(request.user)).data
        )


class DraftSerializer(serializers.Serializer):
    old = serializers.IntegerField(required=False, help_text="the set to compare with (default: the oldest)")
    base = serializers.IntegerField(required=False, help_text="the set the draft edits (default: the newest)")
    region = serializers.IntegerField(required=False)
    on = serializers.DateField(required=False)
    thresholds = serializers.DictField(
        child=serializers.FloatField(), help_text='threshold path → new value, e.g. {"3.0": 1200}'
    )


class DraftComparisonView(APIView):
    """An administrator's draft (the base set with edited thresholds) compared with a set in force; nothing is saved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DraftSerializer, responses=ComparisonSerializer)
    def post(self, request, tier_code: str):
        if not permissions.can_evaluate_draft_criteria(request.user):
            raise PermissionDenied
        body = DraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        params = {key: str(value) for key, value in body.validated_data.items() if key != "thresholds"}
        parsed = parse_comparison(request.user, tier_code, params, draft=body.validated_data["thresholds"])
        return Response(ComparisonSerializer(parsed.run(request.user)).data)
