"""Progress reports on tasks: which reports a user may read, the grid of units by recent periods, leaders'
comments, and a liaison's own tasks with the state of each report due."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from portal.models import User
from tasks import periods
from tasks.models import LeaderComment, Measure, TaskReport
from tasks.selectors.policies import measures_visible_to


def reports_visible_to(user: User, measure: Measure) -> QuerySet[TaskReport]:
    """See permissions.can_view_report."""
    qs = (
        TaskReport.objects.filter(measure=measure)
        .select_related("department", "updated_by")
        .prefetch_related("attachments")
    )
    if not user.is_liaison:
        return qs
    links = getattr(measure, "prefetched_unit_links", None) or list(measure.unit_links.all())
    roles = {link.is_lead for link in links if link.department_id == user.department_id}
    if not roles:
        return qs.none()
    if True in roles:
        return qs
    return qs.filter(Q(department_id=user.department_id) | Q(is_consolidated=True))


def report_for(user: User, pk: int) -> TaskReport | None:
    from tasks import permissions

    report = (
        TaskReport.objects.select_related("measure__policy__region", "department")
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
    return report if report is not None and permissions.can_view_report(user, report) else None


@dataclass
class ReportCell:
    period: periods.Period
    report: TaskReport | None
    state: str

    @property
    def label(self) -> str:
        return str(periods.STATE_LABELS[self.state])

    @property
    def colour(self) -> str:
        return periods.STATE_COLOURS[self.state]


def report_grid(user: User, measure: Measure, *, today: datetime.date, count: int = 4):
    """Units × recent periods, each cell the unit's report (if visible) and its colour."""
    cycle = measure.cycle
    recent = sorted(periods.reportable_periods(cycle, today, count), key=lambda period: period.start)
    reports = {
        (r.department_id, r.period): r
        for r in reports_visible_to(user, measure).filter(period__in=[p.label for p in recent])
    }
    links = measure.prefetched_unit_links
    if user.is_liaison and not any(link.is_lead and link.department_id == user.department_id for link in links):
        links = [link for link in links if link.department_id == user.department_id or link.is_lead]
    rows = []
    for link in links:
        cells = [
            ReportCell(
                period,
                reports.get((link.department_id, period.label)),
                periods.report_state(period, reports.get((link.department_id, period.label)), today),
            )
            for period in recent
        ]
        rows.append((link, cells))
    return recent, rows


def leader_comments(measure: Measure) -> QuerySet[LeaderComment]:
    return LeaderComment.objects.filter(measure=measure).select_related("author")


def my_tasks(user: User, *, today: datetime.date) -> list[tuple[Measure, bool, ReportCell]]:
    """A liaison's tasks: (task, whether the department leads, the state of its report for the period due)."""
    measures = list(measures_visible_to(user).order_by("policy_id", "order"))
    labels = {periods.period_to_report(measure.cycle, today).label for measure in measures}
    reports = {
        (r.measure_id, r.period): r
        # The plugin refuses None for the lookup; Django reads it as IS NULL, which no report matches.
        for r in TaskReport.objects.filter(measure__in=measures, department_id=user.department_id, period__in=labels)  # type: ignore[misc]
    }
    rows = []
    for measure in measures:
        period = periods.period_to_report(measure.cycle, today)
        report = reports.get((measure.pk, period.label))
        is_lead = any(
            link.is_lead and link.department_id == user.department_id for link in measure.prefetched_unit_links
        )
        rows.append((measure, is_lead, ReportCell(period, report, periods.report_state(period, report, today))))
    return rows
