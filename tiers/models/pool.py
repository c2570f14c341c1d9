"""The cultivation pool (培育库): the rules that fill it, the counties' yearly quotas, and its entries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiers.models.ladders import Tier


class PoolRule(models.Model):
    """How a jurisdiction fills a tier's cultivation pool: automatically when missing ≤ N criteria."""

    region = models.ForeignKey(
        "portal.Region", on_delete=models.CASCADE, related_name="pool_rules", verbose_name=_("region")
    )
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="pool_rules", verbose_name=_("tier"))
    max_missing = models.PositiveSmallIntegerField(_("enter when missing at most"), default=3)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pool rule")
        verbose_name_plural = _("pool rules")
        constraints = [models.UniqueConstraint(fields=["region", "tier"], name="pool_rule_unique_region_tier")]

    def __str__(self) -> str:
        return f"{self.region} · {self.tier} ≤ {self.max_missing}"


class PoolQuota(models.Model):
    """A county's yearly minimum of pool entries (博州: 博乐 ≥ 6, and ≥ 10% of its 规上 enterprises)."""

    region = models.ForeignKey(
        "portal.Region", on_delete=models.CASCADE, related_name="pool_quotas", verbose_name=_("region")
    )
    tier = models.ForeignKey(
        Tier,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tier"),
        help_text=_("Empty: entries of every tier count."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("Empty: every year."))
    minimum = models.PositiveIntegerField(_("minimum entries"), default=0)
    above_scale_share = models.DecimalField(
        _("minimum share of 规上 enterprises (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pool quota")
        verbose_name_plural = _("pool quotas")
        ordering = ["region__path"]

    def __str__(self) -> str:
        return f"{self.region} ≥ {self.minimum}"


class PoolEntry(models.Model):
    """An enterprise chosen to be cultivated toward a tier (培育库)."""

    class Stage(models.TextChoices):
        RESERVE = "reserve", _("储备")
        CULTIVATE = "cultivate", _("培育")
        ELEVATE = "elevate", _("提升")

    class Origin(models.TextChoices):
        AUTO = "auto", _("Automatic rule")
        MANUAL = "manual", _("Added by hand")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="pool_entries", verbose_name=_("enterprise")
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="pool_entries", verbose_name=_("tier"))
    region = models.ForeignKey(
        "portal.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The enterprise's region when it entered; scopes who sees the entry."),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.RESERVE)
    origin = models.CharField(_("entered by"), max_length=8, choices=Origin.choices)
    reason = models.CharField(_("reason"), max_length=500)
    missing_at_entry = models.PositiveSmallIntegerField(_("criteria missed at entry"), null=True, blank=True)
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pool_entries",
        verbose_name=_("service commissioner"),
    )
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        ordering = ["tier", "region__path", "-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier"], condition=models.Q(left_at__isnull=True), name="pool_one_open_entry"
            )
        ]
        indexes = [models.Index(fields=["tier", "left_at"], name="pool_tier_open_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.tier}"

    @property
    def is_open(self) -> bool:
        return self.left_at is None
