"""Rewards over REST, with the same scope as the pages: finance staff see only their funder's shares."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.selectors import enterprises_visible_to
from incentives import forecast, permissions, selectors, services
from incentives.models import Entitlement, EntitlementShare, Payment, RewardFunder, RewardRule, ShareStatus, Trigger
from portal import params as query
from portal.selectors import regions_visible_to


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


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "kind", "tranche", "amount", "paid_on", "voucher_no", "reason"]


class ShareSerializer(serializers.ModelSerializer):
    funder = serializers.CharField(source="funder_region.name")
    funder_code = serializers.CharField(source="funder_region.code")
    payer = serializers.CharField(source="payer_name", help_text="Who pays this share: the funder's finance office")
    recipient = serializers.CharField(source="entitlement.recipient_name", help_text="Who receives the money")
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = EntitlementShare
        fields = [
            "id",
            "funder",
            "funder_code",
            "payer",
            "recipient",
            "is_presumed",
            "level",
            "percent",
            "budget_year",
            "amount",
            "approved_amount",
            "paid_amount",
            "clawed_back_amount",
            "status",
            "note",
            "version",
        ]


class ShareDetailSerializer(ShareSerializer):
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta(ShareSerializer.Meta):
        fields = [*ShareSerializer.Meta.fields, "payments"]


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


def _require_reader(user) -> None:
    if not permissions.can_view_incentives(user):
        raise PermissionDenied


class RuleListView(generics.ListAPIView):
    """Reward rules of the caller's chain of jurisdictions (`scope=all`: every region's), with article, amount or
    cap, funders and reading of the clause."""

    serializer_class = RuleSerializer

    def get_queryset(self):
        _require_reader(self.request.user)
        return selectors.rules_for(
            self.request.user, show_all=query.choice(self.request.GET, "scope", ["all"]) == "all"
        )

    @extend_schema(parameters=[OpenApiParameter("scope", str, enum=["all"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EntitlementListView(generics.ListAPIView):
    """Entitlements the caller may see, each with only the shares the caller may see."""

    serializer_class = EntitlementSerializer

    def get_queryset(self):
        _require_reader(self.request.user)
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
        _require_reader(self.request.user)
        entitlement = selectors.entitlement_detail(self.request.user, self.kwargs["pk"])
        if entitlement is None:
            raise Http404
        return entitlement


class ApproveSerializer(serializers.Serializer):
    decided_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    condition = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        default="",
        help_text="The condition met; required to release the second and later tranches",
    )
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class PaymentInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField()
    voucher_no = serializers.CharField(max_length=100)
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class ClawbackInputSerializer(PaymentInputSerializer):
    reason = serializers.CharField(max_length=500)


class HoldSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class ReleaseSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class _ShareActionView(APIView):
    input_serializer: type[serializers.Serializer]

    def _share(self, pk: int) -> EntitlementShare:
        share = selectors.share_for(self.request.user, pk)
        if share is None:
            raise Http404
        if not permissions.can_pay_share(self.request.user, share):
            raise PermissionDenied
        return share

    def _input(self) -> dict:
        serializer = self.input_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _respond(self, share_id: int, code: int = status.HTTP_200_OK) -> Response:
        share = selectors.share_for(self.request.user, share_id)
        return Response(ShareDetailSerializer(share).data, status=code)


class ShareApproveView(_ShareActionView):
    """Approve the next tranche (or all) of a share; under a "不高于" cap the first approval may decide less."""

    input_serializer = ApproveSerializer

    @extend_schema(request=ApproveSerializer, responses=ShareDetailSerializer)
    def post(self, request, pk: int):
        share, data = self._share(pk), self._input()
        services.approve_share(
            actor=request.user,
            share_id=share.pk,
            decided_amount=data.get("decided_amount"),
            note=data.get("note", ""),
            condition=data.get("condition", ""),
            expected_version=data.get("expected_version"),
        )
        return self._respond(share.pk)


class SharePaymentView(_ShareActionView):
    """Record a payment against the approved part of a share; a voucher number is accepted once."""

    input_serializer = PaymentInputSerializer

    @extend_schema(request=PaymentInputSerializer, responses=ShareDetailSerializer)
    def post(self, request, pk: int):
        share, data = self._share(pk), self._input()
        services.record_payment(actor=request.user, share_id=share.pk, **data)
        return self._respond(share.pk, status.HTTP_201_CREATED)


class ShareHoldView(_ShareActionView):
    """Put a share on hold with a reason."""

    input_serializer = HoldSerializer

    @extend_schema(request=HoldSerializer, responses=ShareDetailSerializer)
    def post(self, request, pk: int):
        share, data = self._share(pk), self._input()
        services.hold_share(actor=request.user, share_id=share.pk, **data)
        return self._respond(share.pk)


class ShareReleaseView(_ShareActionView):
    """Release a held share to the status it had before."""

    input_serializer = ReleaseSerializer

    @extend_schema(request=ReleaseSerializer, responses=ShareDetailSerializer)
    def post(self, request, pk: int):
        share, data = self._share(pk), self._input()
        services.release_share(actor=request.user, share_id=share.pk, **data)
        return self._respond(share.pk)


class ShareClawbackView(_ShareActionView):
    """Record money returned after a revocation the rule claws back, with the reason."""

    input_serializer = ClawbackInputSerializer

    @extend_schema(request=ClawbackInputSerializer, responses=ShareDetailSerializer)
    def post(self, request, pk: int):
        share, data = self._share(pk), self._input()
        services.record_clawback(actor=request.user, share_id=share.pk, **data)
        return self._respond(share.pk, status.HTTP_201_CREATED)


class BudgetRowSerializer(serializers.Serializer):
    funder_id = serializers.IntegerField()
    funder = serializers.CharField()
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    owed = serializers.DecimalField(max_digits=16, decimal_places=2)
    approved = serializers.DecimalField(max_digits=16, decimal_places=2)
    paid = serializers.DecimalField(max_digits=16, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)
    clawback_due = serializers.DecimalField(max_digits=16, decimal_places=2)
    presumed = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Owed on a funder split not stated by the document (推定)"
    )
    awaiting_data = serializers.DecimalField(max_digits=16, decimal_places=2)
    allocated = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    available = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="allocated − approved"
    )
    used_percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    warning = serializers.CharField(help_text="'warning' from 70 % of the allocation approved, 'danger' from 90 %")
    forecast = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class BudgetView(APIView):
    """Per funder and budget year: allocated, approved, available, owed (推定 apart), paid, outstanding (万元)."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=BudgetRowSerializer(many=True))
    def get(self, request):
        _require_reader(request.user)
        rows = selectors.budget_rows(
            request.user, query.year(request.query_params), forecast=forecast.forecast_for(request.user)
        )
        return Response(BudgetRowSerializer(rows, many=True).data)


