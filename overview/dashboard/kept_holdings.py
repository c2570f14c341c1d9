"""The target cards' recognitions kept between views, per region, for as long as the region's tallies stand.

A province's target cards read every recognition of the province (tasks.figures):
tens of thousands of rows at 100,000 enterprises, and the largest part of a
fresh dashboard's time. Most changes (a pool entry, an application, a review, a
task report, a reward) touch none of them. The tallies (overview.dashboard.tallies)
already know, region by region, when a region's recognitions or enterprises
changed: a recognition saved or deleted forgets the region's holders, an
enterprise saved its enterprises, a move both regions' everything, writers
without signals forget through the hooks, and a forgotten tally is counted again
as a new row. So a region's tally rows of holders, enterprises and members (their
ids) are the version of its recognitions here: rows kept under other ids are
read again, for that region only.

- The versions are read before the rows: a writer that commits in between has
  its tallies forgotten after its commit, so the rows kept under the versions read
  are read again on the next view, never kept as current.
- A region without all three tallies (never counted, forgotten and not yet
  counted again) is read every time and not kept.
- Nothing is kept or used inside a transaction: its own writes are not anyone
  else's, and on SQLite a rolled-back insert's ids are given out again.
- Per process (each web worker keeps its own), at most KEPT_REGIONS entries of
  (region, path, tiers); beyond that everything is dropped and read again. A
  province of a million enterprises holds some 230,000 recognitions: about 35 MB
  per worker.

overview/tests/test_dashboard_tallies.py holds the figures from kept rows equal to
the figures read afresh, on random data and after every kind of write.
"""

import datetime
import threading
from collections import defaultdict
from collections.abc import Mapping

from django.db import connection

from overview.dashboard.tallies import ANY_TIER, ENTERPRISES, HOLDERS, MEMBERS
from portal.models import DashboardTally
from tasks.figures.holdings import HoldingIndex
from tasks.figures.register import RegionHoldings, index_of, read_holdings

__all__ = ["forget_kept", "kept_holdings"]

KEPT_REGIONS = 20_000
VERSION_MEASURES = (HOLDERS, ENTERPRISES, MEMBERS)

Version = tuple[tuple[str, int], ...]
_lock = threading.Lock()
# (region id, path, tier ids) → (version, the region's holdings)
_regions: dict[tuple[int, str, frozenset[int]], tuple[Version, RegionHoldings]] = {}
# (tier ids, region id → path) → (every region's version, the index built from them): the last index per question,
# with the holders it has worked out, reused whole while no region changed.
_indexes: dict[tuple[frozenset[int], frozenset[tuple[int, str]]], tuple[tuple, HoldingIndex, dict]] = {}


def region_versions(region_ids: list[int]) -> dict[int, Version]:
    """Region id → the ids of its every-tier tallies of holders, enterprises and members, for regions with all three."""
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    rows = (
        DashboardTally.objects.filter(region_id__in=region_ids, ladder=ANY_TIER, measure__in=VERSION_MEASURES)
        .values_list("region_id", "measure", "pk")
        .order_by()
    )
    for region_id, measure, pk in rows:
        found[region_id].append((measure, pk))
    return {
        pk: tuple(sorted(items))
        for pk, items in found.items()
        if {measure for measure, _id in items} >= set(VERSION_MEASURES)
    }


def kept_holdings(
    region_paths: Mapping[int, str], tier_ids: frozenset[int]
) -> tuple[HoldingIndex, dict[str, datetime.datetime]]:
    """tasks.figures' HoldingsSource with the regions' rows kept while their tallies stand; the rest read now."""
    if connection.in_atomic_block:
        return index_of(read_holdings(region_paths, tier_ids), region_paths)
    versions = region_versions(list(region_paths))
    question = (tier_ids, frozenset(region_paths.items()))
    state = tuple(sorted((pk, versions.get(pk)) for pk in region_paths))
    every_region_versioned = len(versions) == len(region_paths)
    with _lock:
        kept_index = _indexes.get(question)
        if every_region_versioned and kept_index is not None and kept_index[0] == state:
            return kept_index[1], kept_index[2]
        kept: dict[int, RegionHoldings] = {}
        for pk, path in region_paths.items():
            entry = _regions.get((pk, path, tier_ids))
            if entry is not None and pk in versions and entry[0] == versions[pk]:
                kept[pk] = entry[1]
    read = read_holdings({pk: path for pk, path in region_paths.items() if pk not in kept}, tier_ids)
    index, latest = index_of({**kept, **read}, region_paths)
    with _lock:
        if len(_regions) + len(read) > KEPT_REGIONS:
            forget_kept()
        for pk, found in read.items():
            if pk in versions:
                _regions[(pk, region_paths[pk], tier_ids)] = (versions[pk], found)
        if every_region_versioned:
            _indexes.pop(question, None)
            _indexes[question] = (state, index, latest)
            while len(_indexes) > 8:
                del _indexes[next(iter(_indexes))]
    return index, latest


def forget_kept() -> None:
    """Drop everything kept in this process (the next view reads every region again)."""
    _regions.clear()
    _indexes.clear()
