"""The register over REST. Thin: parse, authorise, call a service or selector."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from enterprises import credit_codes, industries, permissions, scale_periods, selectors, services
from enterprises.models import ENTERPRISE_FIELDS, AboveScalePeriod, AnnualIndicator, Enterprise
from portal.api.fields import ScopedPrimaryKeyRelatedField, required_version
from portal.api.serializers import ErrorSerializer
from portal.models import User
from portal.selectors import regions_visible_to, users_visible_to


class CanUseRegister(BasePermission):
    """The register's endpoints are for staff, leaders and administrators; liaisons get 403."""

    def has_permission(self, request, view) -> bool:
        return permissions.can_view_enterprises(request.user)


REGISTER_PERMISSIONS = [IsAuthenticated, CanUseRegister]
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid data"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Missing or outside the caller's region"),
}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="Changed by someone else since `expected_version`")}


class RecognitionBriefSerializer(serializers.Serializer):
    tier = serializers.CharField(source="tier.name")
    tier_code = serializers.CharField(source="tier.code")
    recognized_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)


class EnterpriseSerializer(serializers.ModelSerializer):
    # Longer than 18 so that a code with spaces or full-width characters reaches normalisation;
    # uniqueness is the service's business (it compares normalised codes).
    credit_code = serializers.CharField(max_length=40)
    region_name = serializers.CharField(source="region.name", read_only=True)
    tiers = RecognitionBriefSerializer(source="valid_recognitions", many=True, read_only=True)
    version = serializers.IntegerField(read_only=True)
    service_commissioner = ScopedPrimaryKeyRelatedField(
        model=User, scope=users_visible_to, allow_null=True, required=False
    )

    class Meta:
        model = Enterprise
        fields = ["id", *ENTERPRISE_FIELDS, "is_credit_code_flagged", "region_name", "tiers", "version"]
        read_only_fields = ["is_credit_code_flagged"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated and "region" in fields:
            fields["region"].queryset = regions_visible_to(request.user)
        return fields

    def validate_credit_code(self, value: str) -> str:
        parsed = credit_codes.parse(value)
        if not parsed.is_well_formed:
            raise serializers.ValidationError(
                services.malformed_credit_code_message(parsed.value or value), code="malformed"
            )
        return parsed.value

    def validate_industry_code(self, value: str) -> str:
        if not value:
            return ""
        code, error = industries.validate(value)
        if error:
            raise serializers.ValidationError(error, code="industry")
        return code


class EnterpriseWriteSerializer(EnterpriseSerializer):
    expected_version = serializers.IntegerField(
        required=False, write_only=True, help_text="The `version` you read; a stale one gives 409."
    )

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "expected_version"]


class IndicatorSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True)
    expected_version = serializers.IntegerField(
        write_only=True,
        min_value=0,
        help_text="Required: the `version` you read (0 for a year not yet on record); a stale one gives 409.",
    )
    sources = serializers.DictField(read_only=True, help_text="Per field: where the figure came from and who.")

    class Meta:
        model = AnnualIndicator
        fields = ["year", *AnnualIndicator.value_fields(), "sources", "version", "expected_version"]
        read_only_fields = ["year"]


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Name or credit code contains"),
    OpenApiParameter("region", int, description="Region id; includes the regions below it"),
    OpenApiParameter("industry", str, description="GB/T 4754 code prefix, e.g. C39 (or 39)"),
    OpenApiParameter("size_class", str, enum=Enterprise.SizeClass.values),
    OpenApiParameter("tier", int, description="Holds a valid recognition of this tier (tier id)"),
    OpenApiParameter("above_scale", str, enum=["1", "0"], description="规上 (1) or not (0)"),
]


