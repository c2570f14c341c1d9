"""The recognitions a register read, indexed once so that each figure reads only the rows it counts.

A province's dashboard measures some thirty targets on several dates each; a
scan of every holding for each of them made the first view after a change grow
with the province. Here the holdings are filed by tier and region once, and the
holders of a tier set below a path on a day are worked out once, whichever
target asks. `Holding.valid_on` stays the rule; the index compares days against
`valid_span`, the same rule read as one span of days
(tasks/tests/test_holdings.py holds the index equal to a scan of every holding).
"""

import datetime
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from tiers.models import Recognition

# A plain string: the enum member's lookup cost more than the comparison, once per holding.
REVOKED = Recognition.Status.REVOKED.value
ONE_DAY = datetime.timedelta(days=1)


class Holding(NamedTuple):
    """One recognition, reduced to what the counting rules read."""

    enterprise_id: int
    path: str
    tier_id: int
    recognized_on: datetime.date
    valid_until: datetime.date | None
    status: str
    revoked_on: datetime.date | None
    is_listed: bool

    def valid_on(self, day: datetime.date) -> bool:
        """Held on `day`: granted by then, within its validity, not revoked by then.

        An expired recognition counts on the days it was valid and a revoked one
        until its revocation, so a past date gives the past figure whatever
        happened since. A revocation without a date counts from the grant.
        """
        if self.recognized_on > day or (self.valid_until is not None and self.valid_until < day):
            return False
        if self.status == REVOKED:
            return self.revoked_on is not None and self.revoked_on > day
        return True


def valid_span(
    recognized_on: datetime.date, valid_until: datetime.date | None, status: str, revoked_on: datetime.date | None
) -> tuple[datetime.date, datetime.date] | None:
    """The first and the last day `Holding.valid_on` holds, or None when it holds on none."""
    last = datetime.date.max if valid_until is None else valid_until
    if status == REVOKED:
        if revoked_on is None or revoked_on == datetime.date.min:
            return None
        last = min(last, revoked_on - ONE_DAY)
    return None if last < recognized_on else (recognized_on, last)


class HoldingIndex:
    """Holdings filed by tier and region path; the rows and holders of a tier set below a path, each found once.

    Rows come in no particular order: every rule reads them as sets.
    """

    def __init__(self, holdings: Iterable[Holding]) -> None:
        self.holdings: list[Holding] = list(holdings)
        # Tier id → region path → the holdings of enterprises registered in that very region, and the
        # (first day, last day, enterprise id) of those valid on some day.
        self._rows_by_tier: dict[int, dict[str, list[Holding]]] = {}
        self._spans_by_tier: dict[int, dict[str, list[tuple[datetime.date, datetime.date, int]]]] = {}
        listed = set()
        for row in self.holdings:
            enterprise_id, path, tier_id, recognized_on, valid_until, status, revoked_on, is_listed = row
            self._rows_by_tier.setdefault(tier_id, {}).setdefault(path, []).append(row)
            span = valid_span(recognized_on, valid_until, status, revoked_on)
            if span is not None:
                self._spans_by_tier.setdefault(tier_id, {}).setdefault(path, []).append((*span, enterprise_id))
            if is_listed:
                listed.add(enterprise_id)
        self.listed_ids: frozenset[int] = frozenset(listed)
        self._rows: dict[tuple[frozenset[int], str], list[Holding]] = {}
        self._spans: dict[tuple[frozenset[int], str], list[tuple[str, list]]] = {}
        self._holders: dict[tuple[frozenset[int], str, datetime.date], Mapping[int, str]] = {}

    def rows(self, tier_ids: frozenset[int], path: str) -> list[Holding]:
        """The holdings of any of `tier_ids` at or below `path`."""
        key = (tier_ids, path)
        found = self._rows.get(key)
        if found is None:
            found = self._rows[key] = [
                row for _path, rows in _below(self._rows_by_tier, tier_ids, path) for row in rows
            ]
        return found

    def holders(self, tier_ids: frozenset[int], path: str, day: datetime.date) -> Mapping[int, str]:
        """Enterprise id → region path of those at or below `path` holding one of `tier_ids` on `day`.

        Shared by every target that asks the same question: read it, never change it.
        """
        key = (tier_ids, path, day)
        found = self._holders.get(key)
        if found is None:
            groups = self._spans.get((tier_ids, path))
            if groups is None:
                groups = self._spans[(tier_ids, path)] = _below(self._spans_by_tier, tier_ids, path)
            found = self._holders[key] = MappingProxyType(
                {
                    enterprise_id: region_path
                    for region_path, spans in groups
                    for first, last, enterprise_id in spans
                    if first <= day <= last
                }
            )
        return found


def _below(by_tier: dict[int, dict[str, list]], tier_ids: frozenset[int], path: str) -> list[tuple[str, list]]:
    """(region path, items) of `tier_ids` filed under `path` or a region below it."""
    return [
        (region_path, items)
        for tier_id in tier_ids
        for region_path, items in by_tier.get(tier_id, {}).items()
        if region_path.startswith(path)
    ]
