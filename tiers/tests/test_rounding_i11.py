"""Figures are rounded to 0.01 at every door, so the stored verdict and the live one agree; gaps show their digits."""

from decimal import Decimal

from django.utils import translation

from enterprises.models import AnnualIndicator
from enterprises.tests.factories import EnterpriseFactory
from tiers.criteria.describe import describe
from tiers.criteria.nodes import NOT_MET
from tiers.eligibility import CriteriaBook, evaluate_enterprise, recompute_eligibility
from tiers.models import EligibilityResult, Tier, Verdict
from tiers.tests.helpers import ON


def test_stored_and_live_verdicts_agree_on_a_figure_with_more_than_two_decimals(criteria, region_tree):
    """主营业务收入 1999.996 万元 is 2000.00 万元 to the cent: 规上 (≥ 2000) both when stored and when shown live.

    SQLite keeps the three decimals written past the ORM; the evaluation rounds them at every door.
    """
    enterprise = EnterpriseFactory(region=region_tree["shapotou"], industry_code="C3911")
    AnnualIndicator.objects.bulk_create(
        [AnnualIndicator(enterprise=enterprise, year=ON.year - 1, main_business_revenue=Decimal("1999.996"))]
    )
    above_scale = Tier.objects.get(code="above-scale")
    recompute_eligibility(on=ON, enterprise_ids=[enterprise.pk])
    stored = EligibilityResult.objects.get(enterprise=enterprise, tier=above_scale).verdict
    live = next(
        item.evaluation.verdict
        for item in evaluate_enterprise(enterprise, on=ON, book=CriteriaBook.load())
        if item.tier_id == above_scale.pk
    )
    assert stored == live == Verdict.MEETS


def _short(actual: float, required: float, gap: float, amount: float) -> str:
    item = {"label": "研发费用占营业收入比重", "kind": "threshold", "status": NOT_MET, "op": ">=", "unit": "%",
            "actual": actual, "required": required, "gap": gap, "gap_amount": amount}  # fmt: skip
    with translation.override("zh-hans"):
        return describe(item)


def test_a_tiny_gap_is_shown_with_the_digits_it_needs():
    """2.9994% against 3%: the gap reads 0.0006 个百分点, never 0, and the figure is shown to the same digits."""
    text = _short(2.9994, 3, 0.0006, 0.03)
    assert "0.0006" in text and "2.9994%" in text
    assert "差0个" not in text.replace(" ", "")
    assert "0.03" in text


def test_an_amount_below_a_cent_of_a_wan_says_so():
    text = _short(2.9999, 3, 0.0001, 0.0)
    assert "0.0001" in text
    assert "0.01" in text and "约合0 万元" not in text.replace("约 ", "约")


def test_an_ordinary_gap_keeps_two_decimals():
    text = _short(2.1, 3, 0.9, 27.0)
    assert "0.9" in text and "27" in text
