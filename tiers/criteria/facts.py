"""What the evaluation knows about one enterprise: plain data, loaded by either path.

The per-enterprise loader and the set-based loader both build these; the
evaluation core (tiers.criteria.nodes) never touches the database.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from enterprises.models import AnnualIndicator

INDICATOR_FIELDS: tuple[str, ...] = AnnualIndicator.value_fields()
MONEY_FIELDS: frozenset[str] = frozenset(AnnualIndicator.MONEY_FIELDS) | {"net_assets"}
# Fields computed from others; the evaluation treats them like stored figures.
DERIVED_FIELDS = {"net_assets": ("total_assets", "total_liabilities")}
ENTERPRISE_FIELDS = {
    "registered_on": _("registration date"),
    "industry_code": _("industry (GB/T 4754)"),
    "size_class": _("size class"),
}


@dataclass(frozen=True)
class Assessment:
    is_met: bool | None
    value: float | None
    valid_until: datetime.date | None

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.valid_until is None or on <= self.valid_until


@dataclass(frozen=True)
class ComplianceFact:
    """A compliance record as the evaluation sees it (enterprises.compliance.models.ComplianceRecord)."""

    kind: str
    category: str
    is_major: bool
    listed_on: datetime.date
    removed_on: datetime.date | None = None
    authority: str = ""
    document_number: str = ""

    def falls_in(self, start: datetime.date, end: datetime.date, lists: frozenset, penalties: frozenset) -> bool:
        """A listing counts if it was in force at any time of the window; a penalty if major,
        of a category the criterion names, and decided within the window."""
        if self.kind == "penalty":
            return self.is_major and self.category in penalties and start <= self.listed_on <= end
        return self.kind in lists and self.listed_on <= end and (self.removed_on is None or self.removed_on >= start)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "category": self.category,
            "is_major": self.is_major,
            "listed_on": self.listed_on.isoformat(),
            "removed_on": self.removed_on.isoformat() if self.removed_on else None,
            "authority": self.authority,
            "document_number": self.document_number,
        }


@dataclass
class EnterpriseFacts:
    enterprise_id: int
    registered_on: datetime.date | None = None
    industry_code: str = ""
    size_class: str = ""
    region_path: str = ""
    # year -> field -> value (money in 万元 as float, counts as int)
    indicators: dict[int, dict[str, float | None]] = field(default_factory=dict)
    # (tier code, recognized on, valid until) of recognitions whose status is valid
    recognitions: list[tuple[str, datetime.date, datetime.date | None]] = field(default_factory=list)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    compliance: list[ComplianceFact] = field(default_factory=list)
    # The enterprise's region (or one above it) had its compliance data imported: no record means clean.
    compliance_covered: bool = False

    def figure(self, year: int, name: str) -> float | None:
        row = self.indicators.get(year)
        if row is None:
            return None
        if name in DERIVED_FIELDS:
            parts = [row.get(part) for part in DERIVED_FIELDS[name]]
            return None if None in parts else parts[0] - parts[1]
        return row.get(name)

    def holds(self, tier_codes, on: datetime.date) -> bool:
        return any(
            code in tier_codes and recognized_on <= on and (until is None or on <= until)
            for code, recognized_on, until in self.recognitions
        )


def indicator_row(values: dict) -> dict[str, float | None]:
    """Figures as floats: evaluation compares with tolerances (see metrics.rounded)."""
    return {name: (None if values.get(name) is None else float(values[name])) for name in INDICATOR_FIELDS}


def field_label(name: str) -> str:
    if name == "net_assets":
        return str(_("net assets"))
    if name in ENTERPRISE_FIELDS:
        return str(ENTERPRISE_FIELDS[name])
    return str(AnnualIndicator._meta.get_field(name).verbose_name)
