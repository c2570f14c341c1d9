"""The register's facts a set of targets needs, fetched in a fixed number of queries, then read in memory."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q

from enterprises.models import AnnualIndicator, Enterprise
from portal.models import Region
from tasks.models import Inference, Measure, Policy, Target, TargetConflict
from tiers.models import PoolEntry, Recognition


@dataclass(frozen=True)
class Holding:
    """One recognition, reduced to what the counting rules read."""

    enterprise_id: int
    path: str
    tier_id: int
    recognized_on: datetime.date
    valid_until: datetime.date | None
    status: str
    revoked_on: datetime.date | None
    is_listed: bool

    def valid_on(self, day: datetime.date) -> bool:
        """Held on `day`: granted by then, within its validity, not revoked by then.

        An expired recognition counts on the days it was valid and a revoked one
        until its revocation, so a past date gives the past figure whatever
        happened since. A revocation without a date counts from the grant.
        """
        if self.recognized_on > day or (self.valid_until is not None and self.valid_until < day):
            return False
        if self.status == Recognition.Status.REVOKED:
            return self.revoked_on is not None and self.revoked_on > day
        return True


def _in_paths(field: str, paths: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class Register:
    """Recognitions, pool entries, indicators, coverage, conflicts and inferences for `targets`."""

    def __init__(self, targets: Sequence[Target], *, as_of: datetime.date) -> None:
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
        tier_ids = {tier.pk for t in measured for tier in t.tiers.all()}
        self.holdings: list[Holding] = []
        self._row_cache: dict[tuple, list[Holding]] = {}
        if roots and tier_ids:
            rows = Recognition.objects.filter(_in_paths("enterprise__region__path", roots), tier_id__in=tier_ids)
            self.holdings = [
                Holding(*values)
                for values in rows.values_list(
                    "enterprise_id",
                    "enterprise__region__path",
                    "tier_id",
                    "recognized_on",
                    "valid_until",
                    "status",
                    "revoked_on",
                    "enterprise__is_listed",
                )
            ]
        self.pool_rows = self._pool_rows(targets)
        self.indicator_years: dict[int, dict[int, tuple]] = {}
        self._quality_targets = [
            t for t in targets if t.metric in (Target.Metric.RD_RATIO, Target.Metric.DIGITAL_SHARE)
        ]
        self.coverage_rows = self._coverage(targets)
        self.conflicts = self._conflicts(targets)
        self.inferences = self._inferences(targets)

    def _province_of(self, region: Region) -> Region:
        for pk in region.ancestors_and_self:
            candidate = self.regions_by_id.get(pk)
            if candidate is not None and candidate.kind == Region.Kind.PROVINCE:
                return candidate
        return region

    # --- holders -------------------------------------------------------------------------

    def _rows(self, target: Target, path: str) -> list[Holding]:
        """The recognitions of the target's tiers at or below `path`, filtered once per target and path."""
        tier_ids = frozenset(tier.pk for tier in target.tiers.all())
        key = (tier_ids, path)
        rows = self._row_cache.get(key)
        if rows is None:
            rows = self._row_cache[key] = [
                row for row in self.holdings if row.tier_id in tier_ids and row.path.startswith(path)
            ]
        return rows

    def holders(self, target: Target, day: datetime.date, path: str | None = None) -> dict[int, str]:
        """Enterprise id → region path of those holding one of the target's tiers on `day`."""
        rows = self._rows(target, path if path is not None else target.region.path)
        return {row.enterprise_id: row.path for row in rows if row.valid_on(day)}

    def holdings_of(self, target: Target) -> dict[int, list[Holding]]:
        found: dict[int, list[Holding]] = defaultdict(list)
        for row in self._rows(target, target.region.path):
            found[row.enterprise_id].append(row)
        return found

    def listed(self, enterprise_ids: Iterable[int]) -> int:
        listed = {row.enterprise_id for row in self.holdings if row.is_listed}
        return len(listed & set(enterprise_ids))

    # --- pool entries and indicators ------------------------------------------------------

    def _pool_rows(self, targets: Sequence[Target]) -> list[tuple[int, str, datetime.date]]:
        pool_targets = [t for t in targets if t.metric == Target.Metric.POOL_ENTRIES]
        if not pool_targets:
            return []
        rows = PoolEntry.objects.filter(
            _in_paths("region__path", {t.region.path for t in pool_targets}), entered_at__date__lte=self.as_of
        ).values_list("enterprise_id", "region__path", "entered_at")
        return [(enterprise_id, path, entered_at.date()) for enterprise_id, path, entered_at in rows]

    def pool_entered(self, target: Target, first: datetime.date, last: datetime.date) -> set[int]:
        """Enterprises entered into the pool between two dates; two entries of one enterprise count once."""
        return {
            enterprise_id
            for enterprise_id, path, entered_on in self.pool_rows
            if path.startswith(target.region.path) and first <= entered_on <= last
        }

    def indicators(self, year: int) -> dict[int, tuple]:
        """Enterprise id → (R&D expense, operating revenue, digital level) for a year, for the quality targets."""
        if year not in self.indicator_years:
            ids: set[int] = set()
            for target in self._quality_targets:
                ids |= {row.enterprise_id for row in self.holdings_of(target).values() for row in row}
            rows = AnnualIndicator.objects.filter(enterprise_id__in=ids, year=year).values_list(
                "enterprise_id", "rd_expense", "operating_revenue", "digital_level"
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

    def _coverage(self, targets: Sequence[Target]) -> dict[str, tuple[int, datetime.datetime | None]]:
        """Region path → (enterprises registered at or below it, latest roster recognition there)."""
        wanted = {region.path for t in targets for region in self.coverage_regions(t)}
        if not wanted:
            return {}
        counts = (
            Enterprise.objects.filter(_in_paths("region__path", wanted)).values("region__path").annotate(n=Count("pk"))
        )
        imports = (
            Recognition.objects.filter(_in_paths("enterprise__region__path", wanted), source=Recognition.Source.ROSTER)
            .values("enterprise__region__path")
            .annotate(last=Max("created_at"))
        )
        result: dict[str, list] = {path: [0, None] for path in wanted}
        for row in counts:
            for path in wanted:
                if row["region__path"].startswith(path):
                    result[path][0] += row["n"]
        for row in imports:
            for path in wanted:
                if row["enterprise__region__path"].startswith(path):
                    last = result[path][1]
                    result[path][1] = row["last"] if last is None or row["last"] > last else last
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
