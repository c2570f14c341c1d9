"""Stored eligibility: the current result per enterprise and tier, the history of verdict changes, and the durable
set of enterprises due for recomputation with the row that serialises its drain job.

`Verdict` lives with the criteria engine (tiers.criteria.verdicts), which reaches it; it is re-exported here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiers.criteria.verdicts import Verdict
from tiers.models.criteria_sets import CriteriaSet
from tiers.models.ladders import Tier

__all__ = ["EligibilityChange", "EligibilityResult", "RecomputeDrain", "RecomputeRequest", "Verdict"]


class EligibilityResult(models.Model):
    """The current evaluation of one enterprise against one tier.

    A recompute rewrites the row only when the result changed (`digest`), so
    `computed_at` and `evaluated_on` say when this result was reached. The row
    holds what lists filter and count on (verdict, score, counts); the gap
    sentences are worked out from the enterprise's current figures when a result
    is shown (tiers.eligibility.live), so the nightly run writes a few dozen
    bytes per result, not the evaluation tree.
    """

    # The unique (enterprise, tier) and (tier, verdict, missing_count) indexes serve every lookup:
    # no separate index per foreign key, each of which the recompute would have to maintain. Tiers
    # and criteria sets are reference data deleted only through the ORM, which cascades here, so
    # PostgreSQL is spared a deferred check of those two keys for each of the run's rows at commit.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="eligibility",
        verbose_name=_("enterprise"),
        db_index=False,
    )
    tier = models.ForeignKey(
        Tier,
        on_delete=models.CASCADE,
        related_name="eligibility",
        verbose_name=_("tier"),
        db_index=False,
        db_constraint=False,
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("criteria set"),
        db_index=False,
        db_constraint=False,
    )
    purpose = models.CharField(_("purpose"), max_length=8, choices=CriteriaSet.Purpose.choices)
    evaluated_on = models.DateField(_("evaluated on"))
    computed_at = models.DateTimeField(_("computed at"))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    missing_count = models.PositiveSmallIntegerField(_("criteria missed"), default=0)
    unknown_count = models.PositiveSmallIntegerField(_("criteria lacking data"), default=0)
    manual_count = models.PositiveSmallIntegerField(_("criteria awaiting confirmation"), default=0)
    # A hash of everything above except the dates: an unchanged result is not written again.
    digest = models.BigIntegerField(null=True, editable=False)

    class Meta:
        verbose_name = _("eligibility result")
        verbose_name_plural = _("eligibility results")
        ordering = ["tier", "missing_count", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "tier"], name="eligibility_unique_enterprise_tier")
        ]
        indexes = [models.Index(fields=["tier", "verdict", "missing_count"], name="eligibility_tier_verdict_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.tier_id}: {self.verdict}"


class EligibilityChange(models.Model):
    """Append-only history: a verdict changed (or a first result was already eligible).

    "How many enterprises became eligible this month" counts rows entering `meets`.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+", verbose_name=_("tier"))
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("at"), db_index=True)
    from_verdict = models.CharField(_("previous verdict"), max_length=20, blank=True)
    to_verdict = models.CharField(_("new verdict"), max_length=20, choices=Verdict.choices)
    missing_count = models.PositiveSmallIntegerField(_("criteria missed"), default=0)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility change")
        verbose_name_plural = _("eligibility changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["tier", "to_verdict", "at"], name="eligibility_change_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.tier_id}: {self.from_verdict or '∅'} → {self.to_verdict}"


class RecomputeRequest(models.Model):
    """An enterprise whose eligibility is due for recomputation (the durable "dirty set").

    Changes only add rows (one per enterprise, however many changes); the
    `tiers.jobs.recompute_pending` job recomputes them in one set-based run and
    deletes the rows it processed.
    """

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    requested_at = models.DateTimeField(_("requested at"))

    class Meta:
        verbose_name = _("recompute request")
        verbose_name_plural = _("recompute requests")

    def __str__(self) -> str:
        return f"{self.enterprise_id} @ {self.requested_at:%Y-%m-%d %H:%M:%S}"


class RecomputeDrain(models.Model):
    """One row: the job draining the recompute requests, if one is on its way.

    Locking this row serialises "is a drain job coming?" between the changes that
    add requests and the job that finishes, so none is queued twice and no request
    is left without one.
    """

    job = models.ForeignKey("portal.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("recompute drain")
        verbose_name_plural = _("recompute drain")

    def __str__(self) -> str:
        return f"drain job {self.job_id or '—'}"
