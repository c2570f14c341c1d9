"""创新型中小企业, 专精特新 (2022, 2026), 小巨人 (2022, 2026), 单项冠军: edges of every threshold."""

import pytest

from tiers.criteria import catalogue
from tiers.models import Verdict
from tiers.tests.helpers import LAST, child, confirm_all, evaluate, item, make_facts, score_item


def year(**values):
    base = {
        "operating_revenue": 2000,
        "main_business_revenue": 1800,
        "rd_expense": 100,
        "total_assets": 2000,
        "total_liabilities": 800,
        "net_profit": 200,
        "employees": 100,
        "rd_staff": 20,
        "ip_class1_count": 1,
        "ip_class2_count": 2,
        "high_value_patents": 1,
        "digital_level": 3,
        "equity_financing": 0,
        "main_product_revenue": 1200,
    }
    return {**base, **values}


def two_years(previous=None, **last):
    return {LAST - 2: year(), LAST - 1: year(**(previous or {})), LAST: year(**last)}


def innovative(years, **kwargs):
    return evaluate(catalogue.INNOVATIVE_SME, make_facts(years, **kwargs))


def innovative_table(evaluation):
    return child(item(evaluation, "score-or-direct"), "innovative-score")


class TestInnovativeSme:
    @pytest.mark.parametrize(
        ("rd", "points"), [(100, 20), (99.98, 15), (60, 15), (59.98, 10), (40, 10), (20, 5), (19.98, 0)]
    )
    def test_rd_share_bands(self, rd, points):
        assert score_item(innovative_table(innovative(two_years(rd_expense=rd))), "rd")["points_min"] == points

    @pytest.mark.parametrize(
        ("main", "points"), [(2070, 20), (2069.8, 15), (1980, 15), (1979.8, 10), (1890, 10), (1800, 5), (1799.8, 0)]
    )
    def test_growth_bands_on_a_base_of_1800(self, main, points):
        years = two_years(operating_revenue=5000, main_business_revenue=main)
        assert score_item(innovative_table(innovative(years)), "growth")["points_min"] == points

    @pytest.mark.parametrize(
        ("main", "points"), [(1400, 20), (1399.8, 15), (1200, 15), (1199.8, 10), (1100, 10), (1000, 5), (999.8, 0)]
    )
    def test_main_business_share_bands(self, main, points):
        years = {LAST - 1: year(main_business_revenue=main), LAST: year(main_business_revenue=main)}
        assert score_item(innovative_table(innovative(years)), "main-share")["points_min"] == points

    @pytest.mark.parametrize(("liabilities", "points"), [(1099.8, 10), (1100, 5), (1499.8, 5), (1500, 0), (1600, 0)])
    def test_debt_ratio_bands(self, liabilities, points):
        table = innovative_table(innovative(two_years(total_liabilities=liabilities)))
        assert score_item(table, "debt")["points_min"] == points

    def test_growth_of_exactly_zero_and_just_below(self):
        assert score_item(innovative_table(innovative(two_years())), "growth")["points_min"] == 5
        years = two_years(main_business_revenue=1799.9)
        assert score_item(innovative_table(innovative(years)), "growth")["points_min"] == 0

    def test_a_group_minimum_fails_a_total_above_60(self):
        # 创新能力 = Ⅱ类 only (5) + rd <1% (0) = 5 < 20, while 成长性 and 专业化 are full.
        years = {
            LAST - 1: year(main_business_revenue=1000),
            LAST: year(main_business_revenue=1800, rd_expense=10, ip_class1_count=0, high_value_patents=0),
        }
        table = innovative_table(innovative(years, assessments={"sei-product": True}))
        assert table["status"] == "not_met"
        group = next(g for g in table["groups"] if g["group"] == "创新能力")
        assert group["points_max"] == 5

    def test_high_value_patent_and_full_marks_meet(self):
        evaluation = innovative(two_years(previous={"main_business_revenue": 1500}, main_business_revenue=1800))
        table = innovative_table(evaluation)
        assert table["status"] == "met" and evaluation.verdict == Verdict.MEETS

    @pytest.mark.parametrize(("amounts", "status"), [((200, 200, 100), "met"), ((200, 200, 99.99), "not_met")])
    def test_equity_financing_route_over_three_years(self, amounts, status):
        years = {
            LAST - 2 + i: year(
                equity_financing=a, rd_expense=0, ip_class1_count=0, high_value_patents=0, ip_class2_count=0
            )
            for i, a in enumerate(amounts)
        }
        route = child(item(innovative(years), "score-or-direct"), "equity")
        assert route["status"] == status

    def test_a_large_enterprise_is_not_an_sme(self):
        assert item(innovative(two_years(), size_class="large"), "sme")["status"] == "not_met"

    def test_size_class_is_derived_for_industry_when_missing(self):
        assert (
            item(innovative(two_years(employees=999, operating_revenue=50000), size_class=""), "sme")["status"] == "met"
        )
        assert (
            item(innovative(two_years(employees=1000, operating_revenue=40000), size_class=""), "sme")["status"]
            == "not_met"
        )


