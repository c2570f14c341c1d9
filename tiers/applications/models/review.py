"""Who answers for a tier at each level, and what reviewers add to an application besides moving it.

- `Responsibility`: the department line (工业和信息化 / 科技) that leads a tier at a level (牵头单位).
- `Opinion`: a 会签 opinion of another department, recorded on the application; it decides nothing.
- `ScoreReview`: a reviewer's confirmation or adjustment of one item of a score table, with the reason.
- `SiteCheck`: an on-site check (实地核查) attached to a review step.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiers.applications.models.chains import ReviewLevel


class DepartmentLine(models.TextChoices):
    """A line of government departments, found under a different name at each level (市工信局, 县工信局, 自治区工信厅)."""

    INDUSTRY = "industry", _("Industry and information technology departments")
    SCIENCE = "science", _("Science and technology departments")


# How a department's name shows its line. Only bureaus count: 科协 is "科学技术协会", not a department of the line.
LINE_KEYWORDS = {
    DepartmentLine.INDUSTRY: ("工业和信息化", "工信", "经济和信息化", "经信"),
    DepartmentLine.SCIENCE: ("科学技术局", "科技局", "科学技术厅", "科技厅"),
}


class Responsibility(models.Model):
    """The department line that leads a tier at one level (the documents' 牵头单位), editable and audited."""

    tier = models.ForeignKey(
        "tiers.Tier", on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("tier")
    )
    level = models.CharField(_("level"), max_length=10, choices=ReviewLevel.choices)
    line = models.CharField(_("responsible department"), max_length=10, choices=DepartmentLine.choices)
    is_inferred = models.BooleanField(
        _("inferred (推定)"), default=False, help_text=_("No document names this level's lead unit; inferred.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        app_label = "tiers"
        verbose_name = _("responsible department")
        verbose_name_plural = _("responsible departments")
        ordering = ["tier__name", "level"]
        constraints = [models.UniqueConstraint(fields=["tier", "level"], name="responsibility_unique_level")]

    def __str__(self) -> str:
        return f"{self.tier} · {self.get_level_display()} · {self.get_line_display()}"


class Opinion(models.Model):
    """A 会签 opinion: another department's view, kept on the application; it passes and returns nothing."""

    application = models.ForeignKey(
        "tiers.Application", on_delete=models.CASCADE, related_name="opinions", verbose_name=_("application")
    )
    department = models.ForeignKey(
        "portal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    text = models.TextField(_("opinion"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        app_label = "tiers"
        verbose_name = _("countersigned opinion")
        verbose_name_plural = _("countersigned opinions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.department}: {self.text[:40]}"


class ScoreReview(models.Model):
    """A reviewer's points for one item of the tier's score table; the latest per item counts."""

    application = models.ForeignKey(
        "tiers.Application", on_delete=models.CASCADE, related_name="score_reviews", verbose_name=_("application")
    )
    step = models.ForeignKey(
        "tiers.ReviewStep", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("step")
    )
    item_code = models.CharField(_("item"), max_length=60)
    item_label = models.CharField(_("item label"), max_length=300)
    computed_points = models.DecimalField(_("computed points"), max_digits=6, decimal_places=1, null=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        app_label = "tiers"
        verbose_name = _("score review")
        verbose_name_plural = _("score reviews")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_label}: {self.points}"

    @property
    def is_adjusted(self) -> bool:
        return self.computed_points is None or self.points != self.computed_points


class SiteCheck(models.Model):
    """An on-site check (实地核查) at a review step: when, who, what was found, the conclusion, attachments."""

    class Conclusion(models.TextChoices):
        CONFIRMED = "confirmed", _("Matches the application")
        PARTLY = "partly", _("Partly matches")
        NOT_CONFIRMED = "not_confirmed", _("Does not match")

    application = models.ForeignKey(
        "tiers.Application", on_delete=models.CASCADE, related_name="site_checks", verbose_name=_("application")
    )
    step = models.ForeignKey(
        "tiers.ReviewStep", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("step")
    )
    checked_on = models.DateField(_("checked on"))
    people = models.CharField(_("checked by"), max_length=200)
    findings = models.TextField(_("findings"))
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=Conclusion.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        app_label = "tiers"
        verbose_name = _("on-site check")
        verbose_name_plural = _("on-site checks")
        ordering = ["checked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.checked_on}"
