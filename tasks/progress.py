"""Progress against targets, computed from the register as of a date. Nothing here is typed in.

One call measures any number of targets with a fixed number of queries: the
valid recognitions of every tier involved in every region involved, fetched
once, then counted in memory per target, per region below it, and at the
dates the status rule needs.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import AnnualIndicator
from portal.models import Region
from tasks.models import Target
from tiers.models import PoolEntry, Recognition

ACHIEVED, ON_TRACK, AT_RISK, BEHIND, UNMEASURED = "achieved", "on_track", "at_risk", "behind", "unmeasured"
STATUS_LABELS = {
    ACHIEVED: _("Achieved"),
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    BEHIND: _("Behind"),
    UNMEASURED: _("Not measured"),
}
STATUS_COLOURS = {
    ACHIEVED: "success",
    ON_TRACK: "primary",
    AT_RISK: "warning",
    BEHIND: "danger",
    UNMEASURED: "secondary",
}
AT_RISK_SHARE = Decimal("0.8")
QUALITY_AT_RISK_SHARE = Decimal("0.9")
STATUS_RULE = _(
    "Achieved: the current value meets the target. On track: it is at least the value expected today if progress "
    "were linear from the plan start (the baseline, or zero for new recognitions) to the end of the target year. "
    "At risk: the progress made is at least four fifths of the progress expected by today. Behind: less than that, or the "
    "target year is over. Quality figures have no linear path: at risk within nine tenths of the target, otherwise behind. "
    "Counts include only recognitions valid on the date (status valid, granted on or before it, not yet expired), "
    "in the target's region and every region below it."
)

ONE_HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


@dataclass
class Progress:
    target: Target
    as_of: datetime.date
    current: Decimal | None
    expected: Decimal | None = None
    start_value: Decimal | None = None
    status: str = UNMEASURED
    detail: str = ""
    breakdown: list[tuple[Region, int]] = field(default_factory=list)

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
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


@dataclass(frozen=True)
class _Row:
    enterprise_id: int
    path: str
    tier_id: int
    recognized_on: datetime.date
    valid_until: datetime.date | None
    is_listed: bool

    def valid_on(self, day: datetime.date) -> bool:
        return self.recognized_on <= day and (self.valid_until is None or self.valid_until >= day)


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def period_of(target: Target, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The dates between which the target's value is expected to grow linearly."""
    if target.kind == Target.Kind.YEARLY:
        return datetime.date(as_of.year, 1, 1), _year_end(as_of.year)
    if target.since_year:
        return datetime.date(target.since_year + 1, 1, 1), _year_end(target.year)
    start = target.policy.plan_start or datetime.date(target.year, 1, 1)
    return start, _year_end(target.year)


def _meets(target: Target, value: Decimal) -> bool:
    return value > target.value if target.comparator == Target.Comparator.MORE_THAN else value >= target.value


def _child_path(path: str, parent_path: str) -> str:
    # Paths are five-digit segments, each followed by a dot.
    return path[: len(parent_path) + 6]


