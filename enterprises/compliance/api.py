"""The compliance API: records per enterprise (staff), imports and the regions they cover (administrators)."""

from collections.abc import Mapping

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.compliance import permissions, selectors, services
from enterprises.compliance.models import ComplianceCoverage, ComplianceImport, ComplianceRecord
from enterprises.roster.reading import check_upload_size
from enterprises.selectors import enterprise_detail
from portal import params as query
from portal.api.fields import ScopedPrimaryKeyRelatedField
from portal.models import Region


class CanImportCompliance(BasePermission):
    def has_permission(self, request, view) -> bool:
        return permissions.can_import_compliance(request.user)


class ComplianceRecordSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = ComplianceRecord
        fields = [
            "id",
            "enterprise",
            "kind",
            "kind_display",
            "category",
            "category_display",
            "is_major",
            "listed_on",
            "removed_on",
            "authority",
            "document_number",
            "reason",
            "source",
            "version",
        ]
        read_only_fields = ["enterprise", "source", "version"]

    def validate(self, data):
        kind = data.get("kind", getattr(self.instance, "kind", ""))
        category = data.get("category", getattr(self.instance, "category", ""))
        if kind == ComplianceRecord.Kind.PENALTY and not category:
            raise serializers.ValidationError(
                {"category": "行政处罚须注明领域（安全、质量、环境、税务、网络与数据安全）"}
            )
        return data


class RecordUpdateSerializer(ComplianceRecordSerializer):
    expected_version = serializers.IntegerField(required=False, write_only=True)

    class Meta(ComplianceRecordSerializer.Meta):
        fields = [*ComplianceRecordSerializer.Meta.fields, "expected_version"]


def _enterprise(request, pk: int):
    enterprise = enterprise_detail(request.user, pk)
    if enterprise is None or not permissions.can_view_compliance(request.user, enterprise):
        raise Http404
    return enterprise


