"""科技型中小企业, 高新技术企业, 瞪羚, 雏鹰 and 规上: every threshold on, under and over its edge."""

import datetime

import pytest
from django.utils import translation

from tiers.criteria import catalogue
from tiers.criteria.describe import describe
from tiers.models import Verdict
from tiers.tests.helpers import LAST, ON, child, confirm_all, evaluate, item, make_facts, score_item


def tech_sme_year(**overrides):
    values = {
        "employees": 100,
        "tech_staff": 30,
        "operating_revenue": 1000,
        "total_assets": 1000,
        "rd_expense": 60,
        "ip_class1_count": 1,
        "ip_class2_count": 0,
    }
    return {**values, **overrides}


def tech_sme(year=None, **kwargs):
    kwargs.setdefault("assessments", confirm_all(catalogue.TECH_SME[:7]))
    return evaluate(catalogue.TECH_SME, make_facts({LAST: year or tech_sme_year()}, **kwargs))


class TestTechSme:
    def test_a_full_score_enterprise_meets_every_criterion(self):
        evaluation = tech_sme()
        assert evaluation.verdict == Verdict.MEETS
        assert evaluation.score == 100

    def test_unconfirmed_manual_items_leave_the_verdict_pending(self):
        evaluation = tech_sme(assessments={})
        assert evaluation.verdict == Verdict.MEETS_EXCEPT_MANUAL
        assert evaluation.manual_count == 3

    @pytest.mark.parametrize(
        ("field", "code", "limit"),
        [("employees", "employees", 500), ("operating_revenue", "revenue", 20000), ("total_assets", "assets", 20000)],
    )
    def test_size_limits_include_the_limit(self, field, code, limit):
        # Enough science staff that 501 employees still earn the staff points.
        assert (
            item(tech_sme(tech_sme_year(**{field: limit, "tech_staff": 200, "rd_expense": 1300})), code)["status"]
            == "met"
        )
        over = tech_sme(tech_sme_year(**{field: limit + 1, "tech_staff": 200, "rd_expense": 1300}))
        assert item(over, code)["status"] == "not_met"
        assert item(over, code)["gap"] == 1
        assert over.verdict == Verdict.MISSES and over.missing_count == 1

    @pytest.mark.parametrize(
        ("industry", "status"),
        [
            ("C1610", "not_met"),
            ("C1711", "met"),
            ("F5110", "not_met"),
            ("H61", "not_met"),
            ("K70", "not_met"),
            ("L72", "not_met"),
            ("R9011", "not_met"),
            ("R8610", "met"),
            ("I65", "met"),
        ],
    )
    def test_industries_without_rd_super_deduction_are_excluded(self, industry, status):
        assert item(tech_sme(industry_code=industry), "industry")["status"] == status

    @pytest.mark.parametrize(
        ("tech_staff", "points"),
        [(30, 20), (29.99, 16), (25, 16), (24.99, 12), (20, 12), (15, 8), (14.99, 4), (10, 4), (9.99, 0)],
    )
    def test_tech_staff_bands(self, tech_staff, points):
        table = child(item(tech_sme(tech_sme_year(tech_staff=tech_staff)), "score-or-direct"), "tsme-score")
        assert score_item(table, "staff")["points_min"] == points

    @pytest.mark.parametrize(
        ("rd", "points"), [(60, 50), (59.99, 40), (50, 40), (40, 30), (30, 20), (29.99, 10), (20, 10), (19.99, 0)]
    )
    def test_rd_bands_on_a_revenue_of_1000(self, rd, points):
        table = child(item(tech_sme(tech_sme_year(rd_expense=rd)), "score-or-direct"), "tsme-score")
        assert score_item(table, "rd")["points_min"] == points

    @pytest.mark.parametrize(
        ("class1", "class2", "points"), [(1, 0, 30), (0, 4, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6), (0, 0, 0)]
    )
    def test_intellectual_property_points(self, class1, class2, points):
        year = tech_sme_year(ip_class1_count=class1, ip_class2_count=class2)
        table = child(item(tech_sme(year), "score-or-direct"), "tsme-score")
        assert score_item(table, "ip")["points_min"] == points

    def test_score_of_exactly_60_passes_and_59_does_not(self):
        # 科技人员 10 (→4) + 研发 3.6% (→20) + Ⅰ类 (→30) = 54; with 4 Ⅱ类 instead … use staff 20% (→12) + rd 20 + ip 30 = 62.
        passing = tech_sme(
            tech_sme_year(tech_staff=15, rd_expense=30, ip_class1_count=0, ip_class2_count=4)
        )  # 8+20+24 = 52
        assert passing.score == 52 and passing.verdict == Verdict.MISSES
        exactly = tech_sme(
            tech_sme_year(tech_staff=20, rd_expense=20, ip_class1_count=0, ip_class2_count=4)
        )  # 12+10+24 = 46
        assert exactly.score == 46
        sixty = tech_sme(tech_sme_year(tech_staff=30, rd_expense=20, ip_class1_count=1))  # 20+10+30 = 60
        assert sixty.score == 60 and sixty.verdict == Verdict.MEETS
        fifty_nine = tech_sme(
            tech_sme_year(tech_staff=29.99, rd_expense=30, ip_class1_count=0, ip_class2_count=3)
        )  # 16+20+18 = 54
        assert fifty_nine.verdict == Verdict.MISSES
        table = child(item(fifty_nine, "score-or-direct"), "tsme-score")
        assert table["gap"] == 6

    def test_zero_tech_staff_points_fail_even_with_a_high_score(self):
        evaluation = tech_sme(tech_sme_year(tech_staff=9, rd_expense=100, ip_class1_count=1))  # 0 + 50 + 30 = 80
        table = child(item(evaluation, "score-or-direct"), "tsme-score")
        assert table["score_min"] == 80 and table["status"] == "not_met"

    def test_a_valid_high_tech_certificate_confirms_directly(self):
        weak = tech_sme_year(tech_staff=0, rd_expense=0, ip_class1_count=0)
        held = tech_sme(weak, recognitions=[("high-tech", datetime.date(2024, 1, 1), datetime.date(2026, 12, 31))])
        assert item(held, "score-or-direct")["status"] == "met"
        assert item(held, "score-or-direct")["route"] == "hnte"
        expired = tech_sme(weak, recognitions=[("high-tech", datetime.date(2022, 1, 1), datetime.date(2026, 5, 31))])
        assert item(expired, "score-or-direct")["status"] == "not_met"

    def test_missing_figures_make_the_verdict_insufficient_data(self):
        evaluation = evaluate(catalogue.TECH_SME, make_facts({}, assessments=confirm_all(catalogue.TECH_SME)))
        assert evaluation.verdict == Verdict.INSUFFICIENT_DATA
        with translation.override("en"):
            assert describe(item(evaluation, "employees")) == "职工总数: data missing (2025 employees)"


