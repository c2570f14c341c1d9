"""What the targets will cost, computed by hand from the documents' numbers."""

from decimal import Decimal

import pytest

from incentives.forecast import cost_of_new_recognitions, forecast_for
from tasks.models import Policy, Target
from tiers.models import Tier

pytestmark = pytest.mark.django_db


def target(
    policy_code: str, region, tier_codes, kind: str, year: int, value: int, baseline: int | None = None, **extra
):
    policy = Policy.objects.get(code=policy_code)
    item = Target.objects.create(
        key=f"{policy_code}-{'-'.join(tier_codes)}-{kind}-{year}",
        policy=policy,
        region=region,
        label="、".join(tier_codes),
        kind=kind,
        year=year,
        value=value,
        baseline=baseline,
        quote="……",
        **extra,
    )
    item.tiers.set(Tier.objects.filter(code__in=tier_codes))
    return item


def test_cost_of_one_new_high_tech_in_xining(reward_rules, regions):
    """One new 高新技术企业 in 西宁 in 2025 costs 青海 10, 西宁 15 and the counties 15."""
    lines = cost_of_new_recognitions(
        region=regions["xining"], tier=Tier.objects.get(code="high-tech"), year=2025, expected_new=Decimal("1")
    )
    assert sorted((line.funder_label, line.amount) for line in lines) == [
        ("西宁市", Decimal("15.00")),
        ("西宁市各县区（园区）", Decimal("15.00")),
        ("青海省", Decimal("10.00")),
    ]


def test_forecast_for_bozhou_and_xining_targets(reward_rules, regions, finance_users):
    """博州: 专精特新 21 → 27 by 2025 = 2 a year × 25 = 50 万元 in 2025, nothing after the 2023—2025 window.
    西宁: 高新 160 → 220 by 2025 = 20 a year × (10 + 15 + 15); 规上 270 → 300 = 10 a year, paid the next year × 20.
    """
    target("bozhou-2023-62", regions["bozhou"], ["srdi-sme"], Target.Kind.TOTAL, 2025, 27, baseline=21)
    target("xining-2023-32", regions["xining"], ["high-tech"], Target.Kind.TOTAL, 2025, 220, baseline=160)
    target("xining-2023-32", regions["xining"], ["above-scale"], Target.Kind.TOTAL, 2025, 300, baseline=270)
    target(
        "xining-2023-32",
        regions["xining"],
        ["srdi-sme"],
        Target.Kind.SHARE,
        2025,
        65,
        metric=Target.Metric.PROVINCE_SHARE,
    )
    forecast = forecast_for(finance_users["admin"])
    table = {
        label: {year: amount.quantize(Decimal("0.01")) for year, amount in row.items()} for label, row in forecast.rows
    }
    assert table["博尔塔拉蒙古自治州"] == {2025: Decimal("50.00"), 2026: Decimal("0.00"), 2027: Decimal("0.00")}
    assert table["青海省"] == {2025: Decimal("400.00"), 2026: Decimal("200.00"), 2027: Decimal("0.00")}
    assert table["西宁市"] == {2025: Decimal("300.00"), 2026: Decimal("0.00"), 2027: Decimal("0.00")}
    assert table["西宁市各县区（园区）"][2025] == Decimal("300.00")
    assert [reason for item, reason in forecast.skipped if item.kind == Target.Kind.SHARE]
    assert len(forecast.assumptions) >= 5


def test_new_targets_chain_with_since_year_and_totals_are_not_counted_twice(reward_rules, regions, finance_users):
    """中卫-style: 新增 9 by 2025 and 再培育 6 after 2025 by 2027; the 总数 70 is not counted again."""
    target("xining-2023-32", regions["xining"], ["high-tech"], Target.Kind.NEW, 2025, 9)
    target("xining-2023-32", regions["xining"], ["high-tech"], Target.Kind.NEW, 2027, 6, since_year=2025)
    target("xining-2023-32", regions["xining"], ["high-tech"], Target.Kind.TOTAL, 2027, 70)
    forecast = forecast_for(finance_users["admin"])
    expected = {item.year: item.count for item in forecast.expectations}
    assert expected == {
        2023: Decimal("3.00"),
        2024: Decimal("3.00"),
        2025: Decimal("3.00"),
        2026: Decimal("3.00"),
        2027: Decimal("3.00"),
    }
    table = dict(forecast.rows)
    assert table["青海省"][2027] == Decimal("30")


def test_finance_users_see_only_their_funders_forecast(reward_rules, regions, finance_users):
    """西宁 市财政局 sees its own line; 城东区财政局 the counties' line of its city; neither sees 青海's."""
    target("xining-2023-32", regions["xining"], ["high-tech"], Target.Kind.TOTAL, 2025, 220, baseline=160)
    assert [label for label, _row in forecast_for(finance_users["xn_finance"]).rows] == ["西宁市"]
    assert [label for label, _row in forecast_for(finance_users["cd_finance"]).rows] == ["西宁市各县区（园区）"]
    assert [label for label, _row in forecast_for(finance_users["qh_finance"]).rows] == ["青海省"]
    assert forecast_for(finance_users["eeds_finance"]).rows == []


def test_the_forecast_sits_beside_the_budget_row(reward_rules, regions, finance_users):
    """西宁 高新 160 → 220 by 2025: the city's forecast (20 × 15 = 300 万元 in 2025) stands in the city's 2025 row,
    next to its allocation of 250 万元, though nothing is owed yet."""
    from incentives import selectors, services

    target("xining-2023-32", regions["xining"], ["high-tech"], Target.Kind.TOTAL, 2025, 220, baseline=160)
    finance = finance_users["xn_finance"]
    services.set_allocation(actor=finance, funder_region=regions["xining"], year=2025, amount=Decimal("250"))
    rows = {(row.funder, row.year): row for row in selectors.budget_rows(finance, forecast=forecast_for(finance))}
    row = rows[("西宁市", 2025)]
    assert (row.allocated, row.forecast, row.owed) == (Decimal("250"), Decimal("300.00"), Decimal("0"))
