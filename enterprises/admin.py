from django.contrib import admin
from import_export.admin import ExportMixin

from enterprises.models import AnnualIndicator, Enterprise
from enterprises.resources import EnterpriseResource


@admin.register(Enterprise)
class EnterpriseAdmin(ExportMixin, admin.ModelAdmin):
    """Read and export here; changes go through the register pages so they are audited."""

    resource_classes = [EnterpriseResource]
    list_display = ["name", "credit_code", "region", "industry_code", "is_above_scale"]
    list_filter = ["is_above_scale", "size_class", "is_credit_code_flagged"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["region", "service_commissioner"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AnnualIndicator)
class AnnualIndicatorAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "operating_revenue", "rd_expense", "employees"]
    list_filter = ["year"]
    raw_id_fields = ["enterprise"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
