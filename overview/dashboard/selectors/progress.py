"""Sections on the way up the ladders: the target cards, the funnel from register to title,
the regions compared and the monthly trend."""

import datetime

from django.db.models import Count, F
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from enterprises.selectors import enterprises_visible_to
from overview.dashboard import tallies
from overview.dashboard.selectors.days import day_end, pool_open_on, recognition_valid_on, section, submitted_in_year_by
from overview.dashboard.targets import (
    GREY,
    STATUS_HEX,
    card_groups,
    card_of,
    chart_label,
    region_figures,
)
from portal.models import DashboardSnapshot, Region, User
from portal.selectors import regions_visible_to
from tasks.progress import STATUS_RULE
from tiers.applications.selectors import applications_visible_to, recognitions_visible_to
from tiers.models import Verdict
from tiers.selectors import EligibilityFilters, PoolFilters, eligibility_results, ladders_with_rungs, pool_entries

TREND_MONTHS = 12


def targets_section(viewer: User, region: Region, as_of: datetime.date) -> dict:
    """One KPI card per target of the region and below, from the one definition of each figure (tasks.figures).

    The rows keep their first nine columns (what the API and briefings read) and add
    合计/新增, the reason for the status and the baseline reading at the end.
    """
    figures = region_figures(viewer, region, as_of)
    cards = [card_of(figure, region=region) for figure in figures]
    rows = [
        [
            figure.target.region.name,
            str(figure.target.policy),
            card["label"],
            card["current"],
            card["target"],
            card["unit"],
            card["percent"],
            card["expected"],
            card["status_label"],
            card["basis_text"],
            _("Final at %(date)s") % {"date": card["deadline"]} if card["final"] else _("In progress"),
            card["reason"],
            card["baseline"]["note"] if card["baseline"] else "",
        ]
        for figure, card in zip(figures, cards, strict=True)
    ]
    columns = [
        _("Region"),
        _("Policy"),
        _("Target"),
        _("Current"),
        _("Target value"),
        _("Unit"),
        _("% of target"),
        _("Expected today"),
        _("Status"),
        _("Counts"),
        _("Deadline"),
        _("Reason"),
        _("Baseline"),
    ]
    return section(
        "targets",
        _("Targets"),
        columns,
        rows,
        cards=cards,
        groups=card_groups(figures, cards, region),
        chart={
            "type": "bar",
            "x": 2,
            "series": [6],
            "horizontal": True,
            "labels": [chart_label(card) for card in cards],
            "colours": [STATUS_HEX.get(card["status"], GREY) for card in cards],
        },
        note=str(STATUS_RULE),
    )


# --- Ladder funnel ---------------------------------------------------------------------


def _applies_to(ladder, region: Region) -> bool:
    if ladder.region is None:
        return True
    return region.path.startswith(ladder.region.path) or ladder.region.path.startswith(region.path)


def _per_ladder(qs, ladder_ids: list[int]) -> dict[int, int]:
    rows = (
        qs.filter(tier__rungs__ladder_id__in=ladder_ids)
        .values(ladder=F("tier__rungs__ladder_id"))
        .annotate(count=Count("enterprise_id", distinct=True))
        .order_by()
    )
    return {row["ladder"]: row["count"] for row in rows}


def funnel_section(viewer: User, region: Region, as_of: datetime.date) -> dict:
    """Per ladder: enterprises in its pool → eligible for one of its tiers → applied this year → holding one of its tiers."""
    ladders = [ladder for ladder in ladders_with_rungs().order_by("code") if _applies_to(ladder, region)]
    ids = [ladder.pk for ladder in ladders]
    if tallies.serves(as_of):
        kept = tallies.per_ladder(region.path, as_of)
        pool, eligible, applied, recognized = (
            kept[tallies.POOL],
            kept[tallies.ELIGIBLE],
            kept[tallies.APPLIED],
            kept[tallies.HOLDERS],
        )
    else:
        pool, eligible, applied, recognized = _funnel_counts(viewer, region, as_of, ids)
    rows = [
        [
            ladder.name,
            pool.get(ladder.pk, 0),
            eligible.get(ladder.pk, 0),
            applied.get(ladder.pk, 0),
            recognized.get(ladder.pk, 0),
        ]
        for ladder in ladders
    ]
    columns = [_("Ladder"), _("In the pool"), _("Eligible"), _("Applied this year"), _("Recognized")]
    note = _(
        "Distinct enterprises per ladder: in its cultivation pool on the date, meeting the criteria of one of its "
        "tiers at the latest recompute, with an application submitted this year, holding one of its tiers on the date."
    )
    return section("ladders", _("Ladder funnel"), columns, rows, chart={"type": "funnel", "name": 0}, note=note)


