from django.contrib import admin

from tiers.models import Ladder, LadderRung, Recognition, Tier


class LadderRungInline(admin.TabularInline):
    model = LadderRung
    extra = 1
    autocomplete_fields = ["tier"]


@admin.register(Ladder)
class LadderAdmin(admin.ModelAdmin):
    """An administrator adds a city's own ladder here, without code."""

    list_display = ["name", "code", "region"]
    search_fields = ["name", "code"]
    inlines = [LadderRungInline]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "issuing_region", "validity_years", "is_manual"]
    list_filter = ["level", "is_manual"]
    search_fields = ["name", "code"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "tier", "recognized_on", "valid_until", "status", "source"]
    list_filter = ["status", "source", "tier"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "certificate_no"]
    raw_id_fields = ["enterprise"]

    def has_change_permission(self, request, obj=None):
        # Recognitions change through services (grant, revoke) so that every change is audited.
        return False
