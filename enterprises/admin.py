from django.contrib import admin
from import_export.admin import ExportMixin

from enterprises.models import AnnualIndicator, Enterprise
from enterprises.resources import EnterpriseResource
from portal.admin import ReadOnlyAdmin


@admin.register(Enterprise)
class EnterpriseAdmin(ExportMixin, ReadOnlyAdmin):
    """Read and export here; changes (and deletion, which would take the history along) go through the register."""

    resource_classes = [EnterpriseResource]
    list_display = ["name", "credit_code", "region", "industry_code", "is_above_scale"]
    list_filter = ["is_above_scale", "size_class", "is_credit_code_flagged"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["region", "service_commissioner"]


@admin.register(AnnualIndicator)
class AnnualIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "year", "operating_revenue", "rd_expense", "employees"]
    list_filter = ["year"]
    raw_id_fields = ["enterprise"]
