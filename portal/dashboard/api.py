"""The dashboard's figures over REST: the same sections as the page, for other screens and reports."""

import datetime

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.serializers import ErrorSerializer
from portal.dashboard import selectors
from portal.dashboard.views import dashboard_region, parse_as_of


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
    cards = serializers.ListField(child=serializers.DictField(), required=False, help_text="KPI cards (targets)")


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
