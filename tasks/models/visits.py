from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceVisit(models.Model):
    """A service commissioner's (服务专员) visit to an enterprise, with the problems raised and solved (一企一策)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="service_visits", verbose_name=_("enterprise")
    )
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_visits",
        verbose_name=_("commissioner"),
    )
    visited_on = models.DateField(_("visited on"), db_index=True)
    problems_raised = models.TextField(_("problems raised"), blank=True)
    problems_solved = models.TextField(_("problems solved"), blank=True)
    policy_notes = models.TextField(_("one enterprise, one policy (一企一策) notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_date_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.visited_on}"
