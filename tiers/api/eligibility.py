"""Eligibility over REST: the stored results of the caller's scope, and a live evaluation of one enterprise."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.selectors import enterprise_detail
from portal import params as query
from tiers import permissions, selectors
from tiers.criteria.describe import describe_verdict, gap_lines, missing_data
from tiers.eligibility import evaluate_enterprise
from tiers.eligibility.live import gaps_for_results
from tiers.models import EligibilityResult, Tier, Verdict


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


def _as_int(params, name: str) -> int | None:
    return query.integer(params, name)


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