class ForecastView(APIView):
    """If the targets are met on schedule, what each funder pays in 2025–2027, with the assumptions."""

    @extend_schema(
        responses=inline_serializer(
            "Forecast",
            {
                "years": serializers.ListField(child=serializers.IntegerField()),
                "rows": serializers.ListField(child=serializers.DictField()),
                "totals": serializers.DictField(),
                "assumptions": serializers.ListField(child=serializers.CharField()),
                "expectations": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        _require_reader(request.user)
        result = forecast.forecast_for(request.user)
        return Response(
            {
                "years": list(result.years),
                "rows": [
                    {
                        "funder": label,
                        "amounts": {str(year): str(amount.quantize(forecast.CENT)) for year, amount in values.items()},
                    }
                    for label, values in result.rows
                ],
                "totals": {str(year): str(amount.quantize(forecast.CENT)) for year, amount in result.totals.items()},
                "assumptions": [str(text) for text in result.assumptions],
                "expectations": [
                    {
                        "target": item.target.key,
                        "region": item.region.name,
                        "tier": item.tier.code,
                        "year": item.year,
                        "count": str(item.count),
                    }
                    for item in result.expectations
                ],
            }
        )


class RewardEventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            Trigger.ABOVE_SCALE,
            Trigger.TOP_LIST,
            Trigger.PLATFORM_AWARD,
            Trigger.PROJECT_SHARE,
            Trigger.OTHER_EVENT,
        ]
    )
    event_code = serializers.CharField(required=False, allow_blank=True, default="")
    enterprise = serializers.IntegerField(required=False, allow_null=True)
    region = serializers.IntegerField(required=False, allow_null=True)
    occurred_on = serializers.DateField()
    base_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class RewardEventCreateView(APIView):
    """Record a 升规, 500强, platform, project or other event; returns the entitlements it created."""

    @extend_schema(request=RewardEventInputSerializer, responses=EntitlementSerializer(many=True))
    def post(self, request):
        serializer = RewardEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = region = None
        if data.get("enterprise"):
            enterprise = enterprises_visible_to(request.user).filter(pk=data["enterprise"]).first()
            if enterprise is None:
                raise Http404
        if data.get("region"):
            region = regions_visible_to(request.user).filter(pk=data["region"]).first()
            if region is None:
                raise Http404
        if not permissions.can_record_reward_event(request.user, enterprise.region if enterprise else region):
            raise PermissionDenied
        _event, created = services.record_reward_event(
            actor=request.user,
            kind=data["kind"],
            event_code=data.get("event_code", ""),
            enterprise=enterprise,
            region=region,
            occurred_on=data["occurred_on"],
            base_amount=data.get("base_amount"),
            reference=data.get("reference", ""),
        )
        entitlements = selectors.entitlement_list(request.user).filter(pk__in=[e.pk for e in created])
        return Response(EntitlementSerializer(entitlements, many=True).data, status=status.HTTP_201_CREATED)
