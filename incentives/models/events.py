"""Reward events: what a rule rewards other than a recognition (升规, a 500强 list, a platform's year, a project)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incentives.models.fields import money_field
from incentives.models.rules import Trigger


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
