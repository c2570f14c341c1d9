from django.conf import settings
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


class CriteriaSet(models.Model):
    """One version of a tier's official conditions, selected by date and purpose.

    The 2022 MIIT sets stay in force for re-reviews (复核) after the 2026 sets took
    over new applications, so a set names the purpose it serves.
    """

    class Purpose(models.TextChoices):
        NEW = "new", _("New application")
        REVIEW = "review", _("Re-review (复核)")
        BOTH = "both", _("New application and re-review")

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="criteria_sets", verbose_name=_("tier"))
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.BOTH)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Document number and where the text was seen."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["tier", "-effective_from"]

    def __str__(self) -> str:
        return self.name

    def applies(self, *, on, purpose: str) -> bool:
        if self.purpose not in (purpose, self.Purpose.BOTH):
            return False
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class Criterion(models.Model):
    """One condition of a criteria set. `params` holds the kind's parameters (see tiers.criteria)."""

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("Threshold on an indicator or ratio")
        BANDED = "banded", _("Requirement chosen by band")
        SCORE_TABLE = "score_table", _("Banded score table")
        ANY_OF = "any_of", _("Alternative routes (any one)")
        ALL_OF = "all_of", _("All of")
        AGE = "age", _("Age / duration")
        HOLDS_TIER = "holds_tier", _("Holds another tier")
        INDUSTRY = "industry", _("Industry membership")
        REGION = "region", _("Registered in a region")
        SIZE_CLASS = "size_class", _("Size class")
        MANUAL = "manual", _("Manual judgement")
        COMPLIANCE = "compliance", _("Compliance records (veto)")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PARTIAL = "partial", _("Partially confirmed")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("criteria set")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code")]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from tiers.criteria.validation import node_errors

        errors = node_errors(self.as_node())
        if errors:
            raise ValidationError({"params": errors})

    def as_node(self) -> dict:
        return {**(self.params or {}), "kind": self.kind, "code": self.code, "label": self.label}


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


class Verdict(models.TextChoices):
    MEETS = "meets", _("Meets the criteria")
    MEETS_EXCEPT_MANUAL = "meets_except_manual", _("Meets except items awaiting confirmation")
    MISSES = "misses", _("Misses criteria")
    INSUFFICIENT_DATA = "insufficient_data", _("Insufficient data")


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


class PoolRule(models.Model):
    """How a jurisdiction fills a tier's cultivation pool: automatically when missing ≤ N criteria."""

    region = models.ForeignKey(
        "portal.Region", on_delete=models.CASCADE, related_name="pool_rules", verbose_name=_("region")
    )
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="pool_rules", verbose_name=_("tier"))
    max_missing = models.PositiveSmallIntegerField(_("enter when missing at most"), default=3)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pool rule")
        verbose_name_plural = _("pool rules")
        constraints = [models.UniqueConstraint(fields=["region", "tier"], name="pool_rule_unique_region_tier")]

    def __str__(self) -> str:
        return f"{self.region} · {self.tier} ≤ {self.max_missing}"


class PoolQuota(models.Model):
    """A county's yearly minimum of pool entries (博州: 博乐 ≥ 6, and ≥ 10% of its 规上 enterprises)."""

    region = models.ForeignKey(
        "portal.Region", on_delete=models.CASCADE, related_name="pool_quotas", verbose_name=_("region")
    )
    tier = models.ForeignKey(
        Tier,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tier"),
        help_text=_("Empty: entries of every tier count."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("Empty: every year."))
    minimum = models.PositiveIntegerField(_("minimum entries"), default=0)
    above_scale_share = models.DecimalField(
        _("minimum share of 规上 enterprises (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pool quota")
        verbose_name_plural = _("pool quotas")
        ordering = ["region__path"]

    def __str__(self) -> str:
        return f"{self.region} ≥ {self.minimum}"


class PoolEntry(models.Model):
    """An enterprise chosen to be cultivated toward a tier (培育库)."""

    class Stage(models.TextChoices):
        RESERVE = "reserve", _("储备")
        CULTIVATE = "cultivate", _("培育")
        ELEVATE = "elevate", _("提升")

    class Origin(models.TextChoices):
        AUTO = "auto", _("Automatic rule")
        MANUAL = "manual", _("Added by hand")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="pool_entries", verbose_name=_("enterprise")
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="pool_entries", verbose_name=_("tier"))
    region = models.ForeignKey(
        "portal.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The enterprise's region when it entered; scopes who sees the entry."),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.RESERVE)
    origin = models.CharField(_("entered by"), max_length=8, choices=Origin.choices)
    reason = models.CharField(_("reason"), max_length=500)
    missing_at_entry = models.PositiveSmallIntegerField(_("criteria missed at entry"), null=True, blank=True)
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pool_entries",
        verbose_name=_("service commissioner"),
    )
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        ordering = ["tier", "region__path", "-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier"], condition=models.Q(left_at__isnull=True), name="pool_one_open_entry"
            )
        ]
        indexes = [models.Index(fields=["tier", "left_at"], name="pool_tier_open_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.tier}"

    @property
    def is_open(self) -> bool:
        return self.left_at is None


from tiers.applications.models import *  # noqa: E402, F403
