"""The way to a target: the gap, the candidates by source, the historical rates and the expected figure."""

import datetime
from decimal import Decimal

import pytest

from tasks import paths
from tasks.models import Target
from tasks.tests.factories import TargetFactory
from tasks.tests.path_world import AS_OF, add_history, build_world
from tiers.models import Recognition
from tiers.tests.factories import RecognitionFactory


@pytest.fixture
def world(region_tree):
    return build_world(region_tree)


def _path(world, current=2) -> paths.TargetPath:
    target = world["target"]
    return paths.target_paths([target], as_of=AS_OF, current={target.pk: Decimal(current)})[target.pk]


def test_candidates_are_counted_once_each_under_their_strongest_source(world):
    """Needed 5 − 2 = 3; one application, one eligible, one missing two criteria, one in the pool."""
    path = _path(world)
    assert path.needed == 3
    assert path.counts == {"application": 1, "eligible": 1, "near": 1, "pool": 1}
    names = {world["made"][name].pk: name for name in world["made"]}
    listed = [(names[item.enterprise_id], item.source) for item in path.candidates]
    assert listed == [("申报丙", "application"), ("达标丁", "eligible"), ("差两项戊", "near"), ("库中己", "pool")]
    assert path.deadline == datetime.date(2027, 12, 31)
    assert path.days_left == 549


def test_without_history_no_rate_is_invented_and_the_expected_figure_stays_at_today(world):
    """A region with no history gives no rate; the expected figure adds nothing for those sources."""
    path = _path(world)
    assert all(rate.basis == 0 and rate.value is None for rate in path.rates.values())
    assert path.expected == Decimal("2.0")
    assert path.unrated_sources == ["application", "eligible", "near", "pool"]


def test_expected_figure_adds_each_source_times_its_historical_rate(world):
    """Worked example: applications 3 of 4 granted (75%), eligible 1 of 1 (100%), pool 1 of 2 (50%),
    near no history: 2 + 1×0.75 + 1×1 + 1×0.5 = 4.25 → 4.3, short of 5 by 0.7."""
    add_history(world)
    path = _path(world)
    rates = {source: (rate.converted, rate.basis) for source, rate in path.rates.items()}
    assert rates == {"application": (3, 4), "eligible": (1, 1), "near": (0, 0), "pool": (1, 2)}
    assert path.rates["application"].percent == Decimal("75.0")
    assert path.expected == Decimal("4.3")
    assert path.expected_shortfall == Decimal("0.7")
    assert path.as_dict()["rates"]["pool"] == {"converted": 1, "basis": 2, "percent": 50.0, "region": "中卫市"}


def test_a_county_without_history_borrows_its_provinces_rates_and_says_so(world, region_tree):
    add_history(world)
    county_target = TargetFactory(
        policy=world["target"].policy,
        region=region_tree["shapotou"],
        kind=Target.Kind.TOTAL,
        value=4,
        year=2027,
        tiers=[world["tier"]],
    )
    path = paths.target_paths([county_target], as_of=AS_OF, current={county_target.pk: Decimal(2)})[county_target.pk]
    assert path.rates["application"].region_name == "宁夏回族自治区"
    assert (path.rates["application"].converted, path.rates["application"].basis) == (3, 4)


def test_no_path_for_a_met_target_a_past_deadline_or_a_share(world):
    target = world["target"]
    assert paths.target_paths([target], as_of=AS_OF, current={target.pk: Decimal(5)}) == {}
    target.year = 2025
    assert paths.target_paths([target], as_of=AS_OF, current={target.pk: Decimal(2)}) == {}
    target.year, target.metric = 2027, Target.Metric.PROVINCE_SHARE
    assert paths.target_paths([target], as_of=AS_OF, current={target.pk: Decimal(2)}) == {}


def test_a_lapsed_holder_is_listed_with_a_warning_for_new_targets(world):
    """An enterprise that held the tier at the plan start and let it lapse is a candidate, flagged:
    for a 新增 target its recognition would not be new."""
    lapsed = world["made"]["达标丁"]
    RecognitionFactory(
        enterprise=lapsed,
        tier=world["tier"],
        recognized_on=datetime.date(2021, 10, 1),
        year=2021,
        valid_until=datetime.date(2024, 9, 30),
        status=Recognition.Status.EXPIRED,
    )
    path = _path(world)
    flagged = [item for item in path.candidates if item.held_before]
    assert [item.enterprise_id for item in flagged] == [lapsed.pk]
    assert path.counts["eligible"] == 1  # a 合计 gains from it again
    target = world["target"]
    target.kind = Target.Kind.NEW
    new = paths.target_paths([target], as_of=AS_OF, current={target.pk: Decimal(2)})[target.pk]
    assert lapsed.pk in [item.enterprise_id for item in new.candidates]
    assert new.counts["eligible"] == 0  # a 新增 does not: its recognition would not be new


def test_the_register_is_read_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    add_history(world)
    target = world["target"]
    more = [
        TargetFactory(policy=target.policy, region=target.region, value=value, year=2027, tiers=[world["tier"]])
        for value in (7, 9, 11)
    ]
    targets = list(
        Target.objects.select_related("region", "policy")
        .prefetch_related("tiers")
        .filter(pk__in=[target.pk, *[item.pk for item in more]])
    )
    with django_assert_max_num_queries(6):
        found = paths.target_paths(targets, as_of=AS_OF, current={t.pk: Decimal(2) for t in targets})
    assert len(found) == 4
