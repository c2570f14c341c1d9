"""The way to each target: how many more are needed by the deadline and where they can come from.

For a target counting holders of tiers (新增 or 合计) that is not met and whose
deadline has not passed, the candidates are the enterprises of the target's
region and below that hold none of its tiers on the date. Each is placed in the
first of these sources that applies, so the counts add up to the candidates:

1. 申报在途 — an application for one of the tiers is submitted and not yet decided;
2. 符合条件未认定 — meets the criteria of one of the tiers now (the stored verdict);
3. 差一两项条件 — misses one or two criteria of one of the tiers (the gaps are listed);
4. 培育库 — is in the cultivation pool of one of the tiers.

The expected figure at the deadline is today's figure plus each source's
candidates times the region's historical conversion rate for that source: of
the enterprises in the same position one to three years before the date, the
share recognized for that tier within a year (for applications: of those decided
in the last three years, the share granted). The rates come from the target's
region; where it has no history, from its province; where neither has any, the
source is left out of the expectation, and the page says so rather than guess.

Edge cases, decided: an enterprise that held the tier at the plan start, let it
lapse and is a candidate again is listed (for a 新增 target its recognition would
not be new: its row says so through `held_before` and the counts leave it out); candidates in several
sources are listed once, under the first; one round of conversion is assumed
before the deadline however far away it is, so the expectation never compounds.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Region
from tasks.models import Target
from tiers.applications.models import Application, ApplicationState
from tiers.models import EligibilityChange, EligibilityResult, PoolEntry, Recognition, Verdict

APPLICATION, ELIGIBLE, NEAR, POOL = "application", "eligible", "near", "pool"
SOURCES = (APPLICATION, ELIGIBLE, NEAR, POOL)
SOURCE_LABELS = {
    APPLICATION: _("Application in progress"),
    ELIGIBLE: _("Meets the criteria, not recognized"),
    NEAR: _("Misses one or two criteria"),
    POOL: _("In the cultivation pool"),
}
IN_PROGRESS = (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED, ApplicationState.RETURNED)
DECIDED = (ApplicationState.GRANTED, ApplicationState.NOT_GRANTED, ApplicationState.REJECTED)
ELIGIBLE_VERDICTS = (Verdict.MEETS, Verdict.MEETS_EXCEPT_MANUAL)
NEAR_MISSING = (1, 2)
HISTORY_YEARS = 3
CONVERSION_DAYS = 365
PATH_METRICS = (Target.Metric.HOLDERS,)
TENTH = Decimal("0.1")
RATE_RULE = _(
    "Conversion rates: of the enterprises in the same position one to three years before the date, the share "
    "recognized for the tier within a year; for applications, of those decided in the last three years, the share "
    "granted. Taken from the target's region, or from its province where the region has no history. A source without "
    "history is left out of the expected figure."
)


@dataclass(frozen=True)
class Rate:
    """A historical conversion rate with what it was computed from."""

    source: str
    converted: int
    basis: int
    region_name: str = ""

    @property
    def value(self) -> Decimal | None:
        if not self.basis:
            return None
        return Decimal(self.converted) / Decimal(self.basis)

    @property
    def percent(self) -> Decimal | None:
        value = self.value
        return None if value is None else (value * 100).quantize(TENTH, ROUND_HALF_UP)

    def as_dict(self) -> dict:
        percent = self.percent
        return {
            "converted": self.converted,
            "basis": self.basis,
            "percent": float(percent) if percent is not None else None,
            "region": self.region_name,
        }


@dataclass
class Candidate:
    enterprise_id: int
    tier_id: int
    source: str
    sources: set[str] = field(default_factory=set)
    path: str = ""
    result_id: int | None = None
    missing_count: int = 0
    application_state: str = ""
    pool_stage: str = ""
    held_before: bool = False


@dataclass
class TargetPath:
    """Where a target stands on its way: the gap to close and the candidates to close it with."""

    target: Target
    as_of: datetime.date
    deadline: datetime.date
    current: Decimal
    needed: int
    counts: dict[str, int]
    rates: dict[str, Rate]
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def days_left(self) -> int:
        return max(0, (self.deadline - self.as_of).days)

    @property
    def candidate_count(self) -> int:
        return sum(self.counts.values())

    @property
    def expected(self) -> Decimal:
        """Today's figure plus each source's candidates times its rate (sources without history add nothing)."""
        gain = sum((Decimal(self.counts[source]) * (self.rates[source].value or 0) for source in SOURCES), Decimal(0))
        return (self.current + gain).quantize(TENTH, ROUND_HALF_UP)

    @property
    def expected_shortfall(self) -> Decimal:
        return max(Decimal(0), self.target.value - self.expected)

    @property
    def unrated_sources(self) -> list[str]:
        return [source for source in SOURCES if self.counts[source] and self.rates[source].value is None]

    def as_dict(self) -> dict:
        """The `path` of a `/api/v1/targets/` row: the gap, counts by source, rates and the expected figure."""
        return {
            "needed": self.needed,
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "candidates": self.candidate_count,
            "counts": dict(self.counts),
            "rates": {source: self.rates[source].as_dict() for source in SOURCES},
            "expected": float(self.expected),
        }


def deadline_of(target: Target, as_of: datetime.date) -> datetime.date:
    """The last day that counts: 31 December of the target year (of the current year for a yearly target)."""
    year = as_of.year if target.kind == Target.Kind.YEARLY else target.year
    return datetime.date(year, 12, 31)


def needs_path(target: Target, current: Decimal | None, as_of: datetime.date) -> bool:
    """A path is worked out for an unmet holders target whose deadline has not passed."""
    return (
        target.metric in PATH_METRICS
        and current is not None
        and current < target.value
        and deadline_of(target, as_of) >= as_of
        and target.tiers.all()
    )


def _held(
    recognized_on: datetime.date,
    valid_until: datetime.date | None,
    status: str,
    revoked_on: datetime.date | None,
    *,
    day: datetime.date,
) -> bool:
    """Held on `day`: granted by then, not past its validity, not revoked by then (the engine's 合计 rule)."""
    if recognized_on > day or (valid_until is not None and valid_until < day):
        return False
    return status != Recognition.Status.REVOKED or (revoked_on is not None and revoked_on > day)


def _under(paths: Iterable[str], field_name: str) -> Q:
    condition = Q(pk__in=[])
    for path in set(paths):
        condition |= Q(**{f"{field_name}__startswith": path})
    return condition


def _provinces(targets: Sequence[Target]) -> dict[int, Region]:
    """Each target's province (the nearest ancestor of that kind, else the top of its tree), by target id."""
    ancestors = {pk for target in targets for pk in target.region.ancestors_and_self}
    regions = Region.objects.in_bulk(ancestors)
    provinces = {}
    for target in targets:
        chain = [regions[pk] for pk in target.region.ancestors_and_self if pk in regions]
        provinces[target.pk] = next(
            (r for r in chain if r.kind == Region.Kind.PROVINCE), chain[0] if chain else target.region
        )
    return provinces


class _Register:
    """The candidates and the history of every target given, read in a fixed number of queries."""

    def __init__(self, targets: Sequence[Target], as_of: datetime.date, provinces: set[str]) -> None:
        # Five queries, each over the provinces of the targets: the candidates of a target are picked out of
        # them by its region's path, and the history the rates need comes with them.
        self.as_of = as_of
        tier_ids = {tier.pk for target in targets for tier in target.tiers.all()}
        path_field = "enterprise__region__path"
        in_provinces = _under(provinces, path_field)
        since = as_of - datetime.timedelta(days=365 * HISTORY_YEARS)
        ripe = as_of - datetime.timedelta(days=CONVERSION_DAYS)
        self.recognitions: list[tuple] = []
        self.granted: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
        for enterprise_id, tier_id, recognized_on, valid_until, status, revoked_on, path in (
            Recognition.objects.filter(in_provinces, tier_id__in=tier_ids, recognized_on__lte=as_of)
            .values_list("enterprise_id", "tier_id", "recognized_on", "valid_until", "status", "revoked_on", path_field)
            .order_by()
        ):
            self.recognitions.append((enterprise_id, tier_id, path, recognized_on, valid_until, status, revoked_on))
            if recognized_on >= since:
                self.granted[(enterprise_id, tier_id)].append(recognized_on)
        self.applications, self.decided = [], []
        for enterprise_id, tier_id, state, path in (
            Application.objects.filter(in_provinces, tier_id__in=tier_ids)
            .filter(Q(state__in=IN_PROGRESS) | Q(state__in=DECIDED, decided_on__gte=since, decided_on__lte=as_of))
            .values_list("enterprise_id", "tier_id", "state", path_field)
            .order_by("pk")
        ):
            (self.applications if state in IN_PROGRESS else self.decided).append((enterprise_id, tier_id, state, path))
        self.results = list(
            EligibilityResult.objects.filter(in_provinces, tier_id__in=tier_ids)
            .filter(Q(verdict__in=ELIGIBLE_VERDICTS) | Q(verdict=Verdict.MISSES, missing_count__in=NEAR_MISSING))
            .values_list("pk", "enterprise_id", "tier_id", "verdict", "missing_count", path_field)
            .order_by("missing_count", "pk")
        )
        self.past: dict[str, list[tuple[int, int, datetime.date, str]]] = {ELIGIBLE: [], NEAR: [], POOL: []}
        for enterprise_id, tier_id, verdict, missing, at, path in EligibilityChange.objects.filter(
            in_provinces, tier_id__in=tier_ids, at__date__gte=since, at__date__lte=ripe
        ).values_list("enterprise_id", "tier_id", "to_verdict", "missing_count", "at", path_field):
            if verdict in ELIGIBLE_VERDICTS:
                self.past[ELIGIBLE].append((enterprise_id, tier_id, timezone.localdate(at), path))
            elif verdict == Verdict.MISSES and missing in NEAR_MISSING:
                self.past[NEAR].append((enterprise_id, tier_id, timezone.localdate(at), path))
        end = timezone.make_aware(datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min))
        is_open = Q(entered_at__lt=end) & (Q(left_at__isnull=True) | Q(left_at__gte=end))
        self.pool = []
        for enterprise_id, tier_id, stage, entered_at, left_at, path in (
            PoolEntry.objects.filter(in_provinces, tier_id__in=tier_ids)
            .filter(is_open | Q(entered_at__date__gte=since, entered_at__date__lte=ripe))
            .values_list("enterprise_id", "tier_id", "stage", "entered_at", "left_at", path_field)
            .order_by("pk")
        ):
            if entered_at < end and (left_at is None or left_at >= end):
                self.pool.append((enterprise_id, tier_id, stage, path))
            if since <= timezone.localdate(entered_at) <= ripe:
                self.past[POOL].append((enterprise_id, tier_id, timezone.localdate(entered_at), path))

    def _converted(self, enterprise_id: int, tier_id: int, day: datetime.date) -> bool:
        limit = day + datetime.timedelta(days=CONVERSION_DAYS)
        return any(day < granted <= limit for granted in self.granted.get((enterprise_id, tier_id), ()))

    def rate(self, source: str, tier_ids: set[int], path: str) -> tuple[int, int]:
        if source == APPLICATION:
            decided = [row for row in self.decided if row[1] in tier_ids and row[3].startswith(path)]
            return sum(1 for row in decided if row[2] == ApplicationState.GRANTED), len(decided)
        rows = [row for row in self.past[source] if row[1] in tier_ids and row[3].startswith(path)]
        return sum(1 for row in rows if self._converted(row[0], row[1], row[2])), len(rows)

    def candidates(self, target: Target) -> list[Candidate]:
        tier_ids = {tier.pk for tier in target.tiers.all()}
        path = target.region.path
        on_start = target_start(target, self.as_of) - datetime.timedelta(days=1)
        holding, held_before = set(), set()
        for enterprise_id, tier_id, row_path, *validity in self.recognitions:
            if tier_id in tier_ids and row_path.startswith(path):
                if _held(*validity, day=self.as_of):
                    holding.add(enterprise_id)
                if _held(*validity, day=on_start):
                    held_before.add(enterprise_id)
        found: dict[int, Candidate] = {}

        def add(enterprise_id: int, tier_id: int, source: str, row_path: str, **extra) -> None:
            if tier_id not in tier_ids or enterprise_id in holding or not row_path.startswith(path):
                return
            candidate = found.get(enterprise_id)
            if candidate is None:
                candidate = found[enterprise_id] = Candidate(
                    enterprise_id, tier_id, source, path=row_path, held_before=enterprise_id in held_before, **extra
                )
            elif SOURCES.index(source) < SOURCES.index(candidate.source):
                # A stronger source found later: the enterprise moves up, keeping what is known.
                candidate.source, candidate.tier_id = source, tier_id
                for name, value in extra.items():
                    setattr(candidate, name, value)
            else:
                for name, value in extra.items():
                    if not getattr(candidate, name):
                        setattr(candidate, name, value)
            candidate.sources.add(source)

        for enterprise_id, tier_id, state, row_path in self.applications:
            add(enterprise_id, tier_id, APPLICATION, row_path, application_state=state)
        for result_id, enterprise_id, tier_id, verdict, missing, row_path in self.results:
            source = ELIGIBLE if verdict in ELIGIBLE_VERDICTS else NEAR
            add(enterprise_id, tier_id, source, row_path, result_id=result_id, missing_count=missing)
        for enterprise_id, tier_id, stage, row_path in self.pool:
            add(enterprise_id, tier_id, POOL, row_path, pool_stage=stage)
        return sorted(found.values(), key=lambda item: (SOURCES.index(item.source), item.missing_count, item.path))