class EnterpriseComplianceView(APIView):
    """An enterprise's compliance history; POST enters a record (bureau staff and administrators of its region)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ComplianceRecordSerializer(many=True))
    def get(self, request, pk: int):
        records = selectors.compliance_history(_enterprise(request, pk))
        return Response(ComplianceRecordSerializer(records, many=True).data)

    @extend_schema(request=ComplianceRecordSerializer, responses={201: ComplianceRecordSerializer})
    def post(self, request, pk: int):
        enterprise = _enterprise(request, pk)
        if not permissions.can_record_compliance(request.user, enterprise):
            raise PermissionDenied
        serializer = ComplianceRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.record_compliance(actor=request.user, enterprise=enterprise, **serializer.validated_data)
        return Response(ComplianceRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class ComplianceRecordView(APIView):
    """One record: PATCH corrects it, DELETE removes it; `expected_version` refuses a stale edit."""

    permission_classes = [IsAuthenticated]

    def _record(self, request, pk: int) -> ComplianceRecord:
        record = selectors.compliance_record_detail(request.user, pk)
        if record is None:
            raise Http404
        return record

    @extend_schema(responses=ComplianceRecordSerializer)
    def get(self, request, pk: int):
        return Response(ComplianceRecordSerializer(self._record(request, pk)).data)

    @extend_schema(request=RecordUpdateSerializer, responses=ComplianceRecordSerializer)
    def patch(self, request, pk: int):
        record = self._record(request, pk)
        if not permissions.can_change_compliance_record(request.user, record):
            raise PermissionDenied
        if not isinstance(request.data, Mapping):
            # A partial update of nothing would otherwise pass: the changes come as one object.
            raise serializers.ValidationError({"non_field_errors": [_("Send the changes as one JSON object.")]})
        serializer = RecordUpdateSerializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("expected_version", None)
        record = services.update_compliance_record(
            actor=request.user, record=record, expected_version=version, **fields
        )
        return Response(ComplianceRecordSerializer(record).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        record = self._record(request, pk)
        if not permissions.can_change_compliance_record(request.user, record):
            raise PermissionDenied
        services.delete_compliance_record(
            actor=request.user, record=record, expected_version=query.integer(request.query_params, "expected_version")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ComplianceImportSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ComplianceImport
        read_only_fields = ["region", "job"]
        fields = [
            "id",
            "file_name",
            "sha256",
            "region",
            "region_name",
            "status",
            "status_display",
            "error",
            "total_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "created_at",
            "committed_at",
            "job",
        ]


class ComplianceReportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "reject"])
    credit_code = serializers.CharField()
    name = serializers.CharField()
    record = serializers.DictField()
    error_texts = serializers.ListField(child=serializers.CharField())
    warning_texts = serializers.ListField(child=serializers.CharField())


class ComplianceReportSerializer(ComplianceImportSerializer):
    problems = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()

    class Meta(ComplianceImportSerializer.Meta):
        fields = [*ComplianceImportSerializer.Meta.fields, "problems", "rows"]

    def get_problems(self, obj) -> list[str]:
        return selectors.report_problems(obj)

    @extend_schema_field(ComplianceReportRowSerializer(many=True))
    def get_rows(self, obj) -> list:
        return selectors.report_rows(obj, self.context.get("action", ""))


class ComplianceUploadSerializer(serializers.Serializer):
    region = ScopedPrimaryKeyRelatedField(
        model=Region, scope=selectors.import_regions_for, help_text="the region the file covers"
    )
    file = serializers.FileField(help_text=".xlsx, .xls or .csv in the credit-information export layout")


class ComplianceImportListView(APIView):
    """Compliance imports of the caller's region; POST a file and the region it covers to get the dry run."""

    permission_classes = [CanImportCompliance]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=ComplianceImportSerializer(many=True))
    def get(self, request):
        imports = selectors.compliance_imports_visible_to(request.user)[:200]
        return Response(ComplianceImportSerializer(imports, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ComplianceUploadSerializer}, responses={201: ComplianceReportSerializer}
    )
    def post(self, request):
        upload = ComplianceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        region = upload.validated_data["region"]
        file = upload.validated_data["file"]
        check_upload_size(file.size)
        compliance_import = services.upload_compliance(
            actor=request.user, region=region, file_name=file.name, data=file.read()
        )
        return Response(ComplianceReportSerializer(compliance_import).data, status=status.HTTP_201_CREATED)


def _get_import(request, pk: int) -> ComplianceImport:
    compliance_import = selectors.compliance_import_detail(request.user, pk)
    if compliance_import is None:
        raise Http404
    return compliance_import


class ComplianceImportDetailView(APIView):
    """The dry-run report; `?action=reject` keeps one kind of row."""

    permission_classes = [CanImportCompliance]

    @extend_schema(responses=ComplianceReportSerializer)
    def get(self, request, pk: int):
        context = {"action": request.query_params.get("action", "")}
        return Response(ComplianceReportSerializer(_get_import(request, pk), context=context).data)


class ComplianceImportCommitView(APIView):
    """Commit the dry run: all or nothing, refused while any row is rejected. Large files return 202."""

    permission_classes = [CanImportCompliance]

    @extend_schema(request=None, responses={200: ComplianceImportSerializer, 202: ComplianceImportSerializer})
    def post(self, request, pk: int):
        compliance_import = services.commit_compliance_import(
            actor=request.user, compliance_import=_get_import(request, pk)
        )
        is_done = compliance_import.status == ComplianceImport.Status.COMMITTED
        code = status.HTTP_200_OK if is_done else status.HTTP_202_ACCEPTED
        return Response(ComplianceImportSerializer(compliance_import).data, status=code)


class CoverageSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = ComplianceCoverage
        fields = ["region", "region_name", "imported_at", "compliance_import"]
        read_only_fields = fields


class ComplianceCoverageView(APIView):
    """The regions of the caller's scope whose compliance data has been imported, and when."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CoverageSerializer(many=True))
    def get(self, request):
        return Response(CoverageSerializer(selectors.coverage_visible_to(request.user), many=True).data)
