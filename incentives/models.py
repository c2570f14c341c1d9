"""Reward rules of the policy documents, what each beneficiary is owed under them, and what was paid.

Money is in 万元 throughout, as the documents and the bureaus' sheets count it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def money_field(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, help_text=_("万元"), **kwargs)


class Trigger(models.TextChoices):
    RECOGNITION = "recognition", _("Recognition of a tier")
    ABOVE_SCALE = "above_scale", _("Becoming an above-designated-size enterprise (升规)")
    TOP_LIST = "top_list", _("Entering a top-500 list")
    PARK_CLUSTER = "park_cluster", _("A park gathering enough recognised enterprises")
    PLATFORM_AWARD = "platform_award", _("Yearly award to a service platform")
    PROJECT_SHARE = "project_share", _("Share of a project's investment")
    OTHER_EVENT = "other_event", _("Other event")


class FunderLevel(models.TextChoices):
    PROVINCE = "province", _("Province / autonomous region")
    CITY = "city", _("City / prefecture")
    COUNTY = "county", _("County, district or park")


class RewardRule(models.Model):
    """One reward a policy article promises, as data: what triggers it, how much, who pays, who receives."""

    class Beneficiary(models.TextChoices):
        ENTERPRISE = "enterprise", _("The enterprise")
        COUNTY = "county", _("The enterprise's county or park")
        PARK = "park", _("The park")

    class Holders(models.TextChoices):
        NEW_ONLY = "new_only", _("Only new recognitions")
        EXISTING_AND_NEW = "existing_and_new", _("Existing holders and new recognitions")

    class Recurrence(models.TextChoices):
        ONE_TIME = "one_time", _("One-time")
        YEARLY = "yearly", _("Every year")

    class UpgradePolicy(models.TextChoices):
        FULL = "full", _("Full amount")
        DIFFERENCE = "difference", _("Difference to the lower rungs' rewards")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    policy = models.ForeignKey(
        "tasks.Policy", on_delete=models.PROTECT, related_name="reward_rules", verbose_name=_("policy")
    )
    measure = models.ForeignKey(
        "tasks.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reward_rules",
        verbose_name=_("article"),
    )
    article = models.CharField(_("article number"), max_length=20, help_text=_("As the document numbers it: 3, （三）"))
    name = models.CharField(_("name"), max_length=200)
    clause = models.TextField(_("clause as written"))
    region = models.ForeignKey(
        "portal.Region",
        on_delete=models.PROTECT,
        related_name="reward_rules",
        verbose_name=_("applies in"),
        help_text=_("Enterprises of this region and below it."),
    )
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    tier = models.ForeignKey(
        "tiers.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reward_rules",
        verbose_name=_("tier"),
        help_text=_("The tier recognised; for a park cluster, the tier its enterprises hold."),
    )
    prerequisite_tier = models.ForeignKey(
        "tiers.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("must also hold"),
    )
    event_code = models.SlugField(_("event code"), max_length=60, blank=True, help_text=_("e.g. world-500"))
    threshold_count = models.PositiveSmallIntegerField(_("threshold (enterprises)"), null=True, blank=True)
    is_monetary = models.BooleanField(_("monetary"), default=True)
    amount = money_field(_("amount"), null=True, blank=True)
    is_cap = models.BooleanField(_("upper bound (不高于)"), default=False)
    percentage = models.DecimalField(_("percentage of the base"), max_digits=5, decimal_places=2, null=True, blank=True)
    max_amount = money_field(_("maximum"), null=True, blank=True)
    beneficiary = models.CharField(
        _("beneficiary"), max_length=12, choices=Beneficiary.choices, default=Beneficiary.ENTERPRISE
    )
    holders = models.CharField(_("holders"), max_length=20, choices=Holders.choices, default=Holders.NEW_ONLY)
    effective_from = models.DateField(_("effective from"), help_text=_("New recognitions count from this date."))
    window_start = models.DateField(_("window start"), null=True, blank=True)
    window_end = models.DateField(_("window end"), null=True, blank=True)
    budget_lag_years = models.PositiveSmallIntegerField(
        _("paid years after the trigger"),
        default=0,
        help_text=_("1 where the document rewards last year's achievements (上年度)."),
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONE_TIME
    )
    once_per_enterprise = models.BooleanField(
        _("once per enterprise"),
        default=True,
        help_text=_("A renewed or re-entered recognition is not rewarded again."),
    )
    upgrade_policy = models.CharField(
        _("on upgrade"), max_length=12, choices=UpgradePolicy.choices, default=UpgradePolicy.FULL
    )
    upgrade_from = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+", verbose_name=_("lower rungs' rules")
    )
    tranche_percents = models.JSONField(
        _("tranches (%)"), default=list, blank=True, help_text=_("e.g. [50, 50]; empty means one payment.")
    )
    clawback_on_revocation = models.BooleanField(_("claw back on revocation"), default=False)
    cap_indicator = models.CharField(
        _("capped by the enterprise's figure"),
        max_length=40,
        blank=True,
        help_text=_("A yearly indicator whose sum caps the amount, e.g. tax_paid for “不高于企业三年累计缴税总额”."),
    )
    cap_years = models.PositiveSmallIntegerField(_("years summed for the cap"), null=True, blank=True)
    funders_presumed = models.BooleanField(
        _("funder split presumed (推定)"),
        default=False,
        help_text=_("The document does not state who pays; a finance administrator confirms or changes the split."),
    )
    funders_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("funders confirmed by"),
    )
    funders_confirmed_at = models.DateTimeField(_("funders confirmed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("assumptions and notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reward rule")
        verbose_name_plural = _("reward rules")
        ordering = ["policy__region__path", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def citation(self) -> str:
        """The document and article, as a finance office cites them (data, so in Chinese)."""
        number = f"（{self.policy.document_number}）" if self.policy.document_number else ""
        article = f"第{self.article}条" if self.article.isdigit() else self.article
        return f"依据《{self.policy.title}》{number}{article}"


class RewardFunder(models.Model):
    """Which government level pays which share of a rule's amount."""

    rule = models.ForeignKey(RewardRule, on_delete=models.CASCADE, related_name="funders")
    level = models.CharField(_("level"), max_length=10, choices=FunderLevel.choices)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["rule", "level"]
        constraints = [models.UniqueConstraint(fields=["rule", "level"], name="reward_funder_unique_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.percent}%"


class FundAllocation(models.Model):
    """What a funder has set aside for rewards in one budget year (万元)."""

    funder_region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="reward_allocations", verbose_name=_("funder")
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    amount = money_field(_("allocated"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("budget allocation")
        verbose_name_plural = _("budget allocations")
        ordering = ["year", "funder_region__path"]
        constraints = [
            models.UniqueConstraint(fields=["funder_region", "year"], name="allocation_unique_funder_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.funder_region.name} {self.year} {self.amount} 万元"


class RewardEvent(models.Model):
    """Something other than a recognition that a rule rewards: 升规, a 500强 list, a platform's year, a project."""

    kind = models.CharField(_("kind"), max_length=20, choices=Trigger.choices)
    event_code = models.SlugField(_("event code"), max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reward_events",
        verbose_name=_("enterprise"),
    )
    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="reward_events", verbose_name=_("region")
    )
    occurred_on = models.DateField(_("date"))
    base_amount = money_field(_("base amount"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reward event")
        verbose_name_plural = _("reward events")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        who = self.enterprise or self.region
        return f"{self.get_kind_display()} · {who} · {self.occurred_on}"


class Entitlement(models.Model):
    """What one enterprise, county or park is owed under one rule, and why.

    The database refuses a second entitlement for the same recognition and rule,
    and for the same rule, beneficiary region and event key.
    """

    rule = models.ForeignKey(
        RewardRule, on_delete=models.PROTECT, related_name="entitlements", verbose_name=_("reward rule")
    )
    recognition = models.ForeignKey(
        "tiers.Recognition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
        verbose_name=_("recognition"),
    )
    event = models.ForeignKey(
        RewardEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
        verbose_name=_("reward event"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
        verbose_name=_("enterprise"),
    )
    beneficiary_region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="entitlements", verbose_name=_("beneficiary region")
    )
    event_key = models.CharField(_("event key"), max_length=100, blank=True)
    trigger_date = models.DateField(_("trigger date"))
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    amount = money_field(_("amount owed"))
    is_capped = models.BooleanField(_("amount is an upper bound"), default=False)
    basis = models.TextField(_("basis"))
    calculation = models.CharField(_("calculation"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["-trigger_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "rule"],
                condition=Q(recognition__isnull=False),
                name="entitlement_unique_recognition_rule",
            ),
            models.UniqueConstraint(
                fields=["rule", "beneficiary_region", "event_key"],
                condition=~Q(event_key=""),
                name="entitlement_unique_rule_beneficiary_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.rule.name} · {self.amount} 万元"

    @property
    def is_paid_to_enterprise(self) -> bool:
        return self.rule.beneficiary == RewardRule.Beneficiary.ENTERPRISE and self.enterprise_id is not None

    @property
    def recipient_name(self) -> str:
        """Who receives the money: the enterprise, or the government or park committee named (data, in Chinese)."""
        if self.is_paid_to_enterprise:
            return self.enterprise.name
        return recipient_body(self.beneficiary_region)

    @property
    def recipient_kind(self) -> str:
        if self.is_paid_to_enterprise:
            return str(_("Enterprise"))
        if self.beneficiary_region.kind == "park":
            return str(_("Park management committee"))
        return str(_("Government"))


def recipient_body(region) -> str:
    """The body that receives a region's money: a park's committee, otherwise the region's people's government."""
    if region.kind == "park":
        return f"{region.name}管委会"
    return f"{region.name}人民政府"


class ShareStatus(models.TextChoices):
    DUE = "due", _("Due")
    APPROVED = "approved", _("Approved")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    ON_HOLD = "on_hold", _("On hold")
    AWAITING_DATA = "awaiting_data", _("Awaiting data")
    CANCELLED = "cancelled", _("Cancelled")
    CLAWBACK_DUE = "clawback_due", _("Clawback pending decision")
    CLAWED_BACK = "clawed_back", _("Clawed back")


class EntitlementShare(models.Model):
    """The part of an entitlement one funder pays, and where its payment stands."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.CASCADE, related_name="shares", verbose_name=_("entitlement")
    )
    funder_region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="funded_shares", verbose_name=_("funder")
    )
    level = models.CharField(_("level"), max_length=10, choices=FunderLevel.choices)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    amount = money_field(_("amount owed"))
    approved_amount = money_field(_("approved"), default=Decimal("0"))
    paid_amount = money_field(_("paid"), default=Decimal("0"))
    clawed_back_amount = money_field(_("clawed back"), default=Decimal("0"))
    status = models.CharField(_("status"), max_length=16, choices=ShareStatus.choices, default=ShareStatus.DUE)
    held_from = models.CharField(_("status before the hold"), max_length=16, choices=ShareStatus.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_presumed = models.BooleanField(_("funder presumed (推定)"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("funder share")
        verbose_name_plural = _("funder shares")
        ordering = ["entitlement", "level"]
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "funder_region"], name="share_unique_funder"),
        ]
        indexes = [models.Index(fields=["funder_region", "budget_year", "status"], name="share_budget_idx")]

    def __str__(self) -> str:
        return f"{self.entitlement} · {self.funder_region.name} {self.amount} 万元"

    @property
    def payer_name(self) -> str:
        return f"{self.funder_region.name}财政"

    @property
    def outstanding(self) -> Decimal:
        if self.status in (ShareStatus.CANCELLED, ShareStatus.CLAWBACK_DUE, ShareStatus.CLAWED_BACK):
            return Decimal("0")
        return self.amount - self.paid_amount

    @property
    def approvable(self) -> Decimal:
        return self.amount - self.approved_amount

    @property
    def payable(self) -> Decimal:
        return self.approved_amount - self.paid_amount


class Payment(models.Model):
    """Money moved for a share: a payment to the beneficiary, or a clawback from it."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CLAWBACK = "clawback", _("Clawback")

    share = models.ForeignKey(EntitlementShare, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    tranche = models.PositiveSmallIntegerField(_("tranche"), default=1)
    amount = money_field(_("amount"))
    paid_on = models.DateField(_("date"))
    voucher_no = models.CharField(_("voucher number"), max_length=100)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["share", "paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["share", "kind", "voucher_no"], name="payment_unique_voucher"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_no} · {self.amount} 万元"
