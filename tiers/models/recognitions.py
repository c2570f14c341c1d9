"""Recognitions: an enterprise holds a tier from a date, for a validity period, until it expires or is revoked."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiers.models.ladders import Tier


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
