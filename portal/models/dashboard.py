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


class DashboardTally(models.Model):
    """A count behind the leader dashboard for one region (where the rows are, not below) and one day.

    Derived data, kept by overview.dashboard.tallies: distinct enterprises of the
    region per measure (in the pool, eligible, applied, holding a recognition,
    registered), for every tier (`ladder` 0) and per ladder. A province's
    dashboard sums a few thousand of these instead of counting its whole
    register; a write forgets the tallies of the regions it touched and the next
    view counts those regions again. The row with measure "counted" marks a region
    as counted on the day even when all its counts are zero.
    """

    day = models.DateField(_("day"))
    region = models.ForeignKey("portal.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    ladder = models.PositiveIntegerField(_("ladder"), default=0)
    measure = models.CharField(_("figure counted"), max_length=16)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("dashboard tally")
        verbose_name_plural = _("dashboard tallies")
        constraints = [
            models.UniqueConstraint(fields=["day", "region", "ladder", "measure"], name="dashboard_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.region_id} · {self.ladder} · {self.measure}"
