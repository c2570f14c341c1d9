"""Budget allocations: what a funder has set aside for rewards in one budget year."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incentives.models.fields import money_field


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