def srdi(years, nodes=None, **kwargs):
    nodes = nodes or catalogue.SRDI_2022
    kwargs.setdefault("assessments", {"niche-years": 4})
    return evaluate(nodes, make_facts(years, **kwargs))


class TestSrdi2022:
    @pytest.mark.parametrize(
        ("rd", "revenue", "status"),
        [(100, 3333.33, "met"), (99.99, 3000, "not_met"), (100, 3334, "not_met"), (150, 5000, "met")],
    )
    def test_rd_amount_and_share(self, rd, revenue, status):
        assert item(srdi(two_years(rd_expense=rd, operating_revenue=revenue)), "rd")["status"] == status

    def test_revenue_or_equity(self):
        assert item(srdi(two_years(operating_revenue=1000)), "revenue")["status"] == "met"
        low = two_years(previous={"equity_financing": 1000}, operating_revenue=999.99, equity_financing=1000)
        assert item(srdi(low), "revenue")["status"] == "met"
        lower = two_years(previous={"equity_financing": 1000}, operating_revenue=999.99, equity_financing=999.99)
        assert item(srdi(lower), "revenue")["status"] == "not_met"

    @pytest.mark.parametrize(("years_in_niche", "status"), [(2, "met"), (1.99, "not_met")])
    def test_niche_years(self, years_in_niche, status):
        assert item(srdi(two_years(), assessments={"niche-years": years_in_niche}), "niche-years")["status"] == status

    def test_niche_years_unconfirmed_waits_for_staff(self):
        assert item(srdi(two_years(), assessments={}), "niche-years")["status"] == "manual"

    @pytest.mark.parametrize(("rd", "route_status"), [(1000, "met"), (999.99, "not_met")])
    def test_two_year_rd_mean_route(self, rd, route_status):
        years = two_years(previous={"rd_expense": rd}, rd_expense=rd, operating_revenue=30000)
        assert child(item(srdi(years), "score-or-direct"), "rd-mean")["status"] == route_status

    @pytest.mark.parametrize(
        ("profit", "points"), [(200, 10), (199.98, 8), (160, 8), (120, 6), (80, 4), (40, 2), (39.98, 0)]
    )
    def test_net_margin_bands(self, profit, points):
        table = child(item(srdi(two_years(net_profit=profit)), "score-or-direct"), "srdi-score")
        assert score_item(table, "margin")["points_min"] == points

    @pytest.mark.parametrize(
        ("rd", "revenue", "points"),
        [(500, 100000, 10), (50, 500, 10), (499.99, 100000, 8), (100, 100000, 2), (99.99, 10000, 0)],
    )
    def test_rd_amount_or_share_takes_the_better(self, rd, revenue, points):
        table = child(item(srdi(two_years(rd_expense=rd, operating_revenue=revenue)), "score-or-direct"), "srdi-score")
        assert score_item(table, "rd")["points_min"] == points

    def test_local_indicator_keeps_the_score_a_range_until_entered(self):
        table = child(item(srdi(two_years()), "score-or-direct"), "srdi-score")
        assert table["score_max"] - table["score_min"] == 15
        entered = child(
            item(srdi(two_years(), assessments={"niche-years": 4, "srdi-local-score": 15}), "score-or-direct"),
            "srdi-score",
        )
        assert entered["score_min"] == entered["score_max"] == table["score_max"]


