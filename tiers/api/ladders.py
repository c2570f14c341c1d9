"""Tiers, ladders and criteria sets over REST: the reference data, read-only."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from portal import params as query
from tiers import selectors
from tiers.models import CriteriaSet, Criterion, Ladder, LadderRung, Tier


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
        tier = query.integer(self.request.query_params, "tier")
        return qs.filter(tier_id=tier) if tier else qs

    @extend_schema(parameters=[OpenApiParameter("tier", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