class _Register:
    """The recognitions, pool entries and indicators the targets need, fetched once."""

    def __init__(self, targets: Sequence[Target], as_of: datetime.date) -> None:
        self.as_of = as_of
        holder_targets = [t for t in targets if t.metric != Target.Metric.UNMEASURED]
        ancestor_ids = {pk for t in holder_targets for pk in t.region.ancestors_and_self}
        regions = Region.objects.filter(Q(pk__in=ancestor_ids) | Q(parent_id__in={t.region_id for t in targets}))
        self.provinces: dict[int, Region] = {}
        self.children: dict[str, list[Region]] = defaultdict(list)
        by_id = {}
        for region in regions.order_by("path"):
            by_id[region.pk] = region
            if region.parent_id in {t.region_id for t in targets}:
                self.children[region.path[:-6]].append(region)
        for target in holder_targets:
            self.provinces[target.pk] = next(
                (
                    by_id[pk]
                    for pk in target.region.ancestors_and_self
                    if by_id.get(pk) and by_id[pk].kind == Region.Kind.PROVINCE
                ),
                target.region,
            )
        roots = {t.region.path for t in holder_targets} | {
            self.provinces[t.pk].path for t in holder_targets if t.metric == Target.Metric.PROVINCE_SHARE
        }
        tier_ids = {tier.pk for t in holder_targets for tier in t.tiers.all()}
        earliest = min((period_of(t, as_of)[0] for t in holder_targets), default=as_of)
        self.rows: list[_Row] = []
        if roots and tier_ids:
            in_roots = Q()
            for root in roots:
                in_roots |= Q(enterprise__region__path__startswith=root)
            qs = (
                Recognition.objects.filter(in_roots, status=Recognition.Status.VALID, tier_id__in=tier_ids)
                .filter(recognized_on__lte=as_of)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=min(earliest, as_of)))
                .values_list(
                    "enterprise_id",
                    "enterprise__region__path",
                    "tier_id",
                    "recognized_on",
                    "valid_until",
                    "enterprise__is_listed",
                )
            )
            self.rows = [_Row(*values) for values in qs]
        self.indicators = self._indicators(targets)
        self.pool_paths = self._pool_entries(targets)

    def holders(
        self,
        target: Target,
        day: datetime.date,
        path: str | None = None,
        after: datetime.date | None = None,
        until: datetime.date | None = None,
    ) -> dict[int, str]:
        """Enterprise id → region path of those holding one of the target's tiers on `day`
        (granted after `after` and by `until`, when given)."""
        tier_ids = {tier.pk for tier in target.tiers.all()}
        path = path if path is not None else target.region.path
        return {
            row.enterprise_id: row.path
            for row in self.rows
            if row.tier_id in tier_ids
            and row.path.startswith(path)
            and row.valid_on(day)
            and (after is None or row.recognized_on > after)
            and (until is None or row.recognized_on <= until)
        }

    def listed(self, enterprise_ids) -> int:
        listed = {row.enterprise_id for row in self.rows if row.is_listed}
        return len(listed & set(enterprise_ids))

    def _indicators(self, targets: Sequence[Target]) -> dict[int, tuple]:
        quality = [t for t in targets if t.metric in (Target.Metric.RD_RATIO, Target.Metric.DIGITAL_SHARE)]
        if not quality:
            return {}
        ids = set()
        for target in quality:
            ids |= set(self.holders(target, self.as_of))
        rows = AnnualIndicator.objects.filter(enterprise_id__in=ids, year=self.as_of.year - 1).values_list(
            "enterprise_id", "rd_expense", "operating_revenue", "digital_level"
        )
        return {enterprise_id: (rd, revenue, level) for enterprise_id, rd, revenue, level in rows}

    def _pool_entries(self, targets: Sequence[Target]) -> list[str]:
        pool_targets = [t for t in targets if t.metric == Target.Metric.POOL_ENTRIES]
        if not pool_targets:
            return []
        in_roots = Q()
        for target in pool_targets:
            in_roots |= Q(region__path__startswith=target.region.path)
        year_start = datetime.datetime.combine(datetime.date(self.as_of.year, 1, 1), datetime.time.min)
        # An entry counts once per enterprise: entering for two tiers is one enterprise in the pool.
        entries = (
            PoolEntry.objects.filter(
                in_roots, entered_at__date__gte=year_start.date(), entered_at__date__lte=self.as_of
            )
            .values_list("enterprise_id", "region__path")
            .distinct()
        )
        return [path for _enterprise_id, path in entries]


