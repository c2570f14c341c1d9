"""The eligibility snapshot an application carries: the one place where an application (tiers.applications)
asks the eligibility engine for its verdict, when it is submitted.
"""

import datetime
from typing import Any

from enterprises.models import Enterprise
from tiers.eligibility.book import CriteriaBook
from tiers.eligibility.loading import facts_for_enterprise
from tiers.models import Tier


def evaluate_for_application(*, enterprise: Enterprise, tier: Tier, on: datetime.date, purpose: str) -> dict[str, Any]:
    """A JSON-safe snapshot: verdict, score, gaps (criteria not met or lacking data) and per-criterion details.

    `purpose` is "new" or "review": a 复核 is judged by the criteria set the
    documents prescribe for re-reviews. A tier without criteria in force gives
    `available: False`, and the reviewers judge by the documents alone.
    """
    book = CriteriaBook.load([tier.pk])
    result = book.evaluate_tier(facts_for_enterprise(enterprise, on=on), tier.pk, on=on, purpose=purpose)
    snapshot: dict[str, Any] = {"available": result is not None, "evaluated_on": on.isoformat(), "purpose": purpose}
    if result is None:
        return snapshot
    evaluation = result.evaluation
    return {
        **snapshot,
        "criteria_set": result.criteria_set.code,
        "criteria_set_name": result.criteria_set.name,
        "verdict": evaluation.verdict,
        "score": evaluation.score,
        "missing_count": evaluation.missing_count,
        "unknown_count": evaluation.unknown_count,
        "manual_count": evaluation.manual_count,
        "gaps": [item for item in evaluation.details if item.get("status") != "met"],
        "details": evaluation.details,
    }
