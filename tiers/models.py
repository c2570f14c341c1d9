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
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="rungs")
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


class Recognition(models.Model):
    """An enterprise holds a tier from a date, for a validity period."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual entry")
        ROSTER = "roster", _("Roster import")
        APPLICATION = "application", _("Application")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("enterprise")
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("tier"))
    recognized_on = models.DateField(_("recognized on"))
    year = models.PositiveSmallIntegerField(_("year"))
    batch = models.CharField(_("batch"), max_length=100, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-recognized_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier", "recognized_on"], name="recognition_unique_enterprise_tier_date"
            )
        ]
        indexes = [models.Index(fields=["tier", "status"], name="recognition_tier_status_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.tier} ({self.year})"