def hte_years(rd=(50, 50, 50), revenue=(1000, 1000, 1000), **last):
    years = {}
    for offset, (rd_value, revenue_value) in enumerate(zip(rd, revenue, strict=True)):
        years[LAST - 2 + offset] = {
            "rd_expense": rd_value,
            "operating_revenue": revenue_value,
            "total_assets": 1000,
            "total_liabilities": 400,
        }
    years[LAST].update(
        {
            "employees": 100,
            "tech_staff": 10,
            "high_tech_product_revenue": 600,
            "ip_class1_count": 1,
            "ip_class2_count": 0,
        }
    )
    years[LAST].update(last)
    return years


HTE_EXPERT_FULL = {
    "hte-tech-advance": 8,
    "hte-core-support": 8,
    "hte-acquisition": 6,
    "hte-standards": 0,
    "hte-conversion": 30,
    "hte-management": 20,
}


def high_tech(years, assessments=None, **kwargs):
    confirmed = {**confirm_all(catalogue.HIGH_TECH), **HTE_EXPERT_FULL, **(assessments or {})}
    return evaluate(catalogue.HIGH_TECH, make_facts(years, assessments=confirmed, **kwargs))


class TestHighTech:
    def test_registration_needs_365_days(self):
        assert item(high_tech(hte_years(), registered_on=ON - datetime.timedelta(days=365)), "age")["status"] == "met"
        young = high_tech(hte_years(), registered_on=ON - datetime.timedelta(days=364))
        assert item(young, "age")["status"] == "not_met" and item(young, "age")["gap"] == 1

    @pytest.mark.parametrize(("ratio_staff", "status"), [(10, "met"), (9.99, "not_met")])
    def test_tech_staff_share(self, ratio_staff, status):
        assert item(high_tech(hte_years(tech_staff=ratio_staff)), "tech-staff")["status"] == status

    @pytest.mark.parametrize(
        ("revenue", "rd", "status", "required"),
        [
            (5000, 250, "met", 5),  # ≤5000 (含) → 5%
            (5000, 249.5, "not_met", 5),
            (5000.01, 200.01, "met", 4),  # (5000, 20000] → 4%
            (20000, 800, "met", 4),
            (20000, 799, "not_met", 4),
            (20000.01, 600.01, "met", 3),  # > 20000 → 3%
            (30000, 899.99, "not_met", 3),
        ],
    )
    def test_rd_band_is_chosen_by_the_latest_revenue(self, revenue, rd, status, required):
        evaluation = high_tech(hte_years(rd=(rd, rd, rd), revenue=(revenue, revenue, revenue)))
        entry = item(evaluation, "rd-3y")
        assert entry["status"] == status
        assert entry["children"][0]["required"] == required

    def test_rd_ratio_pools_three_years_and_counts_only_years_since_registration(self):
        years = hte_years(rd=(0, 50, 50), revenue=(1000, 1000, 1000))
        pooled = item(high_tech(years), "rd-3y")["children"][0]
        assert pooled["actual"] == pytest.approx(3.333333)
        young = item(high_tech(years, registered_on=datetime.date(LAST - 1, 3, 1)), "rd-3y")["children"][0]
        assert young["actual"] == 5 and young["status"] == "met"

    def test_the_gap_names_the_percentage_points_and_the_amount(self):
        years = hte_years(rd=(21, 21, 21), revenue=(1000, 1000, 1000))
        entry = item(high_tech(years), "rd-3y")["children"][0]
        assert entry["gap"] == 2.9 and entry["gap_amount"] == 87
        with translation.override("en"):
            assert describe(entry) == (
                "近三个会计年度研发费用总额占同期销售收入总额比例 2.1%, needs ≥ 5%, short by 2.9 percentage points, about 87 万元"
            )

    @pytest.mark.parametrize(("hitech", "status"), [(600, "met"), (599.99, "not_met")])
    def test_high_tech_product_revenue_share(self, hitech, status):
        assert item(high_tech(hte_years(high_tech_product_revenue=hitech)), "hitech-revenue")["status"] == status

    def test_innovation_score_must_exceed_70(self):
        # Fixed growth 0% (bands: 0 points) and IP 7–8: experts decide the rest.
        base = {
            **HTE_EXPERT_FULL,
            "hte-conversion": 0,
            "hte-management": 20,
            "hte-tech-advance": 8,
            "hte-core-support": 8,
            "hte-acquisition": 6,
        }
        years = hte_years()
        table = item(high_tech(years, base), "hte-score")
        assert (table["score_min"], table["score_max"]) == (49, 50)
        enough = item(high_tech(years, {**base, "hte-conversion": 22}), "hte-score")
        assert (enough["score_min"], enough["status"]) == (71, "met")
        exactly = item(high_tech(years, {**base, "hte-conversion": 20, "hte-standards": 0}), "hte-score")
        assert exactly["score_min"] == 69 and exactly["score_max"] == 70 and exactly["status"] == "not_met"

    def test_without_expert_points_the_score_is_a_range(self):
        years = hte_years()
        table = item(evaluate(catalogue.HIGH_TECH, make_facts(years)), "hte-score")
        assert table["status"] == "manual"
        assert table["score_min"] == 7 and table["score_max"] == 82


