"""Publicity (公示): the lists that make applications public for a period, and the objections raised against them."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiers.applications.models.applications import Application


class PublicityList(models.Model):
    """A 公示 list: applications made public between two dates so that objections can be raised."""

    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("published by region")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    applications = models.ManyToManyField(
        Application, related_name="publicity_lists", blank=True, verbose_name=_("applications")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "tiers"
        verbose_name = _("publicity list")
        verbose_name_plural = _("publicity lists")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="publicity_dates_order")
        ]

    def __str__(self) -> str:
        return self.title

    def has_ended_by(self, day: datetime.date) -> bool:
        return day > self.ends_on


class Objection(models.Model):
    """An objection received during publicity, recorded against one application."""

    class Status(models.TextChoices):
        # "Open" alone is also a button ("查看"); here it is the state of an objection.
        OPEN = "open", pgettext_lazy("objection status", "Open")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    publicity_list = models.ForeignKey(
        PublicityList, on_delete=models.CASCADE, related_name="objections", verbose_name=_("publicity list")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections", verbose_name=_("application")
    )
    received_on = models.DateField(_("received on"))
    objector = models.CharField(_("raised by"), max_length=100, blank=True)
    text = models.TextField(_("objection"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        app_label = "tiers"
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.text[:40]}"
