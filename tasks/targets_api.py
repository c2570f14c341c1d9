"""Targets with their figures, and the decisions on contradictions and inferences, over REST.

Every figure comes from tasks.figures.target_figures, the same function the pages, dashboard and jobs use.
"""

import datetime

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal import params as query
from tasks import permissions, selectors, services
from tasks.figures import AT_RISK, BEHIND, TargetFigure, attach_paths, target_figures
from tasks.paths import fill_paths

MONEY = {"max_digits": 12, "decimal_places": 2}


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(**MONEY)
    value_max = serializers.DecimalField(**MONEY, allow_null=True)
    current = serializers.DecimalField(**MONEY, allow_null=True)
    expected = serializers.DecimalField(**MONEY, allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    final = serializers.BooleanField()


class BaselineSerializer(serializers.Serializer):
    value = serializers.DecimalField(**MONEY)
    source = serializers.CharField(help_text="stated | derived")
    on = serializers.DateField()
    rule = serializers.CharField()
    register_count = serializers.IntegerField()
    new_since = serializers.IntegerField()
    document_reading = serializers.DecimalField(**MONEY)
    register_reading = serializers.DecimalField(**MONEY)
    is_register_incomplete = serializers.BooleanField()
    used = serializers.CharField(help_text="document | register: the reading the status uses")
    note = serializers.CharField()


class RegionCoverageSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region_id")
    name = serializers.CharField()
    enterprises = serializers.IntegerField()
    last_import_at = serializers.DateTimeField(allow_null=True)
    is_covered = serializers.BooleanField()


class TargetCoverageSerializer(serializers.Serializer):
    is_complete = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    regions = RegionCoverageSerializer(many=True)


class ConflictNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="conflict_id")
    other_key = serializers.CharField()
    other_value = serializers.DecimalField(**MONEY)
    explanation = serializers.CharField()
    state = serializers.CharField(help_text="open | chosen | kept_both")
    chosen_key = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class InferenceMarkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="inference_id")
    field = serializers.CharField()
    value = serializers.JSONField()
    rule = serializers.CharField()
    state = serializers.CharField(help_text="inferred | confirmed | changed")


class EnterpriseReasonSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise_id")
    code = serializers.CharField()
    reason = serializers.CharField()


class TargetFigureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    key = serializers.CharField(source="target.key")
    policy = serializers.IntegerField(source="target.policy_id")
    measure = serializers.IntegerField(source="target.measure_id", allow_null=True)
    region = serializers.IntegerField(source="target.region_id")
    region_name = serializers.CharField(source="target.region.name")
    label = serializers.CharField(source="target.label")
    kind = serializers.CharField(source="target.kind")
    metric = serializers.CharField(source="target.metric")
    tiers = serializers.SerializerMethodField()
    year = serializers.IntegerField(source="target.year")
    since_year = serializers.IntegerField(source="target.since_year", allow_null=True)
    value = serializers.DecimalField(source="target.value", **MONEY)
    value_max = serializers.DecimalField(source="target.value_max", **MONEY, allow_null=True)
    comparator = serializers.CharField(source="target.comparator")
    unit = serializers.CharField(source="target.unit")
    baseline = serializers.DecimalField(source="target.baseline", **MONEY, allow_null=True)
    baseline_source = serializers.CharField(source="target.baseline_source")
    derivation = serializers.CharField(source="target.derivation")
    quote = serializers.CharField(source="target.quote")
    places = serializers.ListField(child=serializers.CharField())
    unmeasured_reason = serializers.CharField(source="target.unmeasured_reason")
    as_of = serializers.DateField()
    basis = serializers.CharField(help_text="total (合计) | new (新增) | share | quality | pool | listed | none")
    basis_label = serializers.CharField()
    basis_text = serializers.CharField(help_text="合计, or 新增 with its start (2026年起新增)")
    start = serializers.DateField(allow_null=True, help_text="新增: holders on this date are not new")
    deadline = serializers.DateField()
    final = serializers.BooleanField(help_text="The target year is over: `current` is frozen at the deadline.")
    measured_on = serializers.DateField()
    current = serializers.DecimalField(**MONEY, allow_null=True)
    current_today = serializers.DecimalField(**MONEY, allow_null=True, help_text="Today's figure, when final.")
    percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    expected = serializers.DecimalField(**MONEY, allow_null=True)
    status = serializers.CharField(
        help_text="achieved | on_track | at_risk | behind | not_achieved | unmeasured | scope_incomplete | "
        "unconfirmed | not_adopted"
    )
    status_label = serializers.CharField()
    reason = serializers.CharField()
    detail = serializers.CharField()
    years = YearSerializer(many=True)
    baseline_reading = BaselineSerializer(source="baseline", allow_null=True)
    coverage = TargetCoverageSerializer(allow_null=True)
    conflict = ConflictNoteSerializer(allow_null=True)
    inferences = InferenceMarkSerializer(many=True)
    path = serializers.JSONField(allow_null=True, help_text="For a target behind: needed, and counts by source.")

    def get_tiers(self, figure) -> list[str]:
        return [tier.code for tier in figure.target.tiers.all()]


class TargetFigureDetailSerializer(TargetFigureSerializer):
    counted = EnterpriseReasonSerializer(many=True)
    excluded = EnterpriseReasonSerializer(many=True)


def as_of_param(params) -> datetime.date:
    return query.date(params, "as_of") or timezone.localdate()


AS_OF = OpenApiParameter("as_of", datetime.date, description="Measure on this date (default today)")


