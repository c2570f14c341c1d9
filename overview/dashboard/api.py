"""The dashboard's figures over REST: the same sections as the page, for other screens and reports."""

import datetime

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from overview.dashboard import selectors
from overview.dashboard.views import dashboard_region, parse_as_of, shortlist_for
from portal.api.serializers import ErrorSerializer


class DashboardRegionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.CharField()


class DashboardSectionSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="targets, ladders, regions, trend, money, task_status, task_attention or stuck"
    )
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()), help_text="One list of cells per row"
    )
    chart = serializers.JSONField(allow_null=True, help_text="How the page charts the rows: type and column indexes")
    note = serializers.CharField(allow_blank=True)
    row_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Id of the region, task or application per row"
    )
    link = serializers.CharField(required=False, help_text="What `row_ids` identify: region, measure or application")
    cards = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="KPI cards (targets): key, basis (total|new|…), basis_label (合计/新增), current, target, status, "
        "status_label, reason, final, baseline readings, scope_missing, conflict, years, how, path",
    )
    groups = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="Targets by ladder and tier: [{ladder, rows: [{tier, years: [{year, cards: [card index]}]}]}]",
    )


class DashboardSerializer(serializers.Serializer):
    region = DashboardRegionSerializer()
    as_of = serializers.DateField()
    sections = DashboardSectionSerializer(many=True)


class DashboardView(APIView):
    """The leader dashboard of a region in the caller's scope, as of a date (default today)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", int, description="Region id; default the caller's region"),
            OpenApiParameter("as_of", datetime.date, description="YYYY-MM-DD, not later than today; default today"),
        ],
        responses={
            200: DashboardSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Liaisons read no dashboard"),
            404: OpenApiResponse(ErrorSerializer, description="Region missing or outside the caller's region"),
        },
    )
    def get(self, request):
        region = dashboard_region(request.user, str(request.query_params.get("region", "")))
        as_of = parse_as_of(str(request.query_params.get("as_of", "")))
        return Response(selectors.cached_dashboard_figures(region, as_of=as_of))


class PathRateSerializer(serializers.Serializer):
    converted = serializers.IntegerField()
    basis = serializers.IntegerField(help_text="How many were in this position before; 0: no history")
    percent = serializers.FloatField(allow_null=True)
    region = serializers.CharField(allow_blank=True, help_text="Where the history came from")


class PathSerializer(serializers.Serializer):
    needed = serializers.IntegerField(help_text="How many more enterprises the target needs")
    deadline = serializers.DateField()
    days_left = serializers.IntegerField()
    candidates = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Candidates by source: application, eligible, near, pool"
    )
    rates = serializers.DictField(child=PathRateSerializer())
    expected = serializers.FloatField(help_text="Expected figure at the deadline from the historical rates")


class CandidateSerializer(serializers.Serializer):
    enterprise_id = serializers.IntegerField(source="enterprise.pk")
    name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    region = serializers.CharField(source="enterprise.region.name")
    source = serializers.CharField(source="candidate.source")
    source_label = serializers.CharField()
    tier = serializers.CharField(source="tier_name")
    standing = serializers.CharField()
    gaps = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()


class TargetPathSerializer(serializers.Serializer):
    key = serializers.CharField(source="target.key")
    label = serializers.CharField(source="target.label")
    year = serializers.IntegerField(source="target.year")
    value = serializers.DecimalField(source="target.value", max_digits=12, decimal_places=2)
    current = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    as_of = serializers.DateField()
    path = serializers.SerializerMethodField()
    lead_units = serializers.SerializerMethodField()
    candidates = CandidateSerializer(source="rows", many=True)

    @extend_schema_field(PathSerializer(allow_null=True))
    def get_path(self, shortlist):
        return shortlist.path.as_dict() if shortlist.path else None

    def get_lead_units(self, shortlist) -> list[str]:
        return [link.department.name for link in shortlist.lead_units]


class TargetPathView(APIView):
    """The way to a target: how many more are needed, where they can come from, the expected figure, the shortlist."""

    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD, not later than today; default today")],
        responses={
            200: TargetPathSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Liaisons read no dashboard"),
            404: OpenApiResponse(ErrorSerializer, description="Target missing or outside the caller's region"),
        },
    )
    def get(self, request, key: str):
        return Response(TargetPathSerializer(shortlist_for(request, key)).data)
