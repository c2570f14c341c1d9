"""The register's index of holdings gives exactly what a scan of every holding gives.

tasks.figures.holdings files the holdings by tier and region and reads validity as
a span of days, so that a province's figures stop growing with the province. Two
checks hold it to the straightforward reading: random holdings asked random
questions (Hypothesis, no database), and random registers whose whole figures are
compared with those of a register that scans every row, read by the queries the
engine used before the index.
"""

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Max, Q
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from enterprises.models import AnnualIndicator, Enterprise
from enterprises.tests.factories import EnterpriseFactory
from portal.tests.factories import RegionFactory
from tasks import figures
from tasks.figures.holdings import Holding, HoldingIndex, valid_span
from tasks.figures.register import HOLDING_COLUMNS, Register
from tasks.models import Target
from tasks.tests.factories import PolicyFactory, TargetFactory
from tests.properties import examples
from tiers.models import PoolEntry, Recognition
from tiers.tests.factories import TierFactory

# --- the index against a scan, on random holdings ----------------------------------------------------

PATHS = ["00001.", "00001.00002.", "00001.00002.00003.", "00001.00002.00004.", "00001.00005.", "00001.00005.00006."]
EDGE_DAYS = [datetime.date.min, datetime.date.max, datetime.date.min + datetime.timedelta(days=1)]
days = st.one_of(
    st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2028, 12, 31)), st.sampled_from(EDGE_DAYS)
)
recognitions = st.builds(
    lambda enterprise, tier, granted, span, status, revoked, listed: (
        enterprise,
        tier,
        granted,
        None if span is None else granted + datetime.timedelta(days=span) if span >= 0 else datetime.date.min,
        status,
        revoked,
        listed,
    ),
    st.integers(min_value=1, max_value=15),
    st.integers(min_value=1, max_value=4),
    st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2028, 12, 31)),
    st.one_of(st.none(), st.integers(min_value=-1, max_value=1500)),
    st.sampled_from(["valid", "expired", "revoked"]),
    st.one_of(st.none(), days),
    st.booleans(),
)
questions = st.lists(
    st.tuples(st.frozensets(st.integers(min_value=1, max_value=5), max_size=3), st.sampled_from(PATHS), days),
    min_size=1,
    max_size=8,
)

# A Holding's fields, in order, read the plain way: the region's path joined, not looked up by its id.
SCANNED_COLUMNS = tuple(
    "enterprise__region__path" if column == "enterprise__region_id" else column for column in HOLDING_COLUMNS
)


@settings(max_examples=examples(100), deadline=None)
@given(
    rows=st.lists(recognitions, max_size=60),
    asked=questions,
    places=st.lists(st.sampled_from(PATHS), min_size=15, max_size=15),
)
def test_the_index_answers_as_a_scan_of_every_holding(rows, asked, places):
    """Rows, holders and listed enterprises from the index equal those of a scan, asked twice in any order."""
    # An enterprise is registered in one region: all its recognitions carry that path.
    scanned = [
        Holding(enterprise, places[enterprise - 1], tier, granted, until, status, revoked, listed)
        for enterprise, tier, granted, until, status, revoked, listed in rows
    ]
    index = HoldingIndex(scanned)
    assert index.listed_ids == {row.enterprise_id for row in scanned if row.is_listed}
    for tier_ids, path, day in asked + asked:
        below = [row for row in scanned if row.tier_id in tier_ids and row.path.startswith(path)]
        assert Counter(index.rows(tier_ids, path)) == Counter(below)
        expected = {row.enterprise_id: row.path for row in below if row.valid_on(day)}
        assert dict(index.holders(tier_ids, path, day)) == expected, (tier_ids, path, day)


@settings(max_examples=examples(300), deadline=None)
@given(row=recognitions, day=days)
def test_a_holding_s_span_holds_exactly_on_the_days_it_is_valid(row, day):
    """valid_span is valid_on read as one span of days, edges of the calendar included."""
    _enterprise, _tier, granted, until, status, revoked, _listed = row
    holding = Holding(1, PATHS[0], 1, granted, until, status, revoked, False)
    span = valid_span(granted, until, status, revoked)
    assert holding.valid_on(day) == (span is not None and span[0] <= day <= span[1])


# --- whole figures against a register that scans, on random registers --------------------------------


