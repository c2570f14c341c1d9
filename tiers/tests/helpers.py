"""Hand-made enterprises for the criteria tests: plain facts, no database."""

import datetime

from tiers.criteria import Assessment, Context, EnterpriseFacts, evaluate_set
from tiers.criteria.facts import INDICATOR_FIELDS

ON = datetime.date(2026, 6, 1)  # 上年度 = 2025
LAST = 2025


def make_facts(
    years: dict[int, dict] | None = None,
    *,
    registered_on=datetime.date(2010, 1, 1),
    industry_code: str = "C3911",
    size_class: str = "small",
    region_path: str = "00001.00002.",
    recognitions=(),
    assessments: dict | None = None,
) -> EnterpriseFacts:
    facts = EnterpriseFacts(1, registered_on, industry_code, size_class, region_path)
    for year, values in (years or {}).items():
        facts.indicators[year] = {name: values.get(name) for name in INDICATOR_FIELDS}
    facts.recognitions = list(recognitions)
    for key, value in (assessments or {}).items():
        if isinstance(value, bool):
            facts.assessments[key] = Assessment(value, None, None)
        else:
            facts.assessments[key] = Assessment(None, float(value), None)
    return facts


def confirm_all(nodes, value=True) -> dict:
    """Every manual key of a criteria set confirmed (or denied)."""
    keys = {}

    def walk(node):
        # A compliance veto is confirmed by staff like a manual judgement when the register has no data.
        if node.get("kind") in ("manual", "compliance"):
            keys[node["key"]] = value
        for key in ("routes", "nodes"):
            for child in node.get(key, ()):
                walk(child)
        for band in node.get("bands", ()):
            if isinstance(band, dict) and "node" in band:
                walk(band["node"])

    for node in nodes:
        walk(node)
    return keys


def evaluate(nodes, facts, on=ON, region_paths=None):
    context = Context(
        on=on, region_paths=region_paths or {"640000": "00001."}, tier_names={"high-tech": "高新技术企业"}
    )
    return evaluate_set(list(nodes), facts, context)


def item(evaluation, code):
    return next(entry for entry in evaluation.details if entry["code"] == code)


def child(entry, code):
    return next(entry_child for entry_child in entry["children"] if entry_child["code"] == code)


def score_item(table, code):
    return next(entry for entry in table["items"] if entry["code"] == code)
