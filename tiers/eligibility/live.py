"""Gap sentences for stored results, worked out from the enterprises' current figures.

A stored result keeps the verdict, score and counts that lists filter on; what
each enterprise misses is evaluated when a page of results is shown, with the
criteria set the stored result used. Four queries for the facts of the page's
enterprises and four for the criteria, whatever the page size.
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from tiers.criteria.describe import gap_lines
from tiers.eligibility.book import CriteriaBook
from tiers.eligibility.loading import stream_facts
from tiers.models import EligibilityResult


def gaps_for_results(results: Iterable[EligibilityResult], *, on: datetime.date | None = None) -> dict[int, list]:
    """{result id: gap lines}; a result whose criteria set is gone gets no lines."""
    results = list(results)
    if not results:
        return {}
    on = on or timezone.localdate()
    book = CriteriaBook.load(tier_ids=sorted({result.tier_id for result in results}))
    context = book.context(on)
    facts = {item.enterprise_id: item for item in stream_facts(on=on, enterprise_ids=_ids(results))}
    gaps = {}
    for result in results:
        compiled = book.sets_by_id.get(result.criteria_set_id)
        enterprise_facts = facts.get(result.enterprise_id)
        if compiled is None or enterprise_facts is None:
            gaps[result.pk] = []
            continue
        gaps[result.pk] = gap_lines(compiled.program(enterprise_facts, context).details)
    return gaps


def _ids(results: list[EligibilityResult]) -> list[int]:
    return sorted({result.enterprise_id for result in results})
