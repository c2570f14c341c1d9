"""The official conditions of each tier as data: criteria sets (one version per purpose and date) and their criteria."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiers.criteria.validation import node_errors
from tiers.models.ladders import Tier


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
        errors = node_errors(self.as_node())
        if errors:
            raise ValidationError({"params": errors})

    def as_node(self) -> dict:
        return {**(self.params or {}), "kind": self.kind, "code": self.code, "label": self.label}
