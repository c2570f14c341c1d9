"""Funder shares over REST: a share with its payments, and the payment workflow on it (approve, pay, hold,
release, claw back), each action allowed only to the share's funder."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from incentives import permissions, selectors, services
from incentives.models import EntitlementShare, Payment


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
