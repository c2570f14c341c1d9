"""What a target's figure says: the result objects of `tasks.figures.target_figures` and their status words."""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from portal.models import Region
from tasks.models import Target

# Status codes. The first five predate the final/scope/conflict rules and keep their meaning.
ACHIEVED = "achieved"  # meets the target (达标 once final, 已完成 before)
ON_TRACK = "on_track"
AT_RISK = "at_risk"
BEHIND = "behind"
UNMEASURED = "unmeasured"  # not quantifiable from the register (不可量化), or no data
NOT_ACHIEVED = "not_achieved"  # final and missed (未达标)
SCOPE_INCOMPLETE = "scope_incomplete"  # the register does not cover the scope or the denominator (数据范围不全)
UNCONFIRMED = "unconfirmed"  # contradicts another statement, no administrator decision yet (待确认)
NOT_ADOPTED = "not_adopted"  # an administrator adopted the other figure of a contradiction (未采用)

STATUS_LABELS = {
    ACHIEVED: _("Achieved"),
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    BEHIND: _("Behind"),
    UNMEASURED: _("Not quantifiable"),
    NOT_ACHIEVED: _("Target missed"),
    SCOPE_INCOMPLETE: _("Data scope incomplete"),
    UNCONFIRMED: _("To be confirmed"),
    NOT_ADOPTED: _("Not adopted"),
}
FINAL_ACHIEVED_LABEL = _("Target met")
STATUS_COLOURS = {
    ACHIEVED: "success",
    ON_TRACK: "primary",
    AT_RISK: "warning",
    BEHIND: "danger",
    UNMEASURED: "secondary",
    NOT_ACHIEVED: "danger",
    SCOPE_INCOMPLETE: "secondary",
    UNCONFIRMED: "info",
    NOT_ADOPTED: "light",
}

# Bases: what is counted.
TOTAL, NEW, SHARE, QUALITY, POOL, LISTED, NONE = "total", "new", "share", "quality", "pool", "listed", "none"
BASIS_LABELS = {
    TOTAL: _("Total"),
    NEW: _("New"),
    SHARE: _("Share"),
    QUALITY: _("Quality figure"),
    POOL: _("Pool entries"),
    LISTED: _("Listed enterprises"),
    NONE: _("Not quantifiable"),
}

ONE_HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class YearResult:
    """One plan year of a yearly target (每年…): final once the year is over, paced while it runs."""

    year: int
    value: Decimal
    value_max: Decimal | None
    current: Decimal | None
    status: str
    final: bool
    expected: Decimal | None = None
    reason: str = ""

    @property
    def status_label(self) -> str:
        return str(FINAL_ACHIEVED_LABEL if self.final and self.status == ACHIEVED else STATUS_LABELS[self.status])


@dataclass(frozen=True)
class BaselineReading:
    """A baseline the document states or implies, beside the register's count on the same date.

    `document_reading` is the baseline plus the enterprises new since it;
    `register_reading` is the register's count on the measured date. When the
    register holds fewer than the baseline (`is_register_incomplete`, 名录不全)
    the status uses the document reading (`used == "document"`).
    """

    value: Decimal
    source: str  # "stated" or "derived"
    on: datetime.date
    rule: str
    register_count: int
    new_since: int
    document_reading: Decimal
    register_reading: Decimal
    is_register_incomplete: bool
    used: str  # "document" or "register"
    note: str


@dataclass(frozen=True)
class RegionCoverage:
    """How much of one region the register holds."""

    region_id: int
    name: str
    enterprises: int
    last_import_at: datetime.datetime | None

    @property
    def is_covered(self) -> bool:
        return self.enterprises > 0


@dataclass(frozen=True)
class Coverage:
    """The regions a figure needs the register to cover (the scope, or the province for a share)."""

    regions: list[RegionCoverage]

    @property
    def missing(self) -> list[str]:
        return [region.name for region in self.regions if not region.is_covered]

    @property
    def is_complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class EnterpriseReason:
    """An enterprise counted by a figure, or left out of it, and why (reason in Chinese)."""

    enterprise_id: int
    code: str  # counted: "holds" | "new"; excluded: "held_at_start" | "not_yet" | "expired" | "revoked"
    reason: str


