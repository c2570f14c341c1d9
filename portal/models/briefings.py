from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def briefing_upload_path(instance: "Briefing", filename: str) -> str:
    # The stored name never comes from a user: the briefing's id and a known extension.
    extension = "pdf" if filename.endswith(".pdf") else "xlsx"
    return f"briefings/{instance.as_of:%Y}/briefing-{instance.pk}-{instance.as_of:%Y%m%d}.{extension}"


class Briefing(models.Model):
    """The dashboard's figures for one region frozen "as of" a date, with the workbook and PDF made from them.

    Nothing here is recomputed after generation: a number quoted in a meeting is
    read back from `figures` and the stored files.
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ON_DEMAND = "on_demand", _("On demand")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="briefings", verbose_name=_("region")
    )
    as_of = models.DateField(_("as of"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ON_DEMAND)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    xlsx = models.FileField(_("workbook"), upload_to=briefing_upload_path, max_length=200, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=briefing_upload_path, max_length=200, blank=True)
    job = models.ForeignKey(
        "portal.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("job")
    )
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-as_of", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "as_of"],
                condition=models.Q(kind="monthly"),
                name="briefing_one_monthly_per_region",
            )
        ]
        indexes = [models.Index(fields=["region", "as_of"], name="briefing_region_as_of_idx")]

    def __str__(self) -> str:
        return f"{self.region} · {self.as_of}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