def _in_paths(field: str, paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class ScanningRegister(Register):
    """The register as it read before the index: every holding scanned for every question.

    Holdings, pool entries and coverage are read again by the queries of that time
    (paths matched on the joined region), so the region-id queries are checked too.
    """

    def __init__(self, targets, *, as_of, **kwargs):
        super().__init__(targets, as_of=as_of, **kwargs)
        measured = [t for t in targets if t.metric != Target.Metric.UNMEASURED]
        roots = {t.region.path for t in measured} | {
            self.provinces[t.pk].path for t in measured if t.metric == Target.Metric.PROVINCE_SHARE
        }
        tier_ids = {tier.pk for t in measured for tier in t.tiers.all()}
        self.scanned = []
        if roots and tier_ids:
            self.scanned = [
                Holding(*values)
                for values in Recognition.objects.filter(
                    _in_paths("enterprise__region__path", roots), tier_id__in=tier_ids
                ).values_list(*SCANNED_COLUMNS)
            ]
        pool_paths = {t.region.path for t in targets if t.metric == Target.Metric.POOL_ENTRIES}
        self.pool_scanned = [
            (enterprise_id, path, entered_at.date())
            for enterprise_id, path, entered_at in PoolEntry.objects.filter(
                _in_paths("region__path", pool_paths), entered_at__date__lte=as_of
            ).values_list("enterprise_id", "region__path", "entered_at")
        ]
        self.coverage_rows = self._scanned_coverage(measured)

    def holders(self, target, day, path=None):
        return {row.enterprise_id: row.path for row in self._scan(target, path) if row.valid_on(day)}

    def holdings_of(self, target):
        found = defaultdict(list)
        for row in self._scan(target, None):
            found[row.enterprise_id].append(row)
        return found

    def listed(self, enterprise_ids):
        return len({row.enterprise_id for row in self.scanned if row.is_listed} & set(enterprise_ids))

    def pool_entered(self, target, first, last):
        return {
            pk
            for pk, path, entered in self.pool_scanned
            if path.startswith(target.region.path) and first <= entered <= last
        }

    def indicators(self, year):
        if year not in self.indicator_years:
            ids = {pk for target in self._quality_targets for pk in self.holdings_of(target)}
            rows = AnnualIndicator.objects.filter(enterprise_id__in=ids, year=year).values_list(
                "enterprise_id", "rd_expense", "operating_revenue", "digital_level"
            )
            self.indicator_years[year] = {pk: (rd, revenue, level) for pk, rd, revenue, level in rows}
        return self.indicator_years[year]

    def _scan(self, target, path):
        tier_ids = {tier.pk for tier in target.tiers.all()}
        path = target.region.path if path is None else path
        return [row for row in self.scanned if row.tier_id in tier_ids and row.path.startswith(path)]

    def _scanned_coverage(self, targets):
        wanted = {region.path for t in targets for region in self.coverage_regions(t)}
        result = {path: [0, None] for path in wanted}
        counts = Enterprise.objects.filter(_in_paths("region__path", wanted)).values("region__path")
        for row in counts.annotate(n=Count("pk")):
            for path in wanted:
                if row["region__path"].startswith(path):
                    result[path][0] += row["n"]
        imports = Recognition.objects.filter(
            _in_paths("enterprise__region__path", wanted), source=Recognition.Source.ROSTER
        ).values("enterprise__region__path")
        for row in imports.annotate(last=Max("created_at")):
            for path in wanted:
                if row["enterprise__region__path"].startswith(path):
                    last = result[path][1]
                    result[path][1] = row["last"] if last is None or row["last"] > last else last
        return {path: (count, last) for path, (count, last) in result.items()}


def _random_date(rng: random.Random, first: int = 2019, last: int = 2027) -> datetime.date:
    return datetime.date(first, 1, 1) + datetime.timedelta(days=rng.randrange((last - first + 1) * 365))


def _random_register(rng: random.Random) -> list[Target]:
    """Two provinces of cities, counties and a park; enterprises, recognitions, pool entries, figures; targets."""
    province = RegionFactory(kind="province")
    other = RegionFactory(kind="province")
    cities = [RegionFactory(kind="city", parent=province) for _n in range(2)] + [
        RegionFactory(kind="city", parent=other)
    ]
    below = [RegionFactory(kind=rng.choice(["county", "park"]), parent=rng.choice(cities)) for _n in range(4)]
    regions = [province, other, *cities, *below]
    tiers = [TierFactory() for _n in range(4)]
    enterprises = [
        EnterpriseFactory(
            region=rng.choice(regions[1:] if rng.random() < 0.9 else regions), is_listed=rng.random() < 0.3
        )
        for _n in range(30)
    ]
    recognitions = {}
    for _n in range(90):
        enterprise, tier, granted = rng.choice(enterprises), rng.choice(tiers), _random_date(rng)
        status = rng.choice(list(Recognition.Status))
        recognitions[(enterprise.pk, tier.pk, granted)] = Recognition(
            enterprise=enterprise,
            tier=tier,
            recognized_on=granted,
            year=granted.year,
            valid_until=None if rng.random() < 0.2 else granted + datetime.timedelta(days=rng.randrange(-30, 1500)),
            status=status,
            revoked_on=(
                granted + datetime.timedelta(days=rng.randrange(-10, 900))
                if status == Recognition.Status.REVOKED and rng.random() < 0.8
                else None
            ),
            source=rng.choice(list(Recognition.Source)),
        )
    Recognition.objects.bulk_create(recognitions.values())
    open_entries = {(rng.choice(enterprises), rng.choice(tiers)) for _n in range(15)}
    PoolEntry.objects.bulk_create(
        PoolEntry(
            enterprise=enterprise,
            tier=tier,
            region=enterprise.region,
            origin=PoolEntry.Origin.MANUAL,
            reason="随机",
            entered_at=timezone.make_aware(datetime.datetime.combine(_random_date(rng, 2022), datetime.time(10))),
        )
        for enterprise, tier in open_entries
    )
    AnnualIndicator.objects.bulk_create(
        AnnualIndicator(
            enterprise=enterprise,
            year=year,
            operating_revenue=rng.choice([None, 0, Decimal(rng.randrange(1, 90000)) / 7]),
            rd_expense=rng.choice([None, Decimal(rng.randrange(0, 9000)) / 3]),
            digital_level=rng.choice([None, 1, 2, 3, 4]),
        )
        for enterprise in enterprises
        for year in range(2022, 2027)
        if rng.random() < 0.7
    )
    policies = [
        PolicyFactory(region=place, plan_start=rng.choice([None, datetime.date(2023, 1, 1)]))
        for place in (province, other)
    ]
    kinds = [
        (Target.Kind.TOTAL, Target.Metric.HOLDERS),
        (Target.Kind.NEW, Target.Metric.HOLDERS),
        (Target.Kind.YEARLY, Target.Metric.HOLDERS),
        (Target.Kind.SHARE, Target.Metric.PROVINCE_SHARE),
        (Target.Kind.QUALITY, Target.Metric.RD_RATIO),
        (Target.Kind.QUALITY, Target.Metric.DIGITAL_SHARE),
        (Target.Kind.YEARLY, Target.Metric.POOL_ENTRIES),
        (Target.Kind.TOTAL, Target.Metric.LISTED),
        (Target.Kind.TOTAL, Target.Metric.UNMEASURED),
    ]
    for kind, metric in kinds * 2:
        policy = rng.choice(policies)
        place = rng.choice([r for r in regions if r.path.startswith(policy.region.path)])
        TargetFactory(
            policy=policy,
            region=place,
            kind=kind,
            metric=metric,
            year=rng.choice([2025, 2027]),
            since_year=2025 if kind == Target.Kind.NEW and rng.random() < 0.3 else None,
            value=rng.randrange(1, 30),
            baseline=rng.choice([None, rng.randrange(0, 20)]) if metric == Target.Metric.HOLDERS else None,
            tiers=rng.sample(tiers, rng.randint(1, 3)),
        )
    return list(Target.objects.select_related("region", "policy", "measure").prefetch_related("tiers").order_by("pk"))


@pytest.mark.parametrize("seed", range(4))
def test_figures_from_the_index_equal_those_of_a_register_that_scans_every_row(db, monkeypatch, seed):
    """Every figure of every target, with the enterprises counted and left out, on dates before, in and after the plan."""
    rng = random.Random(seed)
    targets = _random_register(rng)
    counted = 0
    for as_of in [_random_date(rng, 2022, 2028) for _n in range(3)] + [datetime.date(2025, 12, 31)]:
        for detail in (False, True):
            indexed = figures.target_figures(targets, as_of=as_of, detail=detail)
            with monkeypatch.context() as patch:
                patch.setattr(figures, "Register", ScanningRegister)
                scanned = figures.target_figures(targets, as_of=as_of, detail=detail)
            assert indexed == scanned, (seed, as_of, detail)
            counted += sum(len(figure.counted) for figure in indexed.values())
    assert counted, "the random register should give some figure something to count"
