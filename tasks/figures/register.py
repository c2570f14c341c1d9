"""The register's facts a set of targets needs, fetched in a fixed number of queries, then read in memory."""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, Q, When

from enterprises.models import AnnualIndicator
from enterprises.selectors import counts_by_region
from portal.models import Region
from portal.statements import Statement
from tasks.figures.holdings import Holding, HoldingIndex
from tasks.models import Inference, Measure, Policy, Target, TargetConflict
from tiers.models import PoolEntry, Recognition

__all__ = ["Holding", "HoldingsSource", "RegionHoldings", "Register", "fresh_holdings", "read_holdings"]

# A Holding's fields, in order, as a recognition's columns (the region's id standing for its path).
HOLDING_COLUMNS = (
    "enterprise_id",
    "enterprise__region_id",
    "tier_id",
    "recognized_on",
    "valid_until",
    "status",
    "revoked_on",
    "enterprise__is_listed",
)


# A region's holdings (of its own enterprises) and the time of its latest roster recognition (any tier).
RegionHoldings = tuple[list[Holding], datetime.datetime | None]
# (region id → path, tier ids) → the holdings of those tiers below, indexed, and per region path the latest
# roster recognition: how a Register gets its recognitions (fresh_holdings, or one that keeps them between reads).
HoldingsSource = Callable[[Mapping[int, str], frozenset[int]], tuple[HoldingIndex, dict[str, datetime.datetime]]]


def read_holdings(region_paths: Mapping[int, str], tier_ids: frozenset[int]) -> dict[int, RegionHoldings]:
    """Per region of `region_paths`: the holdings of `tier_ids` of its enterprises, and its latest roster recognition.

    One read of the regions' recognitions serves both the figures and their coverage. Its rows carry the
    enterprise's region id, not its path: the paths are given, and joining the regions for them cost a hash
    join per read. The rows are read as the driver returns them: a province's holdings are tens of thousands,
    and the queryset's per-row machinery cost more than the database's work.
    """
    if not region_paths:
        return {}
    roster = Recognition.Source.ROSTER
    query = (
        Recognition.objects.filter(
            Q(tier_id__in=tier_ids) | Q(source=roster), enterprise__region_id__in=list(region_paths)
        )
        .annotate(roster_at=Case(When(source=roster, then=F("created_at"))))
        .values_list(*HOLDING_COLUMNS, "roster_at")
        .order_by()
    )
    held: dict[int, list[Holding]] = {pk: [] for pk in region_paths}
    latest: dict[int, datetime.datetime] = {}
    for pk, region, tier, since, until, status, revoked, listed, at in Statement.of(query).rows():
        if tier in tier_ids:
            held[region].append(Holding(pk, region_paths[region], tier, since, until, status, revoked, listed))
        if at is not None and (region not in latest or at > latest[region]):
            latest[region] = at
    return {region: (rows, latest.get(region)) for region, rows in held.items()}


def index_of(
    read: Mapping[int, RegionHoldings], region_paths: Mapping[int, str]
) -> tuple[HoldingIndex, dict[str, datetime.datetime]]:
    """The regions' holdings indexed, and per region path its latest roster recognition."""
    index = HoldingIndex(itertools.chain.from_iterable(rows for rows, _at in read.values()))
    return index, {region_paths[pk]: at for pk, (_rows, at) in read.items() if at is not None}


def fresh_holdings(
    region_paths: Mapping[int, str], tier_ids: frozenset[int]
) -> tuple[HoldingIndex, dict[str, datetime.datetime]]:
    """The holdings read from the register now (the HoldingsSource every figure uses unless given another)."""
    return index_of(read_holdings(region_paths, tier_ids), region_paths)


