"""Policies, tasks, targets with computed progress, reports and visits over REST, scoped like the pages."""

import datetime

from django.http import Http404
from django.utils import timezone
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from enterprises.models import Enterprise
from portal import params as query
from portal.api.fields import ScopedPrimaryKeyRelatedField
from tasks import permissions, selectors, services
from tasks.models import Measure, Policy, ServiceVisit, TaskReport


class PolicySerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Policy
        fields = ["id", "code", "title", "short_title", "issuer", "document_number", "issued_on", "region", "region_name",
                  "plan_start", "plan_end", "reporting_cycle"]  # fmt: skip
        read_only_fields = fields


class UnitSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department_id")
    name = serializers.CharField(source="department.name")
    is_lead = serializers.BooleanField()


class MeasureSerializer(serializers.ModelSerializer):
    units = UnitSerializer(source="prefetched_unit_links", many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "policy", "number", "order", "section", "title", "text", "units_text", "unresolved_units",
                  "reporting_cycle", "units"]  # fmt: skip


class ReportSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    version = serializers.IntegerField(read_only=True)
    expected_version = serializers.IntegerField(required=False, write_only=True)
    submit = serializers.BooleanField(required=False, write_only=True, default=False)

    class Meta:
        model = TaskReport
        fields = ["id", "measure", "department", "department_name", "period", "period_start", "period_end", "due_on",
                  "is_consolidated", "narrative", "figures", "status", "submitted_at", "version", "expected_version",
                  "submit"]  # fmt: skip
        read_only_fields = ["measure", "department", "period_start", "period_end", "due_on", "is_consolidated", "status",
                            "submitted_at"]  # fmt: skip


class VisitSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise = ScopedPrimaryKeyRelatedField(model=Enterprise, scope=selectors.visitable_enterprises)

    class Meta:
        model = ServiceVisit
        fields = ["id", "enterprise", "enterprise_name", "commissioner", "visited_on", "problems_raised", "problems_solved",
                  "policy_notes"]  # fmt: skip
        read_only_fields = ["commissioner"]


def _as_of(params) -> datetime.date:
    return query.date(params, "as_of") or timezone.localdate()


class PolicyListView(generics.ListAPIView):
    """Policies the caller can see."""

    serializer_class = PolicySerializer

    def get_queryset(self):
        return selectors.policies_visible_to(self.request.user).order_by("pk")


class MeasureListView(generics.ListAPIView):
    """A policy's measures with lead and supporting units (a liaison: only their department's)."""

    serializer_class = MeasureSerializer

    def get_queryset(self):
        if selectors.policy_for(self.request.user, self.kwargs["pk"]) is None:
            raise Http404
        return selectors.measures_visible_to(self.request.user).filter(policy_id=self.kwargs["pk"]).order_by("order")


class ReportListView(generics.ListCreateAPIView):
    """Reports on a task the caller may see; POST files or updates the caller's unit report for a period."""

    serializer_class = ReportSerializer

    def _measure(self):
        measure = selectors.measure_for(self.request.user, self.kwargs["pk"])
        if measure is None:
            raise Http404
        return measure

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user, self._measure()).order_by("-period_start", "pk")

    def create(self, request, *args, **kwargs):
        measure = self._measure()
        if not permissions.can_file_report(request.user, measure):
            raise PermissionDenied
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.save_report(
            actor=request.user,
            measure=measure,
            department=request.user.department,
            period=data["period"],
            narrative=data["narrative"],
            figures=data.get("figures"),
            submit=data.get("submit", False),
            expected_version=data.get("expected_version"),
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetailView(generics.RetrieveUpdateAPIView):
    """One report; PATCH with `expected_version` so that a concurrent edit is refused, not overwritten."""

    serializer_class = ReportSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        report = selectors.report_for(self.request.user, self.kwargs["pk"])
        if report is None:
            raise Http404
        return report

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        if not permissions.can_edit_report(request.user, report):
            raise PermissionDenied
        serializer = ReportSerializer(report, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.save_report(
            actor=request.user,
            measure=report.measure,
            department=report.department,
            period=report.period,
            narrative=data.get("narrative", report.narrative),
            figures=data.get("figures", report.figures),
            submit=data.get("submit", report.status == TaskReport.Status.SUBMITTED),
            expected_version=data.get("expected_version"),
        )
        return Response(ReportSerializer(report).data)


class VisitListView(generics.ListCreateAPIView):
    """Service visits in the caller's scope (a commissioner: their own); POST logs a visit."""

    serializer_class = VisitSerializer

    def get_queryset(self):
        return selectors.visits_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not permissions.can_log_visit(request.user, data["enterprise"]):
            raise PermissionDenied
        visit = services.log_visit(actor=request.user, **data)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
