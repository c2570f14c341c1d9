from django.contrib import admin

from incentives.models import Entitlement, EntitlementShare, Payment, RewardEvent, RewardFunder, RewardRule
from portal.admin import ReadOnly, ReadOnlyAdmin


class RewardFunderInline(ReadOnly, admin.TabularInline):
    model = RewardFunder
    extra = 0


@admin.register(RewardRule)
class RewardRuleAdmin(ReadOnlyAdmin):
    """Rules come from the policy loader; their funders and tranches change on the portal's pages, whose
    services check the version and audit the change, so the admin only shows them."""

    list_display = ["name", "code", "policy", "article", "trigger", "tier", "amount", "is_cap", "holders", "is_active"]
    list_filter = ["policy", "trigger", "is_monetary", "is_active", "holders"]
    search_fields = ["name", "code", "clause"]
    inlines = [RewardFunderInline]
    filter_horizontal = ["upgrade_from"]


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "rule", "beneficiary_region", "trigger_date", "budget_year", "amount"]
    list_filter = ["budget_year", "rule__policy"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["rule", "enterprise", "beneficiary_region"]


@admin.register(EntitlementShare)
class EntitlementShareAdmin(ReadOnlyAdmin):
    list_display = ["entitlement", "funder_region", "amount", "approved_amount", "paid_amount", "status"]
    list_filter = ["status", "budget_year", "level"]
    list_select_related = [
        "entitlement__rule",
        "entitlement__enterprise",
        "entitlement__beneficiary_region",
        "funder_region",
    ]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["voucher_no", "share", "kind", "amount", "paid_on"]


@admin.register(RewardEvent)
class RewardEventAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "event_code", "occurred_on"]
