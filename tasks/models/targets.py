from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """A number a policy sets for a region by a year, measured from the data, never typed in.

    `kind` says how the document states it; `metric` says what is counted. `quote`
    keeps the sentence it came from so that anyone can check it against the document.
    """

    class Kind(models.TextChoices):
        NEW = "new", _("New recognitions")
        TOTAL = "total", _("Total")
        RANGE = "range", _("Range")
        SHARE = "share", _("Share of the province")
        YEARLY = "yearly", _("Yearly rate")
        QUALITY = "quality", _("Quality figure")

    class Metric(models.TextChoices):
        HOLDERS = "holders", _("Enterprises holding a valid recognition")
        PROVINCE_SHARE = "province_share", _("Share of the province's holders (%)")
        RD_RATIO = "rd_ratio", _("Average R&D expense / operating revenue of holders (%)")
        DIGITAL_SHARE = "digital_share", _("Share of holders at digitalisation level 2 or above (%)")
        POOL_ENTRIES = "pool_entries", _("Enterprises entered into the cultivation pool")
        LISTED = "listed", _("Listed enterprises among holders")
        UNMEASURED = "unmeasured", _("Not measurable from the register")

    class Comparator(models.TextChoices):
        AT_LEAST = "gte", _("at least")
        MORE_THAN = "gt", _("more than")

    class BaselineSource(models.TextChoices):
        NONE = "", _("Not stated")
        STATED = "stated", _("Stated in the document")
        DERIVED = "derived", _("Derived from the document's numbers")

    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=_("Stable identifier used by the loader."))
    policy = models.ForeignKey(
        "tasks.Policy", on_delete=models.CASCADE, related_name="targets", verbose_name=_("policy")
    )
    measure = models.ForeignKey(
        "tasks.Measure",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("measure"),
        help_text=_("Empty for the document's overall goals."),
    )
    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="targets", verbose_name=_("region")
    )
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    metric = models.CharField(_("metric"), max_length=16, choices=Metric.choices, default=Metric.HOLDERS)
    tiers = models.ManyToManyField("tiers.Tier", blank=True, related_name="targets", verbose_name=_("tiers"))
    year = models.PositiveSmallIntegerField(_("target year"))
    since_year = models.PositiveSmallIntegerField(
        _("counted after year"),
        null=True,
        blank=True,
        help_text=_("For “再培育” targets: only recognitions after this year count. Empty: from the plan start."),
    )
    value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    value_max = models.DecimalField(_("upper end of range"), max_digits=12, decimal_places=2, null=True, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=3, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    unit = models.CharField(_("unit"), max_length=10, default="家")
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_source = models.CharField(
        _("baseline source"), max_length=10, choices=BaselineSource.choices, default=BaselineSource.NONE, blank=True
    )
    derivation = models.CharField(_("derivation"), max_length=300, blank=True)
    quote = models.TextField(_("as written"))
    also_stated = models.JSONField(
        _("also stated in"),
        default=list,
        blank=True,
        help_text=_("Other places of the document that state the same target: [{measure, quote}]."),
    )
    unmeasured_reason = models.CharField(
        _("why it is not quantifiable"),
        max_length=300,
        blank=True,
        help_text=_("For a statement that is not a target the register can measure."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["policy", "measure__order", "order"]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"

    @property
    def is_share(self) -> bool:
        return self.metric in (self.Metric.PROVINCE_SHARE, self.Metric.RD_RATIO, self.Metric.DIGITAL_SHARE)


class TargetConflict(models.Model):
    """Two statements of one document that cannot both hold. Shown on the page, never resolved silently.

    Until an administrator decides (services.resolve_target_conflict), both
    targets show 待确认. The administrator adopts one figure with a reason, or
    keeps both as 待确认 with a reason; either is audited.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting a decision")
        CHOSEN = "chosen", _("One figure adopted")
        KEPT_BOTH = "kept_both", _("Both kept as to be confirmed")

    policy = models.ForeignKey(
        "tasks.Policy", on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("policy")
    )
    first = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="+", verbose_name=_("first statement"))
    second = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="+", verbose_name=_("second statement"))
    explanation = models.CharField(_("explanation"), max_length=300)
    state = models.CharField(_("decision"), max_length=10, choices=State.choices, default=State.OPEN)
    chosen = models.ForeignKey(
        Target,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("adopted statement"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("time of decision"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("target conflict")
        verbose_name_plural = _("target conflicts")
        ordering = ["policy", "pk"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="target_conflict_unique_pair")]

    def __str__(self) -> str:
        return self.explanation


class TargetResult(models.Model):
    """A target's figure as recorded by the nightly job (tasks.jobs.record_target_results): what changed since."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="results", verbose_name=_("target"))
    on = models.DateField(_("figure date"))
    basis = models.CharField(_("counting basis"), max_length=10)
    current = models.DecimalField(_("figure"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20)
    is_final = models.BooleanField(_("final"), default=False)
    years = models.JSONField(_("per year"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("target result")
        verbose_name_plural = _("target results")
        ordering = ["target", "-on"]
        constraints = [models.UniqueConstraint(fields=["target", "on"], name="target_result_unique_day")]

    def __str__(self) -> str:
        return f"{self.target} @ {self.on}: {self.current}"
