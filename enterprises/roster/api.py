"""Roster imports over REST: upload for a dry-run report, read it, commit it. Administrators only."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.holdings import holdings
from enterprises.models import RosterImport
from enterprises.permissions import can_import_rosters
from enterprises.roster import selectors, services
from enterprises.roster.analysis import RosterChoices
from enterprises.roster.reading import check_upload_size
from portal import params as query


class CanImportRosters(BasePermission):
    def has_permission(self, request, view) -> bool:
        return can_import_rosters(request.user)


class JobBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    total = serializers.IntegerField()


class TitleSerializer(serializers.Serializer):
    text = serializers.CharField()
    tier_code = serializers.CharField(allow_null=True)
    tier_name = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    batch = serializers.CharField()


class RosterImportSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    refusal = serializers.SerializerMethodField()
    job = serializers.SerializerMethodField()

    class Meta:
        model = RosterImport
        fields = [
            "id",
            "file_name",
            "file_size",
            "sha256",
            "created_by",
            "created_at",
            "status",
            "status_display",
            "refusal",
            "total_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "recognition_count",
            "job",
            "committed_at",
        ]

    def get_refusal(self, obj: RosterImport) -> str:
        return services.refusal_text(obj)

    @extend_schema_field(JobBriefSerializer(allow_null=True))
    def get_job(self, obj: RosterImport) -> dict | None:
        if obj.job is None:
            return None
        return {"id": obj.job.pk, "status": obj.job.status, "progress": obj.job.progress, "total": obj.job.total}


class ReportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row number in the sheet")
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "reject"])
    credit_code = serializers.CharField()
    name = serializers.CharField()
    errors = serializers.ListField(
        child=serializers.CharField(), help_text="Rejection reasons, in the request's language"
    )
    warnings = serializers.ListField(child=serializers.CharField())
    changes = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)), help_text="[field, before, after]"
    )
    recognition = serializers.CharField(help_text="The recognition a new enterprise gets", allow_blank=True)
    scale = serializers.CharField(
        help_text="The row's 规上 period (纳入规上日期/退库日期): new, closed or unchanged, in the request's language",
        allow_blank=True,
    )


class MappingSerializer(serializers.Serializer):
    column = serializers.CharField()
    header = serializers.CharField()
    field = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()


REPORT_PAGE_SIZE = 200


class RosterReportSerializer(RosterImportSerializer):
    mapping = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    indicator_year = serializers.SerializerMethodField()
    year_source = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    row_count = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()

    class Meta(RosterImportSerializer.Meta):
        fields = [
            *RosterImportSerializer.Meta.fields,
            "mapping",
            "title",
            "indicator_year",
            "year_source",
            "warnings",
            "row_count",
            "page",
            "rows",
        ]

    def get_indicator_year(self, obj: RosterImport) -> int | None:
        return obj.report.get("indicator_year")

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["title", "chosen", "header", "column", "default"],
            allow_null=True,
            help_text="Where the indicator year comes from: the title, the upload's chosen year, "
            "the column headers, a year column, or the default (last year); null before the dry run",
        )
    )
    def get_year_source(self, obj: RosterImport) -> str | None:
        return obj.report.get("year_source") or None

    def get_row_count(self, obj: RosterImport) -> int:
        """Rows of the report with the requested `action`; `rows` holds one page of them."""
        return selectors.report_row_count(obj, self.context.get("action", ""))

    def get_page(self, obj: RosterImport) -> int:
        return self.context.get("page", 1)

    @extend_schema_field(MappingSerializer(many=True))
    def get_mapping(self, obj: RosterImport) -> list:
        return obj.report.get("mapping", [])

    @extend_schema_field(TitleSerializer)
    def get_title(self, obj: RosterImport) -> dict:
        # A refused file has no report: the title is empty, in the documented shape.
        empty = {"text": "", "tier_code": None, "tier_name": "", "year": None, "batch": ""}
        return {**empty, **obj.report.get("title", {})}

    def get_warnings(self, obj: RosterImport) -> list[str]:
        return selectors.file_warnings(obj)

    @extend_schema_field(ReportRowSerializer(many=True))
    def get_rows(self, obj: RosterImport) -> list:
        action = self.context.get("action", "")
        _page, rows = selectors.report_page(obj, action, self.context.get("page", 1), REPORT_PAGE_SIZE)
        return [selectors.present_row(row) for row in rows]


@extend_schema_field(OpenApiTypes.STR)
class TierCodeField(serializers.SlugRelatedField):
    """A tier named by its code, from the tiers the register reads (enterprises.holdings)."""

    def get_queryset(self):
        return holdings().tiers()


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx, .xls or .csv (UTF-8 or GBK)")
    tier = TierCodeField(
        slug_field="code",
        required=False,
        allow_null=True,
        help_text="For a file without a title row: the tier its rows are recognised in (a tier code)",
    )
    year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=2000,
        help_text="For a file without a title row: the recognitions' year and the year its figures are filed under",
    )

    def validate_year(self, year: int | None) -> int | None:
        if year is not None and year > timezone.localdate().year + 1:
            raise serializers.ValidationError(_("The year of the roster cannot be later than next year."))
        return year

    def choices(self) -> RosterChoices:
        tier = self.validated_data.get("tier")
        return RosterChoices(tier_code=tier.code if tier else "", year=self.validated_data.get("year"))


class RosterImportListView(generics.ListAPIView):
    """Roster imports of the caller's region; POST a file to get its dry-run report."""

    permission_classes = [CanImportRosters]
    serializer_class = RosterImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.roster_import_list(self.request.user)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: RosterReportSerializer})
    def post(self, request):
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        check_upload_size(file.size)
        roster_import = services.upload_roster(
            actor=request.user, file_name=file.name, data=file.read(), choices=upload.choices()
        )
        return Response(RosterReportSerializer(roster_import).data, status=status.HTTP_201_CREATED)


def _get_import(request, pk: int) -> RosterImport:
    roster_import = selectors.roster_imports_visible_to(request.user).filter(pk=pk).first()
    if roster_import is None:
        raise Http404
    return roster_import


class RosterImportDetailView(APIView):
    """The dry-run report: mapping, warnings and a page of rows; `?action=reject` keeps one kind of row."""

    permission_classes = [CanImportRosters]

    @extend_schema(
        responses=RosterReportSerializer,
        parameters=[
            OpenApiParameter(
                "action", str, enum=["create", "update", "unchanged", "reject", "warning"], description="Rows kept"
            ),
            OpenApiParameter("page", int, description=f"Page of {REPORT_PAGE_SIZE} rows, from 1"),
        ],
    )
    def get(self, request, pk: int):
        roster_import = _get_import(request, pk)
        page = query.integer(request.query_params, "page", minimum=1, maximum=1_000_000) or 1
        action = query.choice(request.query_params, "action", ["create", "update", "unchanged", "reject", "warning"])
        context = {"action": action, "page": page}
        return Response(RosterReportSerializer(roster_import, context=context).data)


class RosterImportCommitView(APIView):
    """Commit the dry run: all or nothing. Large rosters return 202 with the background job."""

    permission_classes = [CanImportRosters]

    @extend_schema(request=None, responses={200: RosterImportSerializer, 202: RosterImportSerializer})
    def post(self, request, pk: int):
        roster_import = services.commit_roster(actor=request.user, roster_import=_get_import(request, pk))
        code = status.HTTP_200_OK if roster_import.status == RosterImport.Status.COMMITTED else status.HTTP_202_ACCEPTED
        return Response(RosterImportSerializer(roster_import).data, status=code)