def enterprise_row(row: dict) -> dict:
    """What EnterpriseSerializer returns for a list row, built from selectors.list_rows.

    The list endpoint is the portal's hottest read; building 50 dicts from plain
    values costs a fraction of model instances and the serializer machinery.
    A test pins the two equal.
    """
    return {
        "id": row["id"],
        "credit_code": row["credit_code"],
        "is_credit_code_flagged": row["is_credit_code_flagged"],
        "name": row["name"],
        "region": row["region_id"],
        "region_name": row["region__name"],
        "industry_code": row["industry_code"],
        "registered_on": row["registered_on"].isoformat() if row["registered_on"] else None,
        "size_class": row["size_class"],
        "is_listed": row["is_listed"],
        "is_above_scale": row["is_above_scale"],
        "main_products": row["main_products"],
        "contact_name": row["contact_name"],
        "contact_phone": row["contact_phone"],
        "service_commissioner": row["service_commissioner_id"],
        "tiers": [
            {
                "tier": recognition["tier__name"],
                "tier_code": recognition["tier__code"],
                "recognized_on": recognition["recognized_on"].isoformat(),
                "valid_until": recognition["valid_until"].isoformat() if recognition["valid_until"] else None,
            }
            for recognition in row["tiers"]
        ],
        "version": row["version"],
    }


class EnterpriseListView(generics.ListCreateAPIView):
    """Enterprises in the caller's region and below, filtered like the list page."""

    permission_classes = REGISTER_PERMISSIONS
    serializer_class = EnterpriseSerializer

    def get_queryset(self):
        return selectors.enterprise_list(self.request.user, selectors.EnterpriseFilters.from_params(self.request.GET))

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: EnterpriseSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        filters = selectors.EnterpriseFilters.from_params(request.GET)
        page = self.paginate_queryset(selectors.enterprise_listing(request.user, filters))
        return self.get_paginated_response([enterprise_row(row) for row in page])

    @extend_schema(request=EnterpriseWriteSerializer, responses={201: EnterpriseSerializer, **ERRORS})
    def post(self, request, *args, **kwargs):
        serializer = EnterpriseWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("expected_version", None)
        if not permissions.can_create_enterprise(request.user, data["region"]):
            raise PermissionDenied
        enterprise = services.create_enterprise(actor=request.user, **data)
        enterprise = selectors.enterprise_list(request.user, selectors.EnterpriseFilters()).get(pk=enterprise.pk)
        return Response(self.get_serializer(enterprise).data, status=status.HTTP_201_CREATED)


