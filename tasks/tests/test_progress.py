"""Progress against each kind of target, checked against a register counted by hand.

The register, as of 2026-07-01 (plan 2023-01-01 – 2027-12-31), for 高新技术企业:

    A  中卫市   granted 2024-03-01, valid to 2027-02-28            counts
    B  沙坡头区 granted 2025-05-01, valid to 2028-04-30            counts (a sub-region)
    C  中卫市   granted 2022-01-01, valid to 2025-01-01, expired   counts on the days it was valid
    D  中卫市   granted 2024-01-01, valid to 2027-01-01, revoked   never counts (revoked, no date)
    E  中卫市   granted 2023-07-01, valid to 2026-06-30            lapsed the day before
    G  中卫市   granted 2022-06-01, valid to 2026-12-31            counts, but is not new
    H  中宁县   granted 2026-03-01, valid to 2029-02-28            counts, new this year
    F  银川市   granted 2024-01-01, valid to 2027-01-01            only in the province

So 中卫 holds 4 (A B G H), 3 of them new since the plan start (A B H), 2 of those
by the end of 2025 (A B), 1 granted in 2026 (H); 宁夏 holds 5, so 中卫's share is 80%.
Linear expectation: 1277 of 1825 days have passed (0.6997); this year 181 of 364.
"""

import datetime
from decimal import Decimal

import pytest

from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from portal.tests.factories import RegionFactory
from tasks.models import Target
from tasks.progress import ACHIEVED, AT_RISK, BEHIND, ON_TRACK, compute_progress
from tasks.tests.factories import PolicyFactory, TargetFactory
from tiers.models import Recognition
from tiers.tests.factories import RecognitionFactory, TierFactory

AS_OF = datetime.date(2026, 7, 1)
D = datetime.date


@pytest.fixture
def register(region_tree):
    yinchuan = RegionFactory(name="银川市", code="640100", kind="city", parent=region_tree["ningxia"])
    tier = TierFactory(code="high-tech", name="高新技术企业")
    zhongwei, shapotou, zhongning = region_tree["zhongwei"], region_tree["shapotou"], region_tree["zhongning"]
    rows = {
        "A": (zhongwei, D(2024, 3, 1), D(2027, 2, 28), "valid"),
        "B": (shapotou, D(2025, 5, 1), D(2028, 4, 30), "valid"),
        "C": (zhongwei, D(2022, 1, 1), D(2025, 1, 1), "expired"),
        "D": (zhongwei, D(2024, 1, 1), D(2027, 1, 1), "revoked"),
        "E": (zhongwei, D(2023, 7, 1), D(2026, 6, 30), "valid"),
        "G": (zhongwei, D(2022, 6, 1), D(2026, 12, 31), "valid"),
        "H": (zhongning, D(2026, 3, 1), D(2029, 2, 28), "valid"),
        "F": (yinchuan, D(2024, 1, 1), D(2027, 1, 1), "valid"),
    }
    enterprises = {}
    for name, (region, granted, until, status) in rows.items():
        enterprise = EnterpriseFactory(name=f"企业{name}", region=region)
        RecognitionFactory(
            enterprise=enterprise, tier=tier, recognized_on=granted, year=granted.year, valid_until=until, status=status
        )
        enterprises[name] = enterprise
    policy = PolicyFactory(region=zhongwei)
    return {"tier": tier, "policy": policy, "enterprises": enterprises, "zhongwei": zhongwei, "shapotou": shapotou}


def _target(register, **fields) -> Target:
    fields.setdefault("policy", register["policy"])
    return TargetFactory(tiers=[register["tier"]], **fields)


def _progress(target: Target, as_of=AS_OF):
    target = Target.objects.select_related("region", "policy").prefetch_related("tiers").get(pk=target.pk)
    return compute_progress([target], as_of=as_of)[target.pk]


def test_total_counts_valid_recognitions_in_the_region_and_below(register):
    """Expired, revoked and lapsed recognitions do not count; the sub-region's do."""
    progress = _progress(_target(register, kind=Target.Kind.TOTAL, value=4, baseline=1))
    assert progress.current == 4
    assert progress.percent == Decimal("100.0")
    assert progress.status == ACHIEVED
    assert [(region.name, count) for region, count in progress.breakdown] == [("沙坡头区", 1), ("中宁县", 1)]


def test_total_as_of_an_earlier_date(register):
    """On 2024-12-31 A, C, E and G were valid: C expired later (2025-01-01) but counts on the days it was valid."""
    progress = _progress(_target(register, kind=Target.Kind.TOTAL, value=4, baseline=1), as_of=D(2024, 12, 31))
    assert progress.current == 4


def test_total_expected_value_is_linear_from_the_baseline(register):
    """“突破 4 家” (more than 4) with baseline 1: expected 1 + 3 × 0.6997 = 3.1, current 4 is on track."""
    progress = _progress(_target(register, kind=Target.Kind.TOTAL, value=4, baseline=1, comparator="gt"))
    assert progress.expected == Decimal("3.1")
    assert progress.status == ON_TRACK


def test_new_recognitions_since_the_plan_start(register):
    """“新增 4 家” by 2027: A, B, H are new (G predates the plan); expected 2.8, so on track."""
    progress = _progress(_target(register, kind=Target.Kind.NEW, value=4))
    assert (progress.current, progress.expected, progress.status) == (3, Decimal("2.8"), ON_TRACK)


