"""The leader dashboard's figures: the domain apps' selectors composed into sections.

A section is plain data — a title, column headers, rows of strings and numbers,
and how to chart them — so that one structure feeds the page, the JSON API, the
Excel export and the frozen briefing. Every figure is "as of" a date, and the
whole dashboard costs the same number of queries whatever the size of the
register: counts are grouped in the database, never per enterprise or county.

The figures are those a leader of the region sees (`viewer_for`): who may open
which region's dashboard is decided by overview.dashboard.permissions first.
"""

import datetime

from django.utils import timezone, translation

from overview.dashboard.selectors.days import (
    day_end,
    pool_open_on,
    recognition_valid_on,
    section,
    submitted_in_year_by,
    viewer_for,
)
from overview.dashboard.selectors.money import money_section
from overview.dashboard.selectors.progress import (
    SNAPSHOT_FIELDS,
    funnel_section,
    regions_section,
    targets_section,
    trend_section,
)
from overview.dashboard.selectors.work import stuck_section, task_sections
from portal.cache import FIGURES, versioned_read
from portal.models import Region, User
from portal.selectors import regions_visible_to


def dashboard_figures(region: Region, *, as_of: datetime.date) -> dict:
    """Every section of the region's dashboard on `as_of`, as plain data. A fixed number of queries."""
    viewer = viewer_for(region)
    sections = [
        targets_section(viewer, region, as_of),
        funnel_section(viewer, region, as_of),
        regions_section(viewer, region, as_of),
        trend_section(region, as_of),
        money_section(viewer, region, as_of),
        *task_sections(viewer, region, as_of),
        stuck_section(viewer, region, as_of),
    ]
    return {
        "region": {"id": region.pk, "name": region.name, "code": region.code, "kind": region.kind},
        "as_of": as_of.isoformat(),
        "computed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "sections": sections,
    }


# How long computed figures may serve at most: a write that bypasses both the models' signals
# and figures_changed is seen after this long.
FIGURES_TIMEOUT = 300


def cached_dashboard_figures(region: Region, *, as_of: datetime.date) -> dict:
    """dashboard_figures, kept until the business data changes (portal.cache.FIGURES).

    A province's figures count every enterprise, result and entitlement in it;
    leaders open the same few dashboards again and again between changes, so
    they are computed once per change, not once per view. Briefings, which
    freeze figures, compute them afresh.
    """
    parts = (region.pk, as_of.isoformat(), translation.get_language())
    return versioned_read(FIGURES, parts, lambda: dashboard_figures(region, as_of=as_of), FIGURES_TIMEOUT)


def section_of(figures: dict, key: str) -> dict | None:
    return next((item for item in figures["sections"] if item["key"] == key), None)


def dashboard_regions(user: User):
    """The regions the switcher offers: the user's own and every region below it."""
    return regions_visible_to(user).order_by("path")


def default_region(user: User) -> Region | None:
    """The user's region, or for an administrator without one the top of the tree."""
    if user.region_id:
        return user.region
    return regions_visible_to(user).order_by("depth", "path").first()


__all__ = [
    "FIGURES_TIMEOUT",
    "SNAPSHOT_FIELDS",
    "cached_dashboard_figures",
    "dashboard_figures",
    "dashboard_regions",
    "day_end",
    "default_region",
    "funnel_section",
    "money_section",
    "pool_open_on",
    "recognition_valid_on",
    "regions_section",
    "section",
    "section_of",
    "stuck_section",
    "submitted_in_year_by",
    "targets_section",
    "task_sections",
    "trend_section",
    "viewer_for",
]