def _funnel_counts(viewer: User, region: Region, as_of: datetime.date, ids: list[int]) -> tuple[dict, ...]:
    """The funnel's counts from the register itself (a day other than today; the tallies' reference)."""
    path = region.path
    pool = _per_ladder(
        pool_entries(viewer, PoolFilters(include_left=True)).filter(
            pool_open_on(as_of), enterprise__region__path__startswith=path
        ),
        ids,
    )
    eligible = _per_ladder(
        eligibility_results(viewer, EligibilityFilters(verdict=Verdict.MEETS)).filter(
            enterprise__region__path__startswith=path
        ),
        ids,
    )
    applied = _per_ladder(
        applications_visible_to(viewer).filter(submitted_in_year_by(as_of), region__path__startswith=path), ids
    )
    recognized = _per_ladder(
        recognitions_visible_to(viewer).filter(recognition_valid_on(as_of), enterprise__region__path__startswith=path),
        ids,
    )
    return pool, eligible, applied, recognized


# --- Regions compared ------------------------------------------------------------------


def _per_child(qs, field: str, path: str, count: str = "enterprise_id") -> dict[str, int]:
    rows = (
        qs.annotate(child=Substr(field, 1, len(path) + 6))
        .values("child")
        .annotate(count=Count(count, distinct=True))
        .order_by()
    )
    return {row["child"]: row["count"] for row in rows}


def regions_section(viewer: User, region: Region, as_of: datetime.date) -> dict:
    """The regions directly below, side by side; a click on one opens its own dashboard."""
    children = list(regions_visible_to(viewer).filter(parent=region).order_by("path"))
    if tallies.serves(as_of):
        kept = tallies.per_child(region.path, as_of)
        counts = [
            kept[name]
            for name in (tallies.ENTERPRISES, tallies.HOLDERS, tallies.POOL, tallies.ELIGIBLE, tallies.APPLIED)
        ]
    else:
        counts = _regions_counts(viewer, region, as_of)
    rows = [[child.name, *[count.get(child.path, 0) for count in counts]] for child in children]
    columns = [
        _("Region"),
        _("Enterprises"),
        _("Holding a recognition"),
        _("In the pool"),
        _("Eligible"),
        _("Applied this year"),
    ]
    return section(
        "regions",
        _("Regions compared"),
        columns,
        rows,
        row_ids=[child.pk for child in children],
        link="region",
        chart={"type": "bar", "x": 0, "series": [2, 3, 4, 5], "sortable": True, "drill": True},
    )


def _regions_counts(viewer: User, region: Region, as_of: datetime.date) -> list[dict[str, int]]:
    """Per child region, from the register itself: enterprises, holders, in the pool, eligible, applied."""
    path = region.path
    field = "enterprise__region__path"
    # Enterprises entered in the register by the date, counted where they are now (moves keep no history).
    enterprises = _per_child(
        enterprises_visible_to(viewer).filter(region__path__startswith=path, created_at__lt=day_end(as_of)),
        "region__path",
        path,
        count="pk",
    )
    holders = _per_child(
        recognitions_visible_to(viewer).filter(recognition_valid_on(as_of), enterprise__region__path__startswith=path),
        field,
        path,
    )
    pool = _per_child(
        pool_entries(viewer, PoolFilters(include_left=True)).filter(
            pool_open_on(as_of), enterprise__region__path__startswith=path
        ),
        field,
        path,
    )
    eligible = _per_child(
        eligibility_results(viewer, EligibilityFilters(verdict=Verdict.MEETS)).filter(
            enterprise__region__path__startswith=path
        ),
        field,
        path,
    )
    applied = _per_child(
        applications_visible_to(viewer).filter(submitted_in_year_by(as_of), region__path__startswith=path),
        "region__path",
        path,
    )
    return [enterprises, holders, pool, eligible, applied]


# --- Trend -----------------------------------------------------------------------------

SNAPSHOT_FIELDS = ("enterprises", "holders", "pool", "eligible", "owed", "paid")


def trend_section(region: Region, as_of: datetime.date) -> dict:
    """The last snapshot of each of the last twelve months. Read from stored snapshots, never live."""
    since = (as_of.replace(day=1) - datetime.timedelta(days=366)).replace(day=1)
    by_month: dict[str, dict] = {}
    for snapshot in DashboardSnapshot.objects.filter(region=region, taken_on__gt=since, taken_on__lte=as_of).order_by(
        "taken_on"
    ):
        by_month[f"{snapshot.taken_on:%Y-%m}"] = snapshot.figures
    months = sorted(by_month)[-TREND_MONTHS:]
    rows = [[month, *[by_month[month].get(name, 0) for name in SNAPSHOT_FIELDS]] for month in months]
    columns = [
        _("Month"),
        _("Enterprises"),
        _("Holding a recognition"),
        _("In the pool"),
        _("Eligible"),
        _("Owed (10k yuan)"),
        _("Paid (10k yuan)"),
    ]
    note = _("From the snapshot taken on the last recorded day of each month.")
    return section(
        "trend", _("Trend by month"), columns, rows, chart={"type": "line", "x": 0, "series": [2, 3, 4]}, note=note
    )


# --- Money -----------------------------------------------------------------------------
