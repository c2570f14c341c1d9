"""Budget planning over REST: allocations (entered or imported), and what finance decides about a rule."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from incentives import permissions, selectors, services
from incentives.api.access import require_reader
from incentives.api.rules import RuleSerializer
from incentives.models import FundAllocation
from portal.exceptions import ServiceError


class AllocationSerializer(serializers.ModelSerializer):
    funder = serializers.CharField(source="funder_region.name", read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = FundAllocation
        fields = ["id", "funder_region", "funder", "year", "amount", "note", "version"]
        read_only_fields = fields


class AllocationInputSerializer(serializers.Serializer):
    funder_region = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Funder region id")
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The version you read; 0 when you saw no allocation"
    )


class AllocationListView(APIView):
    """Allocations per funder and year the caller may see; POST sets one (finance of that funder, or an admin)."""

    @extend_schema(responses=AllocationSerializer(many=True))
    def get(self, request):
        require_reader(request.user)
        return Response(AllocationSerializer(selectors.allocations_visible_to(request.user), many=True).data)

    @extend_schema(request=AllocationInputSerializer, responses={201: AllocationSerializer})
    def post(self, request):
        require_reader(request.user)
        serializer = AllocationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        funder = selectors.allocation_funders_for(request.user).filter(pk=data["funder_region"]).first()
        if funder is None:
            raise PermissionDenied
        allocation = services.set_allocation(
            actor=request.user,
            funder_region=funder,
            year=data["year"],
            amount=data["amount"],
            note=data["note"],
            expected_version=data.get("expected_version"),
        )
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)


class AllocationImportView(APIView):
    """Import allocations from an .xlsx (出资方, 年度, 预算额度（万元）, 备注): all rows or none.

    A sheet with a bad row answers 400 with `error.fields.rows`, one Chinese sentence per row problem.
    """

    parser_classes = [MultiPartParser]

    @extend_schema(
        request=inline_serializer("AllocationImport", {"file": serializers.FileField()}),
        responses={201: AllocationSerializer(many=True)},
    )
    def post(self, request):
        require_reader(request.user)
        if not selectors.allocation_funders_for(request.user).exists():
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            raise ServiceError(_("Attach the Excel file."), code="file")
        try:
            imported = services.import_allocations(
                actor=request.user,
                data=upload.read(),
                file_name=upload.name,
                funders=selectors.importable_funders(request.user),
            )
        except services.AllocationImportRefused as error:
            return Response(
                {"error": {"code": error.code, "message": error.message, "fields": {"rows": error.errors}}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(AllocationSerializer(imported, many=True).data, status=status.HTTP_201_CREATED)


class RuleFundersInputSerializer(serializers.Serializer):
    funders = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        help_text='Percent per level, together 100: {"province": 0, "city": 100, "county": 0}',
    )
    note = serializers.CharField(max_length=255)
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class TranchesInputSerializer(serializers.Serializer):
    tranches = serializers.ListField(child=serializers.IntegerField(), help_text="e.g. [50, 50]; [] pays at once")
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class _RuleDecisionView(APIView):
    def _rule(self, pk: int):
        require_reader(self.request.user)
        rule = selectors.rule_list().filter(pk=pk).first()
        if rule is None:
            raise Http404
        if not permissions.can_decide_rule_funding(self.request.user, rule):
            raise PermissionDenied
        return rule

    def _respond(self, pk: int) -> Response:
        return Response(RuleSerializer(selectors.rule_list().get(pk=pk)).data)


class RuleFundersView(_RuleDecisionView):
    """Confirm or change who pays a rule (its split stops being 推定); audited, version-checked."""

    @extend_schema(request=RuleFundersInputSerializer, responses=RuleSerializer)
    def post(self, request, pk: int):
        rule = self._rule(pk)
        serializer = RuleFundersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.confirm_rule_funders(
            actor=request.user,
            rule_id=rule.pk,
            funders=dict(data["funders"]),
            note=data["note"],
            expected_version=data.get("expected_version"),
        )
        return self._respond(rule.pk)


class RuleTranchesView(_RuleDecisionView):
    """Set the tranches a rule's rewards are paid in; audited, version-checked."""

    @extend_schema(request=TranchesInputSerializer, responses=RuleSerializer)
    def post(self, request, pk: int):
        rule = self._rule(pk)
        serializer = TranchesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.set_rule_tranches(
            actor=request.user,
            rule_id=rule.pk,
            tranches=list(data["tranches"]),
            expected_version=data.get("expected_version"),
        )
        return self._respond(rule.pk)
