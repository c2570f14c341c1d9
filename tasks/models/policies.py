from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingCycle(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")


class Policy(models.Model):
    """One policy document: issuer, number, date, region. It carries measures, targets and reward rules."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="policies", verbose_name=_("region")
    )
    plan_start = models.DateField(_("plan period start"), null=True, blank=True)
    plan_end = models.DateField(_("plan period end"), null=True, blank=True)
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    reporting_cycle = models.CharField(
        _("reporting cycle"), max_length=12, choices=ReportingCycle.choices, default=ReportingCycle.QUARTERLY
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What the loader assumed where the document is silent (dates, periods).")
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["region__path", "issued_on"]

    def __str__(self) -> str:
        return self.short_title or self.title


class Measure(models.Model):
    """A numbered measure (task) of a policy, with its lead unit and supporting units."""

    # Set by the selectors' Prefetch(to_attr=...), for the pages that list units.
    prefetched_unit_links: list["MeasureUnit"]

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="measures", verbose_name=_("policy"))
    number = models.CharField(_("number"), max_length=20, help_text=_("As the document numbers it: 1, （三）, 12 …"))
    order = models.PositiveSmallIntegerField(_("order"))
    section = models.CharField(_("section"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("full text"))
    units_text = models.TextField(_("responsible units as written"), blank=True)
    unresolved_units = models.JSONField(
        _("unresolved unit names"),
        default=list,
        blank=True,
        help_text=_("Fragments of the unit list no department matched."),
    )
    reporting_cycle = models.CharField(
        _("reporting cycle"),
        max_length=12,
        choices=ReportingCycle.choices,
        blank=True,
        help_text=_("Empty: the policy's cycle."),
    )
    units = models.ManyToManyField(
        "portal.Department", through="MeasureUnit", related_name="measures", verbose_name=_("units")
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["policy", "order"]
        constraints = [models.UniqueConstraint(fields=["policy", "order"], name="measure_unique_order")]

    def __str__(self) -> str:
        return f"{self.policy.document_number or self.policy.short_title or self.policy.title} · {self.number}"

    @property
    def cycle(self) -> str:
        return self.reporting_cycle or self.policy.reporting_cycle


class MeasureUnit(models.Model):
    """A unit responsible for a measure; the first listed leads ("列第一位的为牵头单位")."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="unit_links")
    department = models.ForeignKey(
        "portal.Department", on_delete=models.PROTECT, related_name="measure_links", verbose_name=_("department")
    )
    is_lead = models.BooleanField(_("lead unit"), default=False)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["measure", "order"]
        constraints = [models.UniqueConstraint(fields=["measure", "department"], name="measure_unit_unique")]

    def __str__(self) -> str:
        return f"{self.measure} · {self.department}"