class EnterpriseDetailView(generics.GenericAPIView):
    """One enterprise; PATCH with `expected_version` to refuse overwriting someone else's change."""

    permission_classes = REGISTER_PERMISSIONS
    serializer_class = EnterpriseSerializer

    def get_object(self) -> Enterprise:
        everything = selectors.EnterpriseFilters()
        enterprise = selectors.enterprise_list(self.request.user, everything).filter(pk=self.kwargs["pk"]).first()
        if enterprise is None or not permissions.can_view_enterprise(self.request.user, enterprise):
            raise Http404
        return enterprise

    @extend_schema(responses={200: EnterpriseSerializer, **ERRORS})
    def get(self, request, pk: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=EnterpriseWriteSerializer, responses={200: EnterpriseSerializer, **ERRORS, **CONFLICT})
    def patch(self, request, pk: int):
        enterprise = self.get_object()
        if not permissions.can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied
        serializer = EnterpriseWriteSerializer(
            enterprise, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("expected_version", None)
        if "region" in data and not permissions.can_create_enterprise(request.user, data["region"]):
            raise PermissionDenied
        services.update_enterprise(actor=request.user, enterprise=enterprise, expected_version=expected_version, **data)
        return Response(self.get_serializer(self.get_object()).data)


def _enterprise_for(request, pk: int) -> Enterprise:
    enterprise = selectors.enterprise_detail(request.user, pk)
    if enterprise is None or not permissions.can_view_enterprise(request.user, enterprise):
        raise Http404
    return enterprise


class IndicatorListView(generics.ListAPIView):
    """An enterprise's yearly figures, newest year first (money in 万元)."""

    permission_classes = REGISTER_PERMISSIONS
    serializer_class = IndicatorSerializer
    pagination_class = None

    def get_queryset(self):
        enterprise = _enterprise_for(self.request, self.kwargs["pk"])
        return AnnualIndicator.objects.filter(enterprise=enterprise).order_by("-year")


class IndicatorYearView(generics.GenericAPIView):
    """Read or set one year's figures (PUT creates the year if missing; omitted fields keep their value)."""

    permission_classes = REGISTER_PERMISSIONS
    serializer_class = IndicatorSerializer
    # OPTIONS (DRF's metadata) asks the view for its object; the handlers find the row themselves.
    queryset = AnnualIndicator.objects.none()

    @extend_schema(responses={200: IndicatorSerializer, **ERRORS})
    def get(self, request, pk: int, year: int):
        indicator = AnnualIndicator.objects.filter(enterprise=_enterprise_for(request, pk), year=year).first()
        if indicator is None:
            raise Http404
        return Response(IndicatorSerializer(indicator).data)

    @extend_schema(request=IndicatorSerializer, responses={200: IndicatorSerializer, **ERRORS, **CONFLICT})
    def put(self, request, pk: int, year: int):
        enterprise = _enterprise_for(request, pk)
        if not permissions.can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied
        serializer = IndicatorSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = required_version(data)
        indicator = services.save_indicators(
            actor=request.user, enterprise=enterprise, year=year, values=data, expected_version=expected_version
        )
        return Response(IndicatorSerializer(indicator).data)


class AboveScalePeriodSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True)
    expected_version = serializers.IntegerField(write_only=True, required=False)

    class Meta:
        model = AboveScalePeriod
        fields = ["id", "entered_on", "left_on", "note", "version", "expected_version"]
        read_only_fields = ["id"]


class AboveScalePeriodListView(generics.GenericAPIView):
    """An enterprise's 规上 history (entry and 退库 dates); POST records a period."""

    pagination_class = None  # a handful of periods per enterprise, answered as one list

    permission_classes = REGISTER_PERMISSIONS
    serializer_class = AboveScalePeriodSerializer
    queryset = AboveScalePeriod.objects.none()

    @extend_schema(responses={200: AboveScalePeriodSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        periods = scale_periods.periods_of(_enterprise_for(request, pk))
        return Response(AboveScalePeriodSerializer(periods, many=True).data)

    @extend_schema(request=AboveScalePeriodSerializer, responses={201: AboveScalePeriodSerializer, **ERRORS})
    def post(self, request, pk: int):
        enterprise = _enterprise_for(request, pk)
        if not permissions.can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied
        serializer = AboveScalePeriodSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = scale_periods.record_above_scale_period(
            actor=request.user,
            enterprise=enterprise,
            entered_on=data["entered_on"],
            left_on=data.get("left_on"),
            note=data.get("note", ""),
        )
        return Response(AboveScalePeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class AboveScalePeriodDetailView(generics.GenericAPIView):
    """PATCH `left_on` records (or corrects) the date the enterprise left the statistics (退库)."""

    permission_classes = REGISTER_PERMISSIONS
    serializer_class = AboveScalePeriodSerializer
    queryset = AboveScalePeriod.objects.none()

    @extend_schema(
        request=AboveScalePeriodSerializer, responses={200: AboveScalePeriodSerializer, **ERRORS, **CONFLICT}
    )
    def patch(self, request, pk: int, period_pk: int):
        enterprise = _enterprise_for(request, pk)
        if not permissions.can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied
        period = scale_periods.periods_of(enterprise).filter(pk=period_pk).first()
        if period is None:
            raise Http404
        serializer = AboveScalePeriodSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = scale_periods.record_above_scale_exit(
            actor=request.user,
            period=period,
            left_on=data.get("left_on"),
            note=data.get("note", ""),
            expected_version=data.get("expected_version"),
        )
        return Response(AboveScalePeriodSerializer(period).data)
