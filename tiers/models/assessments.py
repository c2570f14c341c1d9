"""Manual assessments: facts about an enterprise that staff confirm with evidence, for the criteria to read."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ManualAssessment(models.Model):
    """A fact about an enterprise that staff confirm with evidence (链, 品, market share, expert points …).

    Keyed by a stable `key` so that the 2022 and 2026 criteria sets share one answer.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="manual_assessments",
        verbose_name=_("enterprise"),
    )
    key = models.SlugField(_("key"), max_length=60)
    is_met = models.BooleanField(_("met"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("evidence"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assessed by")
    )
    assessed_at = models.DateTimeField(_("assessed at"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("manual assessment")
        verbose_name_plural = _("manual assessments")
        ordering = ["enterprise", "key"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "key"], name="assessment_unique_key")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.key}"
