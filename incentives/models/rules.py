"""Reward rules as data: what triggers a reward (Trigger), which level of government pays (FunderLevel), the rule
itself with its article, amount or cap, and each funder's share of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incentives.models.fields import money_field


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