class TestSrdi2026:
    def test_requires_a_valid_innovative_or_tech_sme_title(self):
        years = two_years(operating_revenue=2000, main_business_revenue=1800)
        facts_kwargs = {"assessments": {"niche-years": 3, "srdi-platform-score": 50}}
        without = srdi(years, catalogue.SRDI_2026, **facts_kwargs)
        assert item(without, "innovative")["status"] == "not_met"
        held = srdi(
            years,
            catalogue.SRDI_2026,
            recognitions=[("innovative-sme", __import__("datetime").date(2025, 1, 1), None)],
            **facts_kwargs,
        )
        assert item(held, "innovative")["status"] == "met"

    @pytest.mark.parametrize(("score", "status"), [(50, "met"), (49.99, "not_met")])
    def test_platform_score_50(self, score, status):
        evaluation = srdi(two_years(), catalogue.SRDI_2026, assessments={"srdi-platform-score": score})
        assert item(evaluation, "srdi-platform-score")["status"] == status

    @pytest.mark.parametrize(("main", "status"), [(1600, "met"), (1599.8, "not_met")])
    def test_main_business_share_80(self, main, status):
        assert item(srdi(two_years(main_business_revenue=main), catalogue.SRDI_2026), "main-share")["status"] == status

    @pytest.mark.parametrize(("liabilities", "status"), [(1600, "met"), (1600.2, "not_met")])
    def test_debt_ratio_at_most_80(self, liabilities, status):
        assert item(srdi(two_years(total_liabilities=liabilities), catalogue.SRDI_2026), "debt")["status"] == status

    def test_each_of_two_years_needs_100_and_3_percent(self):
        years = two_years(previous={"rd_expense": 99}, rd_expense=200)
        assert item(srdi(years, catalogue.SRDI_2026), "rd")["status"] == "not_met"


def giant_years(revenue=12000, rd_share=3, growth=5, **last):
    base = revenue / (1 + growth / 100) ** 2
    years = {}
    for index, value in enumerate([base, base * (1 + growth / 100), revenue]):
        years[LAST - 2 + index] = year(
            operating_revenue=value,
            main_business_revenue=value * 0.9,
            rd_expense=value * rd_share / 100,
            total_assets=10000,
            total_liabilities=5000,
            main_product_revenue=value * 0.6,
        )
    years[LAST].update(last)
    return years


