"""Comparing criteria versions: the column-wise grouping agrees with evaluating each enterprise under each set."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from tests.properties import examples
from tiers.criteria.catalogue import CRITERIA_SETS
from tiers.criteria.nodes import MANUAL, MET, compile_set
from tiers.criteria.vector import compile_vector_set
from tiers.criteria.vector_metrics import Batch
from tiers.tests.test_vector import CONTEXT, enterprise
from tiers.versions.compare import BOTH, NEITHER, ONLY_NEW, ONLY_OLD, apply_thresholds, classify, thresholds

SETS = {entry[0]: list(entry[-1]) for entry in CRITERIA_SETS}
PAIRS = [("srdi-sme-2022", "srdi-sme-2026"), ("little-giant-2022", "little-giant-2026")]


def _expected(old_nodes, new_nodes, facts):
    old, new = compile_set(old_nodes)(facts, CONTEXT), compile_set(new_nodes)(facts, CONTEXT)
    meets_old = old.missing_count == 0 and old.unknown_count == 0
    meets_new = new.missing_count == 0 and new.unknown_count == 0
    group = BOTH if meets_old and meets_new else ONLY_OLD if meets_old else ONLY_NEW if meets_new else NEITHER
    failing = {ONLY_OLD: new, ONLY_NEW: old}.get(group)
    codes = [item["code"] for item in failing.details if item["status"] not in (MET, MANUAL)] if failing else []
    return group, codes


@pytest.mark.parametrize("old_code,new_code", PAIRS)
@settings(max_examples=examples(40), deadline=None)
@given(batch=st.lists(enterprise, min_size=1, max_size=20), scale=st.sampled_from([0.5, 1.0, 1.5]))
def test_the_grouping_agrees_with_evaluating_each_enterprise_under_each_set(old_code, new_code, batch, scale):
    old_nodes = SETS[old_code]
    # The "new" side is the official set or a draft of it with every threshold scaled.
    base = SETS[new_code]
    new_nodes = apply_thresholds(base, {item["path"]: item["value"] * scale for item in thresholds(base)})
    result = classify(
        Batch(batch, CONTEXT),
        compile_vector_set(old_nodes),
        compile_vector_set(new_nodes),
        [n["code"] for n in old_nodes],
        [n["code"] for n in new_nodes],
    )
    for index, facts in enumerate(batch):
        assert (result.groups[index], result.differences[index]) == _expected(old_nodes, new_nodes, facts), facts


def test_a_draft_changes_only_the_thresholds_named():
    base = SETS["srdi-sme-2026"]
    found = {item["label"]: item for item in thresholds(base)}
    revenue = next(item for label, item in found.items() if "上年度营业收入" in label)
    draft = apply_thresholds(base, {revenue["path"]: 1200})
    assert [item["value"] for item in thresholds(draft) if item["path"] == revenue["path"]] == [1200]
    assert thresholds(base) != thresholds(draft) and base[0] == draft[0]


@pytest.fixture
def register(criteria, region_tree):
    """Two enterprises in 沙坡头区 whose 专精特新 status depends on the version."""
    # Revenue 1200 万元 meets 2022's 1000 but not 2026's 1500.
    between = EnterpriseFactory(name="介于两版之间有限公司", region=region_tree["shapotou"])
    for year in (2024, 2025):
        AnnualIndicatorFactory(enterprise=between, year=year, operating_revenue=1200, rd_expense=200)
    other = EnterpriseFactory(name="中宁对照企业有限公司", region=region_tree["zhongning"])
    return {"between": between, "other": other}


def test_the_comparison_page_and_api_are_scoped_and_export_to_excel(client, users, register):
    from tiers.models import CriteriaSet

    old = CriteriaSet.objects.get(code="srdi-sme-2022")
    new = CriteriaSet.objects.get(code="srdi-sme-2026")
    client.force_login(users["spt_staff"])
    url = reverse("tiers:compare", args=["srdi-sme"])
    page = client.get(url, {"old": old.pk, "new": new.pk, "on": "2026-06-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "沙坡头区" in text and "中宁县" not in text, "only the user's county"

    api = client.get(reverse("api-criteria-comparison", args=["srdi-sme"]), {"old": old.pk, "new": new.pk})
    assert api.status_code == 200
    assert sum(api.json()["totals"].values()) == 1

    export = client.get(reverse("tiers:compare-export", args=["srdi-sme"]), {"old": old.pk, "new": new.pk})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_only_administrators_evaluate_a_draft(client, users, register):
    from tiers.models import CriteriaSet

    new = CriteriaSet.objects.get(code="srdi-sme-2026")
    old = CriteriaSet.objects.get(code="srdi-sme-2022")
    url = reverse("api-criteria-draft", args=["srdi-sme"])
    revenue = next(item for item in thresholds(SETS["srdi-sme-2026"]) if "上年度营业收入" in item["label"])
    body = {"old": old.pk, "base": new.pk, "thresholds": {revenue["path"]: 1000}}
    client.force_login(users["zw_staff"])
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(users["admin"])
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["new_name"].endswith("（草案）")
    assert datetime.date.fromisoformat(answer.json()["on"])
    refused = client.post(url, {**body, "thresholds": {"0": 1}}, content_type="application/json")
    assert refused.status_code == 400, "the size-class criterion has no threshold to edit"
