"""Entitlements: what one enterprise, county or park is owed under one rule and why, and who receives the money."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incentives.models.events import RewardEvent
from incentives.models.fields import money_field
from incentives.models.rules import RewardRule


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