def _in_paths(field: str, paths: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class Register:
    """Recognitions, pool entries, indicators, coverage, conflicts and inferences for `targets`."""

    def __init__(
        self, targets: Sequence[Target], *, as_of: datetime.date, source: HoldingsSource = fresh_holdings
    ) -> None:
        self.as_of = as_of
        measured = [t for t in targets if t.metric != Target.Metric.UNMEASURED]
        ancestor_ids = {pk for t in targets for pk in t.region.ancestors_and_self}
        target_region_ids = {t.region_id for t in targets}
        regions = list(
            Region.objects.filter(
                Q(pk__in=ancestor_ids)
                | Q(parent_id__in=target_region_ids)
                | Q(parent_id__in=ancestor_ids, kind=Region.Kind.CITY)
            ).order_by("path")
        )
        self.regions_by_id = {region.pk: region for region in regions}
        self.children: dict[int, list[Region]] = defaultdict(list)
        for region in regions:
            if region.parent_id is not None:
                self.children[region.parent_id].append(region)
        self.provinces: dict[int, Region] = {t.pk: self._province_of(t.region) for t in targets}
        roots = {t.region.path for t in measured} | {
            self.provinces[t.pk].path for t in measured if t.metric == Target.Metric.PROVINCE_SHARE
        }
        # Every region below the roots (where all the rows read here are), by id: the rows are then picked by
        # their region's id, which the database estimates well, never by a pattern on a joined path, which it
        # does not (it walked every enterprise of the province once per recognition query).
        self.region_paths: dict[int, str] = (
            dict(Region.objects.filter(_in_paths("path", roots)).values_list("pk", "path")) if roots else {}
        )
        self._tier_ids: dict[int, frozenset[int]] = {
            t.pk: frozenset(tier.pk for tier in t.tiers.all()) for t in targets
        }
        tier_ids = frozenset(pk for t in measured for pk in self._tier_ids[t.pk])
        self.index, roster_at = source(self.region_paths, tier_ids) if self.region_paths else (HoldingIndex([]), {})
        self.pool_rows = self._pool_rows(targets)
        self.indicator_years: dict[int, dict[int, tuple]] = {}
        self._quality_targets = [
            t for t in targets if t.metric in (Target.Metric.RD_RATIO, Target.Metric.DIGITAL_SHARE)
        ]
        self.coverage_rows = self._coverage(measured, roster_at)
        self.conflicts = self._conflicts(targets)
        self.inferences = self._inferences(targets)

    def _province_of(self, region: Region) -> Region:
        for pk in region.ancestors_and_self:
            candidate = self.regions_by_id.get(pk)
            if candidate is not None and candidate.kind == Region.Kind.PROVINCE:
                return candidate
        return region

    # --- holders -------------------------------------------------------------------------

    @property
    def holdings(self) -> list[Holding]:
        return self.index.holdings

    def holders(self, target: Target, day: datetime.date, path: str | None = None) -> Mapping[int, str]:
        """Enterprise id → region path of those holding one of the target's tiers on `day` (read, never change)."""
        return self.index.holders(self._tiers_of(target), path if path is not None else target.region.path, day)

    def holdings_of(self, target: Target) -> dict[int, list[Holding]]:
        found: dict[int, list[Holding]] = defaultdict(list)
        for row in self.index.rows(self._tiers_of(target), target.region.path):
            found[row.enterprise_id].append(row)
        return found

    def listed(self, enterprise_ids: Iterable[int]) -> int:
        listed = self.index.listed_ids
        return sum(1 for pk in set(enterprise_ids) if pk in listed)

    def _tiers_of(self, target: Target) -> frozenset[int]:
        tier_ids = self._tier_ids.get(target.pk)
        if tier_ids is None:
            tier_ids = self._tier_ids[target.pk] = frozenset(tier.pk for tier in target.tiers.all())
        return tier_ids

    # --- pool entries and indicators ------------------------------------------------------

    def _pool_rows(self, targets: Sequence[Target]) -> dict[str, list[tuple[int, datetime.date]]]:
        """Region path → (enterprise id, entry date) of the pool entries below the pool targets' regions."""
        pool_paths = [t.region.path for t in targets if t.metric == Target.Metric.POOL_ENTRIES]
        if not pool_paths:
            return {}
        region_ids = [pk for pk, path in self.region_paths.items() if path.startswith(tuple(pool_paths))]
        rows = PoolEntry.objects.filter(region_id__in=region_ids, entered_at__date__lte=self.as_of).values_list(
            "enterprise_id", "region_id", "entered_at"
        )
        found: dict[str, list[tuple[int, datetime.date]]] = defaultdict(list)
        for enterprise_id, region_id, entered_at in rows.order_by():
            found[self.region_paths[region_id]].append((enterprise_id, entered_at.date()))
        return found

    def pool_entered(self, target: Target, first: datetime.date, last: datetime.date) -> set[int]:
        """Enterprises entered into the pool between two dates; two entries of one enterprise count once."""
        return {
            enterprise_id
            for path, rows in self.pool_rows.items()
            if path.startswith(target.region.path)
            for enterprise_id, entered_on in rows
            if first <= entered_on <= last
        }

    def indicators(self, year: int) -> dict[int, tuple]:
        """Enterprise id → (R&D expense, operating revenue, digital level) for a year, for the quality targets."""
        if year not in self.indicator_years:
            ids: set[int] = set()
            for target in self._quality_targets:
                ids |= {row.enterprise_id for row in self.index.rows(self._tiers_of(target), target.region.path)}
            # No ordering: the model's (by enterprise name) joined every enterprise of the register to sort.
            rows = (
                AnnualIndicator.objects.filter(enterprise_id__in=ids, year=year)
                .values_list("enterprise_id", "rd_expense", "operating_revenue", "digital_level")
                .order_by()
            )
            self.indicator_years[year] = {pk: (rd, revenue, level) for pk, rd, revenue, level in rows}
        return self.indicator_years[year]

    # --- coverage ------------------------------------------------------------------------

    def coverage_regions(self, target: Target) -> list[Region]:
        """The regions the register must cover for the target's figure to mean anything.

        A share of the province needs every prefecture of the province; a
        province-wide target every prefecture of the province; a city or county
        target its own region.
        """
        if target.metric == Target.Metric.PROVINCE_SHARE or target.region.kind == Region.Kind.PROVINCE:
            province = self.provinces[target.pk]
            cities = [r for r in self.children.get(province.pk, []) if r.kind == Region.Kind.CITY]
            return cities or [province]
        return [target.region]

    def _coverage(
        self, targets: Sequence[Target], roster_at: Mapping[str, datetime.datetime]
    ) -> dict[str, tuple[int, datetime.datetime | None]]:
        """Region path → (enterprises registered at or below it, latest roster recognition there)."""
        wanted = {region.path for t in targets for region in self.coverage_regions(t)}
        if not wanted:
            return {}
        # The coverage regions of measured targets all lie below the roots, so region_paths holds them.
        below = {pk: path for pk, path in self.region_paths.items() if path.startswith(tuple(wanted))}
        counts = counts_by_region(list(below)).items()
        result: dict[str, list] = {path: [0, None] for path in wanted}
        for region_id, count in counts:
            for path in wanted:
                if below[region_id].startswith(path):
                    result[path][0] += count
        for region_path, imported_at in roster_at.items():
            for path in wanted:
                if region_path.startswith(path):
                    last = result[path][1]
                    result[path][1] = imported_at if last is None or imported_at > last else last
        return {path: (count, last) for path, (count, last) in result.items()}

    # --- people's decisions ---------------------------------------------------------------

    def _conflicts(self, targets: Sequence[Target]) -> dict[int, list[TargetConflict]]:
        ids = [t.pk for t in targets]
        found: dict[int, list[TargetConflict]] = defaultdict(list)
        rows = TargetConflict.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids)).select_related(
            "first", "second", "chosen"
        )
        for conflict in rows:
            found[conflict.first_id].append(conflict)
            found[conflict.second_id].append(conflict)
        return found

    def _inferences(self, targets: Sequence[Target]) -> dict[tuple[str, int], list[Inference]]:
        kinds = {
            ContentType.objects.get_for_model(Target).pk: "target",
            ContentType.objects.get_for_model(Measure).pk: "measure",
            ContentType.objects.get_for_model(Policy).pk: "policy",
        }
        ids = {
            "target": [t.pk for t in targets],
            "measure": {t.measure_id for t in targets if t.measure_id},
            "policy": {t.policy_id for t in targets},
        }
        condition = Q(pk__in=[])
        for type_id, kind in kinds.items():
            condition |= Q(content_type_id=type_id, object_id__in=ids[kind])
        found: dict[tuple[str, int], list[Inference]] = defaultdict(list)
        for row in Inference.objects.filter(condition):
            found[(kinds[row.content_type_id], row.object_id)].append(row)
        return found
