from django.contrib import admin

from portal.admin import AuditedAdmin, ReadOnlyAdmin

# The applications' admins register themselves when imported; the admin site imports only this module.
from tiers.applications.admin import ApplicationAdmin, BatchAdmin, ReviewChainAdmin
from tiers.models import (
    CriteriaSet,
    Criterion,
    Ladder,
    LadderRung,
    ManualAssessment,
    PoolEntry,
    PoolQuota,
    PoolRule,
    Recognition,
    Tier,
)

__all__ = [
    "ApplicationAdmin",
    "BatchAdmin",
    "CriteriaSetAdmin",
    "LadderAdmin",
    "ManualAssessmentAdmin",
    "PoolEntryAdmin",
    "PoolQuotaAdmin",
    "PoolRuleAdmin",
    "RecognitionAdmin",
    "ReviewChainAdmin",
    "TierAdmin",
]


class LadderRungInline(admin.TabularInline):
    model = LadderRung
    extra = 1
    autocomplete_fields = ["tier"]


@admin.register(Ladder)
class LadderAdmin(AuditedAdmin):
    """An administrator adds a city's own ladder here, without code."""

    list_display = ["name", "code", "region"]
    search_fields = ["name", "code"]
    inlines = [LadderRungInline]


@admin.register(Tier)
class TierAdmin(AuditedAdmin):
    list_display = ["name", "code", "level", "issuing_region", "validity_years", "is_manual"]
    list_filter = ["level", "is_manual"]
    search_fields = ["name", "code"]


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    """Recognitions change through services (grant, revoke), whose hooks keep rewards and eligibility right."""

    list_display = ["enterprise", "tier", "recognized_on", "valid_until", "status", "source"]
    list_filter = ["status", "source", "tier"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "certificate_no"]
    raw_id_fields = ["enterprise"]


class CriterionInline(admin.StackedInline):
    """Parameters are JSON checked per kind (tiers.criteria.validation) when the set is saved."""

    model = Criterion
    extra = 0
    fields = [("order", "code", "kind", "status"), "label", "params", "source"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(AuditedAdmin):
    """Administrators write the criteria of manual-recognition tiers (创新型示范, 科技领军 …) here."""

    list_display = ["name", "tier", "purpose", "effective_from", "effective_to"]
    list_filter = ["purpose", "tier"]
    search_fields = ["name", "code", "tier__name"]
    inlines = [CriterionInline]


@admin.register(PoolRule)
class PoolRuleAdmin(AuditedAdmin):
    list_display = ["region", "tier", "max_missing", "is_active", "source"]
    list_filter = ["is_active", "tier"]


@admin.register(PoolQuota)
class PoolQuotaAdmin(AuditedAdmin):
    list_display = ["region", "tier", "year", "minimum", "above_scale_share", "source"]


@admin.register(ManualAssessment)
class ManualAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "key", "is_met", "value", "assessed_by", "assessed_at"]
    search_fields = ["enterprise__name", "key"]


@admin.register(PoolEntry)
class PoolEntryAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "tier", "stage", "origin", "entered_at", "left_at"]
    list_filter = ["tier", "stage", "origin"]
    search_fields = ["enterprise__name"]