class TestLittleGiant2022:
    def facts_kwargs(self):
        return {
            "assessments": {**confirm_all(catalogue.LITTLE_GIANT_2022), "niche-years": 3, "market-share-national": 10}
        }

    def test_innovation_band_by_revenue(self):
        at_100m = item(
            evaluate(catalogue.LITTLE_GIANT_2022, make_facts(giant_years(10000), **self.facts_kwargs())), "innovation"
        )
        general = child(at_100m, "general")
        assert child(general, "rd")["children"][0]["required"] == 3
        below = child(
            child(
                item(
                    evaluate(
                        catalogue.LITTLE_GIANT_2022, make_facts(giant_years(9999.99, rd_share=6), **self.facts_kwargs())
                    ),
                    "innovation",
                ),
                "general",
            ),
            "rd",
        )
        assert below["children"][0]["required"] == 6 and below["status"] == "met"
        small = child(
            child(
                item(
                    evaluate(catalogue.LITTLE_GIANT_2022, make_facts(giant_years(4999.99), **self.facts_kwargs())),
                    "innovation",
                ),
                "general",
            ),
            "rd",
        )
        assert small["band"] == "<5000万元" and small["status"] == "not_met"

    def test_meets_with_every_confirmation(self):
        evaluation = evaluate(
            catalogue.LITTLE_GIANT_2022,
            make_facts(
                giant_years(12000, ip_class1_count=2),
                recognitions=[("srdi-sme", __import__("datetime").date(2024, 1, 1), None)],
                **self.facts_kwargs(),
            ),
        )
        assert evaluation.verdict == Verdict.MEETS, [d for d in evaluation.details if d["status"] != "met"]

    @pytest.mark.parametrize(("liabilities", "status"), [(7000, "met"), (7000.1, "not_met")])
    def test_debt_ratio_at_most_70(self, liabilities, status):
        facts = make_facts(giant_years(total_liabilities=liabilities), **self.facts_kwargs())
        assert item(evaluate(catalogue.LITTLE_GIANT_2022, facts), "debt")["status"] == status

    @pytest.mark.parametrize(("growth", "status"), [(5, "met"), (4.99, "not_met")])
    def test_two_year_growth_of_main_revenue(self, growth, status):
        facts = make_facts(giant_years(growth=growth), **self.facts_kwargs())
        assert item(evaluate(catalogue.LITTLE_GIANT_2022, facts), "growth")["status"] == status

    @pytest.mark.parametrize(("share", "status"), [(10, "met"), (9.99, "not_met")])
    def test_national_market_share(self, share, status):
        kwargs = self.facts_kwargs()
        kwargs["assessments"]["market-share-national"] = share
        assert (
            item(evaluate(catalogue.LITTLE_GIANT_2022, make_facts(giant_years(), **kwargs)), "market-share-national")[
                "status"
            ]
            == status
        )


class TestLittleGiant2026:
    @pytest.mark.parametrize(("growth", "status"), [(5, "met"), (4.99, "not_met")])
    def test_compound_growth_of_revenue(self, growth, status):
        assert (
            item(evaluate(catalogue.LITTLE_GIANT_2026, make_facts(giant_years(growth=growth))), "growth")["status"]
            == status
        )

    @pytest.mark.parametrize(("revenue", "status"), [(5000, "met"), (4999.99, "not_met")])
    def test_revenue_at_least_5000(self, revenue, status):
        assert (
            item(evaluate(catalogue.LITTLE_GIANT_2026, make_facts(giant_years(revenue))), "revenue")["status"] == status
        )

    def test_rd_total_over_two_years(self):
        years = giant_years(20000)  # 3% of ~19048 + 20000 ≈ 1171 < 1200
        entry = item(evaluate(catalogue.LITTLE_GIANT_2026, make_facts(years)), "rd-total")
        assert entry["status"] == "not_met" and entry["gap"] == pytest.approx(1200 - entry["actual"])


class TestSingleChampion:
    def facts(self, main=40000, industry="C3911", rank=3):
        years = {LAST - 2 + i: {"main_business_revenue": main} for i in range(3)}
        return make_facts(years, industry_code=industry, size_class="large", assessments={"global-market-rank": rank})

    @pytest.mark.parametrize(("main", "status"), [(40000, "met"), (39999.99, "not_met")])
    def test_three_year_mean_main_revenue(self, main, status):
        assert item(evaluate(catalogue.SINGLE_CHAMPION, self.facts(main)), "main-revenue")["status"] == status

    @pytest.mark.parametrize(("rank", "status"), [(3, "met"), (4, "not_met")])
    def test_global_top_three(self, rank, status):
        assert (
            item(evaluate(catalogue.SINGLE_CHAMPION, self.facts(rank=rank)), "global-market-rank")["status"] == status
        )

    def test_only_manufacturing(self):
        assert (
            item(evaluate(catalogue.SINGLE_CHAMPION, self.facts(industry="I6510")), "manufacturing")["status"]
            == "not_met"
        )