def target_start(target: Target, as_of: datetime.date) -> datetime.date:
    """The first day of the period a 新增 target counts from (plan start, year after `since_year`, or 1 January)."""
    if target.kind == Target.Kind.YEARLY:
        return datetime.date(as_of.year, 1, 1)
    if target.since_year:
        return datetime.date(target.since_year + 1, 1, 1)
    return target.policy.plan_start or datetime.date(target.year, 1, 1)


def target_paths(
    targets: Sequence[Target], *, as_of: datetime.date, current: Mapping[int, Decimal | None]
) -> dict[int, TargetPath]:
    """The path of every target that needs one (see `needs_path`), keyed by target id.

    `current` is each target's figure on `as_of` from the one computation of
    progress (tasks.progress), so the gap here is the gap on the card. Targets
    should come with `region`, `policy` and `tiers` loaded; the register is read
    in a fixed number of queries whatever the number of targets.
    """
    chosen = [target for target in targets if needs_path(target, current.get(target.pk), as_of)]
    if not chosen:
        return {}
    provinces = _provinces(chosen)
    register = _Register(chosen, as_of, {region.path for region in provinces.values()})
    paths = {}
    for target in chosen:
        tier_ids = {tier.pk for tier in target.tiers.all()}
        candidates = register.candidates(target)
        counts = {source: 0 for source in SOURCES}
        counts_new_only = target.kind in (Target.Kind.NEW, Target.Kind.YEARLY)
        for candidate in candidates:
            # A 新增 target gains nothing from an enterprise that held the tier at its start: listed, not counted.
            if not (counts_new_only and candidate.held_before):
                counts[candidate.source] += 1
        rates = {}
        for source in SOURCES:
            converted, basis = register.rate(source, tier_ids, target.region.path)
            region_name = target.region.name
            if not basis:
                province = provinces[target.pk]
                converted, basis = register.rate(source, tier_ids, province.path)
                region_name = province.name
            rates[source] = Rate(source, converted, basis, region_name if basis else "")
        value = current[target.pk] or Decimal(0)
        paths[target.pk] = TargetPath(
            target=target,
            as_of=as_of,
            deadline=deadline_of(target, as_of),
            current=value,
            needed=max(0, math.ceil(target.value - value)),
            counts=counts,
            rates=rates,
            candidates=candidates,
        )
    return paths


def fill_paths(figures: Sequence, *, as_of: datetime.date, statuses: tuple[str, ...]) -> None:
    """Set `path` (the API's dict) on each figure (tasks.figures.TargetFigure) whose status is in `statuses`."""
    chosen = [figure for figure in figures if figure.status in statuses]
    found = target_paths(
        [figure.target for figure in chosen],
        as_of=as_of,
        current={figure.target.pk: figure.current for figure in chosen},
    )
    for figure in chosen:
        if figure.target.pk in found:
            figure.path = found[figure.target.pk].as_dict()