def _fill_paths(figures: list[TargetFigure], *, as_of: datetime.date, user) -> None:
    """`path` of every figure that is behind or at risk: the dashboard's shortlist (tasks.paths), then providers."""
    fill_paths(figures, as_of=as_of, statuses=(BEHIND, AT_RISK))
    attach_paths(figures, user=user)


class TargetListView(generics.GenericAPIView):
    """Targets with figures measured as of a date (default today), optionally of one policy."""

    serializer_class = TargetFigureSerializer
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("policy", int, description="Only this policy's targets"), AS_OF],
        responses=TargetFigureSerializer(many=True),
    )
    def get(self, request):
        qs = selectors.targets_visible_to(request.user)
        policy = query.integer(request.query_params, "policy")
        if policy is not None:
            qs = qs.filter(policy_id=policy)
        targets = list(qs.order_by("region__path", "policy_id", "measure__order", "order"))
        as_of = as_of_param(request.query_params)
        figures = list(target_figures(targets, as_of=as_of).values())
        _fill_paths(figures, as_of=as_of, user=request.user)
        return Response(TargetFigureSerializer(figures, many=True).data)


class TargetFigureView(generics.GenericAPIView):
    """One target's figure with the enterprises counted and those left out, each with why."""

    serializer_class = TargetFigureDetailSerializer

    @extend_schema(parameters=[AS_OF], responses=TargetFigureDetailSerializer)
    def get(self, request, pk: int):
        target = selectors.targets_visible_to(request.user).filter(pk=pk).first()
        if target is None:
            raise Http404
        as_of = as_of_param(request.query_params)
        figure = target_figures([target], as_of=as_of, detail=True)[target.pk]
        _fill_paths([figure], as_of=as_of, user=request.user)
        return Response(TargetFigureDetailSerializer(figure).data)


class ConflictSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    policy = serializers.IntegerField(source="policy_id")
    first_key = serializers.CharField(source="first.key")
    second_key = serializers.CharField(source="second.key")
    explanation = serializers.CharField()
    state = serializers.CharField()
    chosen_key = serializers.CharField(source="chosen.key", allow_null=True, default=None)
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ConflictDecisionSerializer(serializers.Serializer):
    chosen_key = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Key of the adopted target; empty keeps both"
    )
    reason = serializers.CharField(max_length=500)
    expected_version = serializers.IntegerField(required=False)


class ConflictListView(generics.ListAPIView):
    """Contradictions between targets in the caller's policies, with what an administrator decided."""

    serializer_class = ConflictSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.conflicts_visible_to(self.request.user)


class ConflictDecisionView(generics.GenericAPIView):
    """Adopt one figure of a contradiction (`chosen_key`) or keep both as 待确认, with a reason. Administrators."""

    serializer_class = ConflictDecisionSerializer

    @extend_schema(request=ConflictDecisionSerializer, responses=ConflictSerializer)
    def post(self, request, pk: int):
        conflict = selectors.conflict_for(request.user, pk)
        if conflict is None:
            raise Http404
        if not permissions.can_resolve_target_conflict(request.user, conflict):
            raise PermissionDenied
        serializer = ConflictDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        chosen_key = data.get("chosen_key") or None
        chosen = {conflict.first.key: conflict.first, conflict.second.key: conflict.second}.get(chosen_key)
        if chosen_key and chosen is None:
            raise serializers.ValidationError({"chosen_key": ["采用的目标：请选择矛盾双方之一。"]})
        conflict = services.resolve_target_conflict(
            actor=request.user,
            conflict=conflict,
            chosen=chosen,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )
        return Response(ConflictSerializer(selectors.conflict_for(request.user, conflict.pk)).data)


class InferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="inference.pk")
    policy = serializers.IntegerField(source="policy.pk")
    field = serializers.CharField(source="inference.field")
    object_id = serializers.IntegerField(source="inference.object_id")
    what = serializers.CharField()
    value = serializers.JSONField(source="inference.value")
    shown = serializers.CharField()
    rule = serializers.CharField(source="inference.rule")
    state = serializers.CharField(source="inference.state")
    reason = serializers.CharField(source="inference.reason")
    version = serializers.IntegerField(source="inference.version")


class InferenceDecisionSerializer(serializers.Serializer):
    value = serializers.JSONField(
        required=False, allow_null=True, help_text="Empty confirms; else the new value (department id, number, dates)"
    )
    reason = serializers.CharField(max_length=500)
    expected_version = serializers.IntegerField(required=False)


class InferenceListView(generics.GenericAPIView):
    """What the loader inferred (推定) in the caller's policies: lead units, baselines, plan periods."""

    serializer_class = InferenceSerializer
    pagination_class = None

    @extend_schema(responses=InferenceSerializer(many=True))
    def get(self, request):
        return Response(InferenceSerializer(selectors.inferences_visible_to(request.user), many=True).data)


class InferenceDecisionView(generics.GenericAPIView):
    """Confirm or change one inference, with a reason. Administrators."""

    serializer_class = InferenceDecisionSerializer

    @extend_schema(request=InferenceDecisionSerializer, responses=InferenceSerializer)
    def post(self, request, pk: int):
        row = selectors.inference_for(request.user, pk)
        if row is None:
            raise Http404
        if not permissions.can_decide_inference(request.user, row.policy):
            raise PermissionDenied
        serializer = InferenceDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.decide_inference(
            actor=request.user,
            inference=row.inference,
            value=data.get("value"),
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )
        return Response(InferenceSerializer(selectors.inference_for(request.user, pk)).data)