def _measure(target: Target, register: _Register) -> Progress:
    as_of = register.as_of
    progress = Progress(target=target, as_of=as_of, current=None)
    metric, kind = target.metric, target.kind
    start, end = period_of(target, as_of)
    counted: dict[int, str] = {}
    if metric == Target.Metric.UNMEASURED:
        return progress
    if metric == Target.Metric.HOLDERS:
        if kind == Target.Kind.NEW:
            # "新增 9 家 by 2025" counts what was granted within the period, even when measured later.
            counted = register.holders(target, as_of, after=start - datetime.timedelta(days=1), until=end)
            progress.start_value = Decimal(0)
        elif kind == Target.Kind.YEARLY:
            counted = register.holders(
                target, as_of, after=datetime.date(as_of.year, 1, 1) - datetime.timedelta(days=1)
            )
            progress.start_value = Decimal(0)
        else:
            counted = register.holders(target, as_of)
            progress.start_value = (
                target.baseline if target.baseline is not None else Decimal(len(register.holders(target, start)))
            )
        progress.current = Decimal(len(counted))
    elif metric == Target.Metric.PROVINCE_SHARE:
        province = register.provinces[target.pk]

        def share(day: datetime.date) -> Decimal:
            total = len(register.holders(target, day, path=province.path))
            return (
                (Decimal(len(register.holders(target, day))) * ONE_HUNDRED / total).quantize(TENTH)
                if total
                else Decimal(0)
            )

        counted = register.holders(target, as_of)
        progress.current = share(as_of)
        progress.start_value = share(start)
        progress.detail = str(
            _("%(region)s %(count)s of %(province)s %(total)s")
            % {
                "region": target.region.name,
                "count": len(counted),
                "province": province.name,
                "total": len(register.holders(target, as_of, path=province.path)),
            }
        )
    elif metric == Target.Metric.LISTED:
        progress.current = Decimal(register.listed(register.holders(target, as_of)))
        progress.start_value = target.baseline if target.baseline is not None else Decimal(0)
    elif metric in (Target.Metric.RD_RATIO, Target.Metric.DIGITAL_SHARE):
        _quality(target, register, progress)
        return progress
    elif metric == Target.Metric.POOL_ENTRIES:
        entered = [path for path in register.pool_paths if path.startswith(target.region.path)]
        progress.current = Decimal(len(entered))
        progress.start_value = Decimal(0)
    progress.breakdown = _breakdown(target, counted, register)
    _judge(progress, start, end)
    return progress


def _quality(target: Target, register: _Register, progress: Progress) -> None:
    holders = register.holders(target, register.as_of)
    figures = [register.indicators[pk] for pk in holders if pk in register.indicators]
    if target.metric == Target.Metric.RD_RATIO:
        ratios = [rd * ONE_HUNDRED / revenue for rd, revenue, _level in figures if rd is not None and revenue]
        progress.current = (sum(ratios) / len(ratios)).quantize(TENTH) if ratios else None
        reported = len(ratios)
    else:
        levels = [level for _rd, _revenue, level in figures if level is not None]
        reported = len(levels)
        progress.current = (
            (Decimal(sum(1 for level in levels if level >= 2)) * ONE_HUNDRED / reported).quantize(TENTH)
            if levels
            else None
        )
    progress.detail = str(
        _("%(reported)s of %(holders)s holders reported figures for %(year)s")
        % {"reported": reported, "holders": len(holders), "year": register.as_of.year - 1}
    )
    if progress.current is None:
        progress.status = UNMEASURED
    elif _meets(target, progress.current):
        progress.status = ACHIEVED
    elif register.as_of <= _year_end(target.year) and progress.current >= target.value * QUALITY_AT_RISK_SHARE:
        progress.status = AT_RISK
    else:
        progress.status = BEHIND


def _breakdown(target: Target, counted: dict[int, str], register: _Register) -> list[tuple[Region, int]]:
    children = register.children.get(target.region.path, [])
    if not children or not counted:
        return []
    per_child: dict[str, int] = defaultdict(int)
    for path in counted.values():
        per_child[_child_path(path, target.region.path)] += 1
    return [(child, per_child.get(child.path, 0)) for child in children]


def _judge(progress: Progress, start: datetime.date, end: datetime.date) -> None:
    target, current, as_of = progress.target, progress.current, progress.as_of
    span = (end - start).days or 1
    fraction = Decimal(min(max((as_of - start).days, 0), span)) / Decimal(span)
    base = progress.start_value or Decimal(0)
    progress.expected = (base + (target.value - base) * fraction).quantize(TENTH, ROUND_HALF_UP)
    if _meets(target, current):
        progress.status = ACHIEVED
    elif as_of > end:
        progress.status = BEHIND
    elif current >= progress.expected:
        progress.status = ON_TRACK
    elif current - base >= (progress.expected - base) * AT_RISK_SHARE:
        progress.status = AT_RISK
    else:
        progress.status = BEHIND


def compute_progress(targets: Sequence[Target], *, as_of: datetime.date) -> dict[int, Progress]:
    """Progress of every target on `as_of`, keyed by target id.

    Targets should come with `region`, `policy` and `tiers` loaded (see
    selectors.targets_with_relations); the register is read in a fixed number of queries.
    """
    targets = list(targets)
    if not targets:
        return {}
    register = _Register(targets, as_of)
    return {target.pk: _measure(target, register) for target in targets}
