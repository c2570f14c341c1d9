"""Ladders, tiers, criteria, eligibility and the pool over REST. Thin: parse, authorise, call."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.models import Enterprise
from enterprises.selectors import enterprise_detail, enterprises_visible_to
from portal import params as query
from portal.api.fields import ScopedPrimaryKeyRelatedField
from portal.models import User
from tiers import permissions, selectors, services
from tiers.criteria.describe import describe_verdict, gap_lines, missing_data
from tiers.eligibility import evaluate_enterprise
from tiers.eligibility.live import gaps_for_results
from tiers.forms import commissioners_for
from tiers.models import CriteriaSet, Criterion, EligibilityResult, Ladder, LadderRung, PoolEntry, Tier, Verdict


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tier
        fields = ["id", "code", "name", "level", "issuing_region", "validity_years", "is_manual"]
        read_only_fields = fields


class RungSerializer(serializers.ModelSerializer):
    tier = TierSerializer(read_only=True)

    class Meta:
        model = LadderRung
        fields = ["position", "tier"]


class LadderSerializer(serializers.ModelSerializer):
    rungs = RungSerializer(many=True, read_only=True)

    class Meta:
        model = Ladder
        fields = ["id", "code", "name", "region", "rungs"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["order", "code", "kind", "label", "params", "status", "source"]


class CriteriaSetSerializer(serializers.ModelSerializer):
    tier_code = serializers.CharField(source="tier.code")
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "code",
            "tier",
            "tier_code",
            "name",
            "purpose",
            "effective_from",
            "effective_to",
            "source",
            "note",
            "criteria",
        ]


class GapSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=["not_met", "unknown", "manual"])
    text = serializers.CharField()
    children = serializers.ListField(child=serializers.CharField())


class EligibilitySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name")
    region_name = serializers.CharField(source="enterprise.region.name")
    tier_code = serializers.CharField(source="tier.code")
    tier_name = serializers.CharField(source="tier.name")
    criteria_set_code = serializers.CharField(source="criteria_set.code")
    verdict_text = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()

    class Meta:
        model = EligibilityResult
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "region_name",
            "tier",
            "tier_code",
            "tier_name",
            "criteria_set_code",
            "purpose",
            "evaluated_on",
            "computed_at",
            "verdict",
            "verdict_text",
            "score",
            "missing_count",
            "unknown_count",
            "manual_count",
            "gaps",
        ]
        read_only_fields = fields

    def get_verdict_text(self, result: EligibilityResult) -> str:
        return describe_verdict(result.verdict, result.missing_count)

    @extend_schema_field(GapSerializer(many=True))
    def get_gaps(self, result: EligibilityResult) -> list[dict]:
        """Worked out for the whole page at once by the view (tiers.eligibility.live)."""
        gaps = self.context.get("gaps")
        return gaps.get(result.pk, []) if gaps is not None else gaps_for_results([result])[result.pk]


class TierEvaluationSerializer(serializers.Serializer):
    tier = serializers.IntegerField()
    tier_code = serializers.CharField()
    tier_name = serializers.CharField()
    criteria_set_code = serializers.CharField()
    purpose = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_text = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    missing_count = serializers.IntegerField()
    unknown_count = serializers.IntegerField()
    manual_count = serializers.IntegerField()
    gaps = GapSerializer(many=True)
    missing_data = serializers.ListField(child=serializers.CharField())
    details = serializers.JSONField()


class PoolEntrySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region_name = serializers.CharField(source="enterprise.region.name", read_only=True)
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    version = serializers.IntegerField(read_only=True)
    enterprise = ScopedPrimaryKeyRelatedField(model=Enterprise, scope=enterprises_visible_to)
    commissioner = ScopedPrimaryKeyRelatedField(model=User, scope=commissioners_for, allow_null=True, required=False)

    class Meta:
        model = PoolEntry
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "region_name",
            "tier",
            "tier_name",
            "stage",
            "origin",
            "reason",
            "missing_at_entry",
            "commissioner",
            "entered_at",
            "left_at",
            "left_reason",
            "version",
        ]
        read_only_fields = ["origin", "missing_at_entry", "entered_at", "left_at", "left_reason"]


class PoolEntryUpdateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PoolEntry.Stage.choices)
    commissioner = serializers.IntegerField(allow_null=True, required=False)
    expected_version = serializers.IntegerField(required=False)


class PoolLeaveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


def _as_int(params, name: str) -> int | None:
    return query.integer(params, name)


class TierListView(generics.ListAPIView):
    """Every tier: issuing level, validity, whether staff judge it by hand."""

    serializer_class = TierSerializer
    pagination_class = None
    queryset = Tier.objects.order_by("level", "name")


class LadderListView(generics.ListAPIView):
    """Ladders of the caller's chain of jurisdictions (`scope=all`: every region's), rungs bottom to top."""

    serializer_class = LadderSerializer
    pagination_class = None

    def get_queryset(self):
        show_all = query.choice(self.request.GET, "scope", ["all"]) == "all"
        return selectors.ladders_for_user(self.request.user, show_all=show_all).order_by("code")

    @extend_schema(parameters=[OpenApiParameter("scope", str, enum=["all"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CriteriaSetListView(generics.ListAPIView):
    """Criteria sets with their criteria; `tier` filters by tier id."""

    serializer_class = CriteriaSetSerializer
    pagination_class = None

    def get_queryset(self):
        qs = (
            CriteriaSet.objects.select_related("tier")
            .prefetch_related("criteria")
            .order_by("tier__name", "-effective_from")
        )
        tier = _as_int(self.request.query_params, "tier")
        return qs.filter(tier_id=tier) if tier else qs

    @extend_schema(parameters=[OpenApiParameter("tier", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


ELIGIBILITY_PARAMETERS = [
    OpenApiParameter("tier", int, description="Tier id"),
    OpenApiParameter("verdict", str, enum=[value for value, _label in Verdict.choices]),
    OpenApiParameter("max_missing", int, description="Misses at most this many criteria"),
    OpenApiParameter("region", int, description="Region id; includes the regions below it"),
    OpenApiParameter("enterprise", int),
]


class EligibilityListView(generics.ListAPIView):
    """Stored evaluations of the caller's scope (recomputed nightly and after every change)."""

    serializer_class = EligibilitySerializer

    def get_queryset(self):
        if not permissions.can_view_eligibility(self.request.user):
            raise PermissionDenied
        params = self.request.query_params
        filters = selectors.EligibilityFilters(
            tier=_as_int(params, "tier"),
            verdict=query.choice(params, "verdict", Verdict.values),
            max_missing=_as_int(params, "max_missing"),
            region=_as_int(params, "region"),
            enterprise=_as_int(params, "enterprise"),
        )
        return selectors.eligibility_results(self.request.user, filters)

    def get_serializer(self, *args, **kwargs):
        """The page's gap sentences come from one evaluation of its enterprises' current figures."""
        if args and not isinstance(args[0], EligibilityResult):
            kwargs.setdefault("context", self.get_serializer_context())["gaps"] = gaps_for_results(args[0])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(parameters=ELIGIBILITY_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EnterpriseEvaluationView(APIView):
    """A live evaluation of one enterprise against every tier with criteria in force (the self-assessment)."""

    @extend_schema(responses=TierEvaluationSerializer(many=True))
    def get(self, request, pk: int):
        enterprise = enterprise_detail(request.user, pk)
        if enterprise is None or not permissions.can_view_ladder(request.user, enterprise):
            raise Http404
        names = dict(Tier.objects.values_list("pk", "name"))
        rows = []
        for item in evaluate_enterprise(enterprise, on=timezone.localdate()):
            evaluation = item.evaluation
            tier = item.criteria_set
            rows.append(
                {
                    "tier": item.tier_id,
                    "tier_code": tier.tier_code,
                    "tier_name": names[item.tier_id],
                    "criteria_set_code": tier.code,
                    "purpose": item.purpose,
                    "verdict": evaluation.verdict,
                    "verdict_text": describe_verdict(evaluation.verdict, evaluation.missing_count),
                    "score": evaluation.score,
                    "missing_count": evaluation.missing_count,
                    "unknown_count": evaluation.unknown_count,
                    "manual_count": evaluation.manual_count,
                    "gaps": gap_lines(evaluation.details),
                    "missing_data": missing_data(evaluation.details),
                    "details": evaluation.details,
                }
            )
        return Response(TierEvaluationSerializer(rows, many=True).data)


POOL_PARAMETERS = [
    OpenApiParameter("tier", int),
    OpenApiParameter("region", int, description="Region id; includes the regions below it"),
    OpenApiParameter("stage", str, enum=[value for value, _label in PoolEntry.Stage.choices]),
    OpenApiParameter("include_left", str, enum=["1", "0"]),
    OpenApiParameter("q", str),
]


class PoolListView(generics.ListCreateAPIView):
    """The cultivation pool of the caller's scope; POST adds an enterprise by hand (reason required)."""

    serializer_class = PoolEntrySerializer

    def get_queryset(self):
        if not permissions.can_view_eligibility(self.request.user):
            raise PermissionDenied
        return selectors.pool_entries(self.request.user, selectors.pool_filters_from(self.request.query_params))

    @extend_schema(parameters=POOL_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = PoolEntrySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enterprise = enterprises_visible_to(request.user).filter(pk=data["enterprise"].pk).first()
        if enterprise is None:
            raise Http404
        if not permissions.can_manage_pool(request.user, enterprise):
            raise PermissionDenied
        entry = services.add_to_pool(
            actor=request.user,
            enterprise=enterprise,
            tier=data["tier"],
            reason=data.get("reason", ""),
            stage=data.get("stage", PoolEntry.Stage.RESERVE),
            commissioner=data.get("commissioner"),
        )
        entry = selectors.pool_entry_detail(request.user, entry.pk)
        return Response(PoolEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class PoolEntryView(APIView):
    """One pool entry; PATCH changes its stage or commissioner."""

    def _entry(self, request, pk: int) -> PoolEntry:
        entry = selectors.pool_entry_detail(request.user, pk)
        if entry is None:
            raise Http404
        return entry

    @extend_schema(responses=PoolEntrySerializer)
    def get(self, request, pk: int):
        return Response(PoolEntrySerializer(self._entry(request, pk)).data)

    @extend_schema(request=PoolEntryUpdateSerializer, responses=PoolEntrySerializer)
    def patch(self, request, pk: int):
        entry = self._entry(request, pk)
        if not permissions.can_change_pool_entry(request.user, entry):
            raise PermissionDenied
        serializer = PoolEntryUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commissioner = entry.commissioner
        if "commissioner" in data:
            from tiers.forms import commissioners_for

            commissioner = (
                commissioners_for(request.user).filter(pk=data["commissioner"]).first()
                if data["commissioner"]
                else None
            )
        services.update_pool_entry(
            actor=request.user,
            entry=entry,
            stage=data["stage"],
            commissioner=commissioner,
            expected_version=data.get("expected_version"),
        )
        return Response(PoolEntrySerializer(self._entry(request, pk)).data)


class PoolLeaveView(APIView):
    """Take an enterprise out of the pool, with the reason."""

    @extend_schema(request=PoolLeaveSerializer, responses=PoolEntrySerializer)
    def post(self, request, pk: int):
        entry = selectors.pool_entry_detail(request.user, pk)
        if entry is None:
            raise Http404
        if not permissions.can_change_pool_entry(request.user, entry):
            raise PermissionDenied
        serializer = PoolLeaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.remove_from_pool(actor=request.user, entry=entry, reason=serializer.validated_data["reason"])
        return Response(PoolEntrySerializer(selectors.pool_entry_detail(request.user, pk)).data)