def test_new_recognitions_at_risk_when_four_fifths_of_expected(register):
    """“新增 5 家” by 2027: expected 3.5; 3 is below it but at least 0.8 × 3.5 = 2.8, so at risk."""
    progress = _progress(_target(register, kind=Target.Kind.NEW, value=5))
    assert (progress.current, progress.expected, progress.status) == (3, Decimal("3.5"), AT_RISK)


def test_new_by_a_past_year_counts_only_what_was_granted_by_then(register):
    """“新增 3 家” by 2025, measured in 2026: final at 2025-12-31 with A, B and E (E lapsed in 2026), so met.

    Today's figure (A, B, H) is given beside it, labelled as today's.
    """
    progress = _progress(_target(register, kind=Target.Kind.NEW, value=3, year=2025))
    assert (progress.current, progress.status, progress.final) == (3, ACHIEVED, True)
    assert progress.status_label == "达标"
    assert progress.current_today == 3
    assert progress.measured_on == D(2025, 12, 31)


def test_again_after_2025_counts_from_2026(register):
    """“再培育 1 家” after 2025: H only."""
    progress = _progress(_target(register, kind=Target.Kind.NEW, value=1, since_year=2025))
    assert (progress.current, progress.status) == (1, ACHIEVED)


def test_range_counts_the_sub_region(register):
    """“1—2 户” for 沙坡头区: B alone reaches the lower end."""
    progress = _progress(_target(register, kind=Target.Kind.RANGE, value=1, value_max=2, region=register["shapotou"]))
    assert (progress.current, progress.status) == (1, ACHIEVED)


def test_share_of_the_province(register):
    """“占全省 80% 以上”: 4 of 宁夏's 5 holders (F is in 银川) = 80.0%."""
    progress = _progress(
        _target(register, kind=Target.Kind.SHARE, metric=Target.Metric.PROVINCE_SHARE, value=80, unit="%")
    )
    assert (progress.current, progress.status) == (Decimal("80.0"), ACHIEVED)
    assert "4" in progress.detail and "5" in progress.detail


def test_yearly_rate_counts_this_year(register):
    """“每年培育 2 家”: H was granted in 2026; expected 2 × 181/364 = 1.0, so on track."""
    progress = _progress(_target(register, kind=Target.Kind.YEARLY, value=2))
    assert (progress.current, progress.expected, progress.status) == (1, Decimal("1.0"), ON_TRACK)


def test_stated_baseline_is_used_for_the_expected_value(register):
    """“在现有 2 家的基础上累计培育到 10 家”: expected 2 + 8 × 0.6997 = 7.6; 4 − 2 < 0.8 × 5.6, so behind."""
    progress = _progress(_target(register, kind=Target.Kind.TOTAL, value=10, baseline=2, baseline_source="stated"))
    assert (progress.current, progress.expected, progress.status) == (4, Decimal("7.6"), BEHIND)


def test_quality_average_rd_ratio_of_holders(register):
    """户均研发占比超 10%: A 12%, B 8% (H has no revenue, G no figures) → 10.0, not above 10, at risk."""
    enterprises = register["enterprises"]
    AnnualIndicatorFactory(
        enterprise=enterprises["A"], year=2025, rd_expense=60, operating_revenue=500, digital_level=3
    )
    AnnualIndicatorFactory(
        enterprise=enterprises["B"], year=2025, rd_expense=40, operating_revenue=500, digital_level=1
    )
    AnnualIndicatorFactory(
        enterprise=enterprises["H"], year=2025, rd_expense=10, operating_revenue=0, digital_level=None
    )
    AnnualIndicatorFactory(
        enterprise=enterprises["C"], year=2025, rd_expense=500, operating_revenue=500, digital_level=4
    )
    rd = _progress(
        _target(register, kind=Target.Kind.QUALITY, metric=Target.Metric.RD_RATIO, value=10, comparator="gt", unit="%")
    )
    assert (rd.current, rd.status) == (Decimal("10.0"), AT_RISK)
    assert rd.detail == "4 家认定企业中已有 2 家报送2025年度数据"
    digital = _progress(
        _target(register, kind=Target.Kind.QUALITY, metric=Target.Metric.DIGITAL_SHARE, value=80, unit="%")
    )
    assert (digital.current, digital.status) == (Decimal("50.0"), BEHIND)


def test_a_whole_task_list_is_measured_in_a_fixed_number_of_queries(register, django_assert_max_num_queries):
    kinds = [
        {"kind": Target.Kind.TOTAL, "value": 4},
        {"kind": Target.Kind.NEW, "value": 3},
        {"kind": Target.Kind.SHARE, "metric": Target.Metric.PROVINCE_SHARE, "value": 80},
        {"kind": Target.Kind.QUALITY, "metric": Target.Metric.RD_RATIO, "value": 10},
    ]
    few = [_target(register, **fields) for fields in kinds]
    many = few + [_target(register, **fields) for fields in kinds * 5]

    def measure(targets):
        qs = (
            Target.objects.filter(pk__in=[t.pk for t in targets])
            .select_related("region", "policy")
            .prefetch_related("tiers")
        )
        return compute_progress(list(qs), as_of=AS_OF)

    with django_assert_max_num_queries(10):
        assert len(measure(few)) == 4
    with django_assert_max_num_queries(10):
        assert len(measure(many)) == 24
    assert Recognition.objects.count() == 8
