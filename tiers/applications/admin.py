from django.contrib import admin

from portal.admin import AuditedAdmin, ReadOnlyAdmin
from tiers.applications.models import Application, Batch, ReviewAction, ReviewChain, ReviewStep


class ReviewStepInline(admin.TabularInline):
    model = ReviewStep
    extra = 1


@admin.register(ReviewChain)
class ReviewChainAdmin(AuditedAdmin):
    """An administrator changes who reviews a tier's applications and how long each step may take, without code."""

    list_display = ["tier", "decision_level"]
    inlines = [ReviewStepInline]


@admin.register(Batch)
class BatchAdmin(AuditedAdmin):
    list_display = ["name", "tier", "year", "opens_on", "closes_on"]
    list_filter = ["year", "tier"]
    search_fields = ["name", "tier__name"]


class ReviewActionInline(admin.TabularInline):
    model = ReviewAction
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "from_state", "to_state", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Applications move only through the review services, so that every step is logged."""

    list_display = ["enterprise", "tier", "batch", "kind", "state", "reviewing_region", "updated_at"]
    list_filter = ["state", "kind", "tier"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    raw_id_fields = ["enterprise"]
    inlines = [ReviewActionInline]
