"""Tiers (the recognitions an enterprise can hold), their issuing levels, and the ladders that order them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial / autonomous region")
    CITY = "city", _("City / prefecture")


class Tier(models.Model):
    """A recognition an enterprise can hold (高新技术企业, 专精特新"小巨人" …)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("issuing level"), max_length=16, choices=Level.choices)
    issuing_region = models.ForeignKey(
        "portal.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_tiers",
        verbose_name=_("issuing region"),
        help_text=_("Empty for national tiers."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity (years)"), null=True, blank=True, help_text=_("Empty when the recognition does not expire.")
    )
    is_manual = models.BooleanField(
        _("manual recognition"), default=False, help_text=_("No public machine-checkable criteria; staff judge.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Ladder(models.Model):
    """An ordered path of tiers, as one jurisdiction uses it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "portal.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ladders",
        verbose_name=_("jurisdiction"),
        help_text=_("Empty for a ladder that applies everywhere."),
    )
    tiers = models.ManyToManyField(Tier, through="LadderRung", related_name="ladders", verbose_name=_("tiers"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("ladder")
        verbose_name_plural = _("ladders")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LadderRung(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="rungs")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="rungs", verbose_name=_("tier"))
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("ladder rung")
        verbose_name_plural = _("ladder rungs")
        ordering = ["ladder", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="rung_unique_position"),
            models.UniqueConstraint(fields=["ladder", "tier"], name="rung_unique_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.ladder} #{self.position}: {self.tier}"
