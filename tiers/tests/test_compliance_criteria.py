"""The veto criteria decided from compliance records: fail inside the window, pass when the region's data is in, wait otherwise."""

import datetime

import pytest
from django.utils import timezone

from enterprises.compliance.models import ComplianceCoverage, ComplianceRecord
from enterprises.tests.factories import EnterpriseFactory
from tiers.criteria import MANUAL, MET, NOT_MET
from tiers.criteria.describe import gap_lines
from tiers.eligibility import CriteriaBook, facts_for_enterprise, recompute_eligibility
from tiers.eligibility.loading import stream_facts
from tiers.models import EligibilityResult, Tier
from tiers.tests.helpers import ON


def _compliance_status(enterprise, tier_code: str, on=ON) -> dict:
    book = CriteriaBook.load()
    tier = Tier.objects.get(code=tier_code)
    result = book.evaluate_tier(facts_for_enterprise(enterprise, on=on), tier.pk, on=on, purpose="new")
    return next(item for item in result.evaluation.details if item["code"] == "compliance-clean")


@pytest.fixture
def firm(criteria, region_tree):
    return EnterpriseFactory(region=region_tree["shapotou"])


def _cover(region) -> None:
    ComplianceCoverage.objects.create(region=region, imported_at=timezone.now())


def _penalty(enterprise, on: datetime.date, *, category="safety", is_major=True) -> ComplianceRecord:
    return ComplianceRecord.objects.create(
        enterprise=enterprise,
        kind="penalty",
        category=category,
        is_major=is_major,
        listed_on=on,
        authority="中卫市应急管理局",
        document_number="卫应急罚〔2024〕7号",
    )


def test_without_any_compliance_data_the_veto_waits_for_staff(firm):
    assert _compliance_status(firm, "srdi-sme")["status"] == MANUAL


def test_a_region_with_imported_data_and_no_record_passes(firm, region_tree):
    _cover(region_tree["zhongwei"])  # the city's import covers its counties
    assert _compliance_status(firm, "srdi-sme")["status"] == MET
    assert _compliance_status(firm, "high-tech")["status"] == MET


def test_another_regions_import_does_not_cover_the_enterprise(firm, region_tree):
    _cover(region_tree["zhongning"])
    assert _compliance_status(firm, "srdi-sme")["status"] == MANUAL


def test_a_major_penalty_inside_the_window_fails_and_is_named(firm, region_tree):
    _cover(region_tree["zhongwei"])
    _penalty(firm, datetime.date(2024, 6, 2))  # two years before ON: inside 近三年, outside 前一年
    srdi = _compliance_status(firm, "srdi-sme")
    assert srdi["status"] == NOT_MET
    line = next(line for line in gap_lines([srdi]))
    assert "卫应急罚〔2024〕7号" in line["text"] and "中卫市应急管理局" in line["text"]
    assert _compliance_status(firm, "high-tech")["status"] == MET, "高企 looks back one year only"


def test_a_penalty_outside_the_window_or_not_major_does_not_count(firm, region_tree):
    _cover(region_tree["zhongwei"])
    _penalty(firm, datetime.date(2023, 5, 31))  # three years and a day before ON
    _penalty(firm, datetime.date(2026, 1, 10), is_major=False)
    assert _compliance_status(firm, "srdi-sme")["status"] == MET


def test_a_tax_penalty_fails_srdi_but_not_high_tech(firm, region_tree):
    _cover(region_tree["zhongwei"])
    _penalty(firm, datetime.date(2026, 3, 1), category="tax")
    assert _compliance_status(firm, "srdi-sme")["status"] == NOT_MET
    assert _compliance_status(firm, "high-tech")["status"] == MET, "高企's condition names safety, quality, environment"


def test_a_listing_counts_while_it_overlaps_the_window(firm):
    ComplianceRecord.objects.create(
        enterprise=firm,
        kind="abnormal_operation",
        listed_on=datetime.date(2022, 1, 1),
        removed_on=datetime.date(2023, 7, 1),
    )
    assert _compliance_status(firm, "srdi-sme")["status"] == NOT_MET, "listed within 近三年"
    assert _compliance_status(firm, "srdi-sme", on=datetime.date(2026, 7, 2))["status"] == MANUAL, (
        "removed more than three years before: no longer counts, and without imported data staff confirm"
    )


def test_the_nightly_recompute_and_the_set_based_loader_agree_with_the_page(firm, region_tree):
    _cover(region_tree["zhongwei"])
    _penalty(firm, datetime.date(2025, 12, 1))
    streamed = next(stream_facts(on=ON, enterprise_ids=[firm.pk]))
    single = facts_for_enterprise(firm, on=ON)
    assert streamed.compliance == single.compliance and streamed.compliance_covered == single.compliance_covered
    recompute_eligibility(on=ON)
    srdi = Tier.objects.get(code="srdi-sme")
    stored = EligibilityResult.objects.get(enterprise=firm, tier=srdi)
    assert stored.verdict == "misses" and stored.missing_count >= 1
