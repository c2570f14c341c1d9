"""How a tier's applications are called and reviewed: the batches (批次) that open a call, the levels of
government, the review chain and its ordered steps.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewLevel(models.TextChoices):
    """The level of government that reviews a step. Parks act like counties."""

    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")


class Batch(models.Model):
    """A year's call for applications to one tier (批次), open between two dates."""

    tier = models.ForeignKey("tiers.Tier", on_delete=models.PROTECT, related_name="batches", verbose_name=_("tier"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    region = models.ForeignKey(
        "portal.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened for region"),
        help_text=_("The city or province whose responsible department runs the batch; empty for a national call."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "tiers"
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-year", "tier", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "year", "name", "region"], name="batch_unique_name_in_region"),
            models.UniqueConstraint(
                fields=["tier", "year", "name"], condition=models.Q(region__isnull=True), name="batch_unique_national"
            ),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="batch_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} · {self.name}"

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class ReviewChain(models.Model):
    """How one tier's applications are reviewed: ordered steps, then a decision at `decision_level`.

    A 市级 tier ends at the city (the city decides); a national or provincial
    tier passes county and city and is then recommended upward.
    """

    tier = models.OneToOneField(
        "tiers.Tier", on_delete=models.CASCADE, related_name="review_chain", verbose_name=_("tier")
    )
    decision_level = models.CharField(
        _("decided at"),
        max_length=10,
        choices=ReviewLevel.choices,
        help_text=_("Staff of the responsible department of this level record the final grant or refusal."),
    )
    requires_publicity = models.BooleanField(
        _("publicity required before the grant"),
        default=False,
        help_text=_("The grant is refused until a publicity (公示) period including the application has ended."),
    )
    separates_duties = models.BooleanField(
        _("separation of duties"),
        default=True,
        help_text=_("Whoever entered or submitted an application cannot act on its review steps."),
    )

    class Meta:
        app_label = "tiers"
        verbose_name = _("review chain")
        verbose_name_plural = _("review chains")

    def __str__(self) -> str:
        return str(self.tier)


class ReviewStep(models.Model):
    chain = models.ForeignKey(ReviewChain, on_delete=models.CASCADE, related_name="steps", verbose_name=_("chain"))
    position = models.PositiveSmallIntegerField(_("position"))
    level = models.CharField(_("reviewed at"), max_length=10, choices=ReviewLevel.choices)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"), default=10)
    requires_site_check = models.BooleanField(
        _("on-site check required"),
        default=False,
        help_text=_("The step cannot be passed or recommended before an on-site check (实地核查) is recorded for it."),
    )

    class Meta:
        app_label = "tiers"
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="review_step_unique_position"),
            models.UniqueConstraint(fields=["chain", "level"], name="review_step_unique_level"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        return REVIEW_STEP_LABELS[self.level]


REVIEW_STEP_LABELS = {
    ReviewLevel.COUNTY: _("County review"),
    ReviewLevel.CITY: _("City review"),
    ReviewLevel.PROVINCE: _("Provincial review"),
}