class SameReasons(Sequence[EnterpriseReason]):
    """Enterprises given one code and reason, in id order; each EnterpriseReason is made only when read.

    A province's figures count tens of thousands of enterprises and the dashboard
    reads only how many: a reason object for each was a cost that grew with the
    register. Equal to a list of the same reasons.
    """

    def __init__(self, enterprise_ids: Iterable[int], code: str, reason: str) -> None:
        self.enterprise_ids = sorted(enterprise_ids)
        self.code = code
        self.reason = reason

    def __len__(self) -> int:
        return len(self.enterprise_ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [EnterpriseReason(pk, self.code, self.reason) for pk in self.enterprise_ids[index]]
        return EnterpriseReason(self.enterprise_ids[index], self.code, self.reason)

    def __iter__(self) -> Iterator[EnterpriseReason]:
        return (EnterpriseReason(pk, self.code, self.reason) for pk in self.enterprise_ids)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SameReasons({len(self)} × {self.code!r})"


@dataclass(frozen=True)
class ConflictNote:
    """A contradiction this target is part of, and what an administrator decided."""

    conflict_id: int
    other_key: str
    other_value: Decimal
    explanation: str
    state: str  # "open" | "chosen" | "kept_both"
    chosen_key: str | None
    reason: str
    version: int


@dataclass(frozen=True)
class InferenceMark:
    """Something the loader inferred rather than read (推定), with its rule and whether a person confirmed it."""

    inference_id: int
    field: str
    value: object
    rule: str
    state: str  # "inferred" | "confirmed" | "changed"
    version: int

    @property
    def is_inferred(self) -> bool:
        return self.state == "inferred"


@dataclass
class TargetFigure:
    """One target measured on one date. Build with `tasks.figures.target_figures`."""

    target: Target
    as_of: datetime.date
    basis: str
    start: datetime.date | None
    deadline: datetime.date
    final: bool
    current: Decimal | None
    current_today: Decimal | None = None
    expected: Decimal | None = None
    start_value: Decimal | None = None
    status: str = UNMEASURED
    reason: str = ""
    detail: str = ""
    years: list[YearResult] = field(default_factory=list)
    baseline: BaselineReading | None = None
    coverage: Coverage | None = None
    conflict: ConflictNote | None = None
    inferences: list[InferenceMark] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    counted: Sequence[EnterpriseReason] = field(default_factory=list)
    excluded: list[EnterpriseReason] = field(default_factory=list)
    breakdown: list[tuple[Region, int]] = field(default_factory=list)
    path: object = None

    @property
    def key(self) -> str:
        return self.target.key

    @property
    def value(self) -> Decimal:
        return self.target.value

    @property
    def year(self) -> int:
        return self.target.year

    @property
    def basis_label(self) -> str:
        return str(BASIS_LABELS[self.basis])

    @property
    def basis_text(self) -> str:
        """合计/新增 as a leader reads it: 新增 names its start, so 2023年起新增 and 2026年起新增 never read alike."""
        if self.basis != NEW or self.start is None or self.target.kind == Target.Kind.YEARLY:
            return self.basis_label
        since = self.start + datetime.timedelta(days=1)
        if (since.month, since.day) == (1, 1):
            return str(_("New since %(year)s") % {"year": since.year})
        return str(_("New since %(date)s") % {"date": since.isoformat()})

    @property
    def measured_on(self) -> datetime.date:
        """The date the shown figure is for: the deadline once it is over, else the as-of date."""
        return min(self.as_of, self.deadline)

    @property
    def counted_ids(self) -> list[int]:
        return [item.enterprise_id for item in self.counted]

    @property
    def percent(self) -> Decimal | None:
        if self.current is None or not self.target.value:
            return None
        return (self.current * ONE_HUNDRED / self.target.value).quantize(TENTH, ROUND_HALF_UP)

    @property
    def bar_percent(self) -> int:
        return max(0, min(100, int(self.percent or 0)))

    @property
    def status_label(self) -> str:
        return str(FINAL_ACHIEVED_LABEL if self.final and self.status == ACHIEVED else STATUS_LABELS[self.status])

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_register_incomplete(self) -> bool:
        return self.baseline is not None and self.baseline.is_register_incomplete

    @property
    def has_inferences(self) -> bool:
        return any(mark.is_inferred for mark in self.inferences)
