"""Reporting periods: which month, quarter or half-year a report covers, when it is due, and its colour."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.models import ReportingCycle

DUE_DAYS = getattr(settings, "TASK_REPORT_DUE_DAYS", 10)
DUE_SOON_DAYS = getattr(settings, "TASK_REPORT_DUE_SOON_DAYS", 5)

SUBMITTED, DRAFT, MISSING, DUE_SOON, OVERDUE = "submitted", "draft", "missing", "due_soon", "overdue"
STATE_LABELS = {
    SUBMITTED: _("Submitted"),
    DRAFT: _("Draft"),
    MISSING: _("Not reported"),
    DUE_SOON: _("Due soon"),
    OVERDUE: _("Overdue"),
}
STATE_COLOURS = {SUBMITTED: "success", DRAFT: "info", MISSING: "secondary", DUE_SOON: "warning", OVERDUE: "danger"}


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime.date
    end: datetime.date

    @property
    def due_on(self) -> datetime.date:
        return self.end + datetime.timedelta(days=DUE_DAYS)


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def period_containing(cycle: str, day: datetime.date) -> Period:
    if cycle == ReportingCycle.MONTHLY:
        return Period(f"{day.year}-{day.month:02d}", day.replace(day=1), _month_end(day.year, day.month))
    if cycle == ReportingCycle.HALF_YEARLY:
        half = 1 if day.month <= 6 else 2
        first = 1 if half == 1 else 7
        return Period(f"{day.year}-H{half}", datetime.date(day.year, first, 1), _month_end(day.year, first + 5))
    quarter = (day.month - 1) // 3 + 1
    first = 3 * quarter - 2
    return Period(f"{day.year}-Q{quarter}", datetime.date(day.year, first, 1), _month_end(day.year, first + 2))


def period_from_label(cycle: str, label: str) -> Period | None:
    """The period a label such as 2026-Q3 names, or None if it does not fit the cycle."""
    try:
        year_text, part = label.split("-", 1)
        year = int(year_text)
        if cycle == ReportingCycle.MONTHLY:
            day = datetime.date(year, int(part), 1)
        elif cycle == ReportingCycle.HALF_YEARLY and part in ("H1", "H2"):
            day = datetime.date(year, 1 if part == "H1" else 7, 1)
        elif cycle == ReportingCycle.QUARTERLY and part in ("Q1", "Q2", "Q3", "Q4"):
            day = datetime.date(year, 3 * int(part[1]) - 2, 1)
        else:
            return None
    except ValueError:
        return None
    period = period_containing(cycle, day)
    return period if period.label == label else None


def previous_period(cycle: str, period: Period) -> Period:
    return period_containing(cycle, period.start - datetime.timedelta(days=1))


def reportable_periods(cycle: str, today: datetime.date, count: int = 4) -> list[Period]:
    """The current period and the ones before it, newest first: what a unit may report on."""
    periods = [period_containing(cycle, today)]
    while len(periods) < count:
        periods.append(previous_period(cycle, periods[-1]))
    return periods


def period_to_report(cycle: str, today: datetime.date) -> Period:
    """The period whose report is being collected now: the last one that has ended."""
    return previous_period(cycle, period_containing(cycle, today))


def report_state(period: Period, report, today: datetime.date) -> str:
    """未报送 grey until the deadline nears, amber in the last days, red once it has passed."""
    if report is not None and report.status == "submitted":
        return SUBMITTED
    if today > period.due_on:
        return OVERDUE
    if today >= period.due_on - datetime.timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    return DRAFT if report is not None else MISSING
