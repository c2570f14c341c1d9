from django.contrib import admin

from portal.admin import AuditedAdmin, ReadOnlyAdmin
from tasks.models import LeaderComment, Measure, MeasureUnit, Policy, ServiceVisit, Target, TargetConflict, TaskReport


class MeasureUnitInline(admin.TabularInline):
    model = MeasureUnit
    extra = 0
    raw_id_fields = ["department"]


@admin.register(Policy)
class PolicyAdmin(AuditedAdmin):
    list_display = [
        "short_title",
        "document_number",
        "issued_on",
        "region",
        "plan_start",
        "plan_end",
        "reporting_cycle",
    ]
    list_select_related = ["region"]


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ["policy", "number", "title", "reporting_cycle"]
    list_filter = ["policy"]
    inlines = [MeasureUnitInline]
    readonly_fields = ["policy", "number", "order", "section", "title", "text", "units_text", "unresolved_units"]


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ["key", "label", "kind", "metric", "year", "value", "baseline", "region"]
    list_filter = ["policy", "kind", "metric"]
    list_select_related = ["region"]


# Written by the reporting and follow-up services (audited, versioned); shown here only.
admin.site.register([TargetConflict, TaskReport, LeaderComment, ServiceVisit], ReadOnlyAdmin)
