"""Reward rules over REST: each rule of the caller's chain of jurisdictions with its article, amount or cap and
funders."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from incentives import selectors
from incentives.api.access import require_reader
from incentives.models import RewardFunder, RewardRule
from portal import params as query


class FunderSerializer(serializers.ModelSerializer):
    class Meta:
        model = RewardFunder
        fields = ["level", "percent"]


class RuleSerializer(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.code")
    tier = serializers.CharField(source="tier.code", default=None, allow_null=True)
    citation = serializers.CharField()
    funders = FunderSerializer(many=True)

    class Meta:
        model = RewardRule
        fields = [
            "id",
            "code",
            "policy",
            "article",
            "citation",
            "name",
            "clause",
            "trigger",
            "tier",
            "event_code",
            "threshold_count",
            "is_monetary",
            "amount",
            "is_cap",
            "percentage",
            "max_amount",
            "beneficiary",
            "holders",
            "effective_from",
            "window_start",
            "window_end",
            "recurrence",
            "upgrade_policy",
            "tranche_percents",
            "clawback_on_revocation",
            "cap_indicator",
            "cap_years",
            "funders_presumed",
            "funders_confirmed_at",
            "version",
            "is_active",
            "notes",
            "funders",
        ]


class RuleListView(generics.ListAPIView):
    """Reward rules of the caller's chain of jurisdictions (`scope=all`: every region's), with article, amount or
    cap, funders and reading of the clause."""

    serializer_class = RuleSerializer

    def get_queryset(self):
        require_reader(self.request.user)
        return selectors.rules_for(
            self.request.user, show_all=query.choice(self.request.GET, "scope", ["all"]) == "all"
        )

    @extend_schema(parameters=[OpenApiParameter("scope", str, enum=["all"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
