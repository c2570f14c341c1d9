"""The register over REST. Thin: parse, authorise, call a service or selector."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from enterprises import permissions, selectors, services
from enterprises.models import AnnualIndicator, Enterprise
from portal.selectors import regions_visible_to


class RecognitionBriefSerializer(serializers.Serializer):
    tier = serializers.CharField(source="tier.name")
    tier_code = serializers.CharField(source="tier.code")
    recognized_on = serializers.DateField()
    valid_until = serializers.DateField()


class EnterpriseSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    tiers = RecognitionBriefSerializer(source="valid_recognitions", many=True, read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "is_credit_code_flagged",
            "name",
            "region",
            "region_name",
            "industry_code",
            "registered_on",
            "size_class",
            "is_listed",
            "is_above_scale",
            "main_products",
            "contact_name",
            "contact_phone",
            "service_commissioner",
            "tiers",
            "version",
        ]
        read_only_fields = ["is_credit_code_flagged"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["region"].queryset = regions_visible_to(request.user)
        return fields


class EnterpriseWriteSerializer(EnterpriseSerializer):
    expected_version = serializers.IntegerField(required=False, write_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = EnterpriseSerializer.Meta.fields + ["expected_version"]


class IndicatorSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True)
    expected_version = serializers.IntegerField(required=False, write_only=True)

    class Meta:
        model = AnnualIndicator
        fields = ["year", *AnnualIndicator.value_fields(), "sources", "version", "expected_version"]
        read_only_fields = ["year", "sources"]


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Name or credit code contains"),
    OpenApiParameter("region", int, description="Region id; includes the regions below it"),
    OpenApiParameter("industry", str, description="GB/T 4754 code prefix, e.g. C39"),
    OpenApiParameter("size_class", str, enum=[choice for choice, _label in Enterprise.SizeClass.choices]),
    OpenApiParameter("tier", int, description="Holds a valid recognition of this tier"),
    OpenApiParameter("above_scale", str, enum=["1", "0"]),
]


def filters_from(params) -> selectors.EnterpriseFilters:
    def as_int(name: str) -> int | None:
        value = params.get(name, "")
        return int(value) if str(value).isdigit() else None

    return selectors.EnterpriseFilters(
        q=params.get("q", "").strip(),
        region=as_int("region"),
        industry=params.get("industry", "").strip(),
        size_class=params.get("size_class", ""),
        tier=as_int("tier"),
        is_above_scale={"1": True, "0": False}.get(params.get("above_scale", "")),
    )


class EnterpriseListView(generics.ListCreateAPIView):
    """Enterprises in the caller's region and below, filtered like the list page."""

    def get_serializer_class(self):
        return EnterpriseWriteSerializer if self.request.method == "POST" else EnterpriseSerializer

    def get_queryset(self):
        if not permissions.can_view_enterprises(self.request.user):
            raise PermissionDenied
        return selectors.enterprise_list(self.request.user, filters_from(self.request.query_params))

    @extend_schema(parameters=FILTER_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = EnterpriseWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("expected_version", None)
        if not permissions.can_create_enterprise(request.user, data["region"]):
            raise PermissionDenied
        enterprise = services.create_enterprise(actor=request.user, **data)
        enterprise = selectors.enterprise_list(request.user, selectors.EnterpriseFilters()).get(pk=enterprise.pk)
        return Response(EnterpriseSerializer(enterprise, context={"request": request}).data, status=status.HTTP_201_CREATED)


class EnterpriseDetailView(generics.RetrieveUpdateAPIView):
    """One enterprise; PATCH with `expected_version` to refuse overwriting someone else's change."""

    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self):
        return EnterpriseWriteSerializer if self.request.method == "PATCH" else EnterpriseSerializer

    def get_queryset(self):
        return selectors.enterprise_list(self.request.user, selectors.EnterpriseFilters())

    def get_object(self):
        enterprise = super().get_object()
        if not permissions.can_view_enterprise(self.request.user, enterprise):
            raise Http404
        return enterprise

    def partial_update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        if not permissions.can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied
        serializer = EnterpriseWriteSerializer(enterprise, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("expected_version", None)
        if "region" in data and not permissions.can_create_enterprise(request.user, data["region"]):
            raise PermissionDenied
        services.update_enterprise(actor=request.user, enterprise=enterprise, expected_version=expected_version, **data)
        return Response(EnterpriseSerializer(self.get_object(), context={"request": request}).data)


class IndicatorListView(generics.ListAPIView):
    """An enterprise's yearly figures, newest year first."""

    serializer_class = IndicatorSerializer
    pagination_class = None

    def get_queryset(self):
        enterprise = selectors.enterprise_detail(self.request.user, self.kwargs["pk"])
        if enterprise is None or not permissions.can_view_enterprise(self.request.user, enterprise):
            raise Http404
        return AnnualIndicator.objects.filter(enterprise=enterprise).order_by("-year")


class IndicatorYearView(generics.GenericAPIView):
    """Read or set one year's figures (PUT creates the year if missing)."""

    serializer_class = IndicatorSerializer

    def _enterprise(self):
        enterprise = selectors.enterprise_detail(self.request.user, self.kwargs["pk"])
        if enterprise is None or not permissions.can_view_enterprise(self.request.user, enterprise):
            raise Http404
        return enterprise

    def get(self, request, pk: int, year: int):
        indicator = AnnualIndicator.objects.filter(enterprise=self._enterprise(), year=year).first()
        if indicator is None:
            raise Http404
        return Response(IndicatorSerializer(indicator).data)

    def put(self, request, pk: int, year: int):
        enterprise = self._enterprise()
        if not permissions.can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied
        serializer = IndicatorSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("expected_version", None)
        indicator = services.save_indicators(
            actor=request.user, enterprise=enterprise, year=year, values=data, expected_version=expected_version
        )
        return Response(IndicatorSerializer(indicator).data)
