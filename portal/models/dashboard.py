from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    """A region's headline figures on one day, written by the daily job.

    The dashboard's trend reads these rows, never the live register, so that a
    month's figure stays what it was when the month ended.
    """

    region = models.ForeignKey("portal.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    taken_on = models.DateField(_("taken on"))
    figures = models.JSONField(_("figures"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        ordering = ["region", "taken_on"]
        constraints = [models.UniqueConstraint(fields=["region", "taken_on"], name="dashboard_snapshot_unique_day")]

    def __str__(self) -> str:
        return f"{self.region_id} · {self.taken_on}"