def gazelle_years(revenues, rd_share=5, **last):
    years = {}
    for offset, revenue in enumerate(revenues):
        years[LAST - len(revenues) + 1 + offset] = {
            "operating_revenue": revenue,
            "rd_expense": revenue * rd_share / 100,
        }
    years[LAST].update(
        {"high_tech_product_revenue": revenues[-1] / 2, "invention_patents": 1, "ip_class2_count": 0, **last}
    )
    return years


def gazelle(years, **kwargs):
    kwargs.setdefault("assessments", confirm_all(catalogue.NX_GAZELLE))
    return evaluate(catalogue.NX_GAZELLE, make_facts(years, **kwargs))


class TestNingxiaGazelle:
    def test_revenue_between_1000_and_40000_inclusive(self):
        assert item(gazelle(gazelle_years([500, 700, 850, 1000])), "revenue")["status"] == "met"
        assert item(gazelle(gazelle_years([500, 700, 850, 999.99])), "revenue")["status"] == "not_met"
        assert item(gazelle(gazelle_years([20000, 26000, 33000, 40000])), "revenue")["status"] == "met"
        assert item(gazelle(gazelle_years([20000, 26000, 33000, 40000.01])), "revenue")["status"] == "not_met"

    def test_growth_band_5000_is_in_the_lower_band(self):
        # 20% a year: 2893.52 → 3472.22 → 4166.67 → 5000
        at_edge = item(gazelle(gazelle_years([2893.52, 3472.22, 4166.67, 5000])), "growth")
        assert at_edge["band"] == "1000万–5000万元(含)" and at_edge["children"][0]["required"] == 20
        above = item(gazelle(gazelle_years([3000, 3500, 4300, 5000.01])), "growth")
        assert above["children"][0]["required"] == 15

    @pytest.mark.parametrize(("last", "status"), [(1728, "met"), (1727, "not_met")])
    def test_mean_yearly_growth_of_20_percent(self, last, status):
        # 1000 → 1200 → 1440 → 1728 is exactly 20% a year.
        assert item(gazelle(gazelle_years([1000, 1200, 1440, last])), "growth")["status"] == status

    def test_outside_ningxia_and_too_young(self):
        evaluation = gazelle(
            gazelle_years([1000, 1200, 1440, 1728]), region_path="00009.", registered_on=datetime.date(2023, 6, 2)
        )
        assert item(evaluation, "ningxia")["status"] == "not_met"
        assert item(evaluation, "age")["status"] == "not_met"
        assert (
            item(gazelle(gazelle_years([1000, 1200, 1440, 1728]), registered_on=datetime.date(2023, 6, 1)), "age")[
                "status"
            ]
            == "met"
        )

    def test_six_class_two_ip_are_an_alternative_to_a_patent(self):
        assert (
            item(
                gazelle(
                    gazelle_years([1000, 1200, 1440, 1728], invention_patents=0, ip_class2_count=6), assessments={}
                ),
                "ip",
            )["status"]
            == "met"
        )
        assert (
            item(
                gazelle(
                    gazelle_years([1000, 1200, 1440, 1728], invention_patents=0, ip_class2_count=5), assessments={}
                ),
                "ip",
            )["status"]
            == "not_met"
        )


class TestFledglingAndAboveScale:
    @pytest.mark.parametrize(("last", "status"), [(1520.875, "met"), (1520, "not_met")])
    def test_fledgling_growth_15_percent(self, last, status):
        years = gazelle_years([1000, 1150, 1322.5, last])
        assert item(evaluate(catalogue.NX_FLEDGLING, make_facts(years)), "growth")["status"] == status

    @pytest.mark.parametrize(
        ("industry", "revenue", "verdict"),
        [
            ("C3911", 2000, Verdict.MEETS),
            ("C3911", 1999.99, Verdict.MISSES),
            ("D4411", 2000, Verdict.MEETS),
            ("B0610", 5000, Verdict.MEETS),
            ("E4710", 5000, Verdict.MISSES),
        ],
    )
    def test_above_scale_industrial(self, industry, revenue, verdict):
        facts = make_facts({LAST: {"main_business_revenue": revenue}}, industry_code=industry)
        assert evaluate(catalogue.ABOVE_SCALE, facts).verdict == verdict
