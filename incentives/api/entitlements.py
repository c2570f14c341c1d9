"""Entitlements over REST: what each beneficiary is owed, listed with filters or one at a time, each with only the
shares the caller may see."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from incentives import selectors
from incentives.api.access import require_reader
from incentives.api.shares import ShareDetailSerializer, ShareSerializer
from incentives.models import Entitlement, ShareStatus


class EntitlementSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code")
    rule_name = serializers.CharField(source="rule.name")
    enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name", default=None)
    beneficiary_region = serializers.CharField(source="beneficiary_region.name")
    recipient = serializers.CharField(
        source="recipient_name", help_text="Who receives the money: the enterprise, or the government or park named"
    )
    recipient_kind = serializers.CharField()
    recognition = serializers.IntegerField(source="recognition_id", allow_null=True)
    shares = ShareSerializer(source="visible_shares", many=True)

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "rule",
            "rule_name",
            "enterprise",
            "enterprise_name",
            "beneficiary_region",
            "recipient",
            "recipient_kind",
            "recognition",
            "event_key",
            "trigger_date",
            "budget_year",
            "amount",
            "is_capped",
            "basis",
            "calculation",
            "shares",
        ]


class EntitlementDetailSerializer(EntitlementSerializer):
    shares = ShareDetailSerializer(source="visible_shares", many=True)


FILTERS = [
    OpenApiParameter("year", int, description="Budget year"),
    OpenApiParameter("funder", int, description="Funder region id"),
    OpenApiParameter("status", str, enum=ShareStatus.values, description="Share status"),
    OpenApiParameter("policy", str, description="Policy code, e.g. xining-2023-32"),
    OpenApiParameter("q", str, description="Beneficiary name contains"),
]


class EntitlementListView(generics.ListAPIView):
    """Entitlements the caller may see, each with only the shares the caller may see."""

    serializer_class = EntitlementSerializer

    def get_queryset(self):
        require_reader(self.request.user)
        return selectors.entitlement_list(
            self.request.user, selectors.EntitlementFilters.from_params(self.request.query_params)
        )

    @extend_schema(parameters=FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EntitlementDetailView(generics.RetrieveAPIView):
    """One entitlement with its visible shares and their payments; 404 when missing or out of scope alike."""

    serializer_class = EntitlementDetailSerializer

    def get_object(self):
        require_reader(self.request.user)
        entitlement = selectors.entitlement_detail(self.request.user, self.kwargs["pk"])
        if entitlement is None:
            raise Http404
        return entitlement
