"""Sections on the work itself: each task list's reporting states, and what is stuck."""

import datetime
from collections import defaultdict
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from overview.dashboard.selectors.days import day_end, section
from overview.dashboard.targets import (
    AMBER,
    GREEN,
    GREY,
    RED,
)
from portal.models import Region, User
from tasks import periods
from tasks.models import MeasureUnit
from tasks.selectors import inferences_for, measures_visible_to
from tiers.applications.selectors import WAITING_STATES, applications_visible_to

STUCK_LIMIT = 10
STATE_ORDER = (periods.OVERDUE, periods.DUE_SOON, periods.MISSING, periods.DRAFT, periods.SUBMITTED)
STATE_COLOURS = (RED, AMBER, "#fd7e14", GREY, GREEN)


def task_sections(viewer: User, region: Region, as_of: datetime.date) -> list[dict]:
    """Tasks of the region's policies (or led by its units) by the state of their consolidated report
    for the period being collected on the date; the overdue and unreported ones listed."""
    from tasks.models import TaskReport

    path = region.path
    # A region's tasks: those of its own policies and those its units lead. Measures a county merely
    # supports ("各县（区）人民政府") stay on the dashboard of the region that issued them.
    led = MeasureUnit.objects.filter(measure=OuterRef("pk"), is_lead=True, department__region__path__startswith=path)
    measures = list(
        measures_visible_to(viewer)
        .filter(Q(policy__region__path__startswith=path) | Exists(led))
        .order_by("policy__region__path", "policy_id", "order")
    )
    due = {measure.pk: periods.period_to_report(measure.cycle, as_of) for measure in measures}
    reports = {
        (report.measure_id, report.period): report
        for report in TaskReport.objects.filter(
            measure__in=[measure.pk for measure in measures],
            is_consolidated=True,
            period__in={period.label for period in due.values()},
            created_at__lt=day_end(as_of),
        )
    }
    counts: dict[str, int] = defaultdict(int)
    attention = []
    # A lead unit the documents do not name (西宁, 宁夏) is the loader's guess until an administrator decides.
    guessed = {pk for pk, mark in inferences_for(measures, field="lead_unit").items() if not mark.is_decided}
    for measure in measures:
        period = due[measure.pk]
        report: TaskReport | SimpleNamespace | None = reports.get((measure.pk, period.label))
        if report is not None and report.status == TaskReport.Status.SUBMITTED and report.submitted_at:
            if report.submitted_at >= day_end(as_of):
                # Submitted after the date: on that date it was still a draft.
                report = SimpleNamespace(status=TaskReport.Status.DRAFT)
        state = periods.report_state(period, report, as_of)
        counts[state] += 1
        if state in (periods.OVERDUE, periods.DUE_SOON, periods.MISSING):
            lead = next((link.department.name for link in measure.prefetched_unit_links if link.is_lead), "")
            if lead and measure.pk in guessed:
                lead = _("%(unit)s (inferred)") % {"unit": lead}
            attention.append(
                (
                    STATE_ORDER.index(state),
                    measure.pk,
                    [
                        str(measure.policy),
                        f"{measure.number} {measure.title}".strip(),
                        lead,
                        period.label,
                        period.due_on.isoformat(),
                        str(periods.STATE_LABELS[state]),
                    ],
                )
            )
    attention.sort(key=lambda item: item[0])
    status = section(
        "task_status",
        _("Tasks by report status"),
        [_("Status"), _("Tasks")],
        [[str(periods.STATE_LABELS[state]), counts.get(state, 0)] for state in STATE_ORDER],
        chart={"type": "pie", "x": 0, "series": [1], "colours": list(STATE_COLOURS)},
        note=_("The consolidated report of the lead unit for the period being collected on the date."),
    )
    listed = section(
        "task_attention",
        _("Overdue and unreported tasks"),
        [_("Policy"), _("Task"), _("Lead unit"), _("Period"), _("Due on"), _("Status")],
        [row for _order, _pk, row in attention],
        row_ids=[pk for _order, pk, _row in attention],
        link="measure",
    )
    return [status, listed]


# --- Applications ----------------------------------------------------------------------


def stuck_section(viewer: User, region: Region, as_of: datetime.date) -> dict:
    """The applications of the region waiting longest at a review step or for a decision."""
    end = day_end(as_of)
    now = min(timezone.now(), end)
    waiting = applications_visible_to(viewer).filter(
        state__in=WAITING_STATES, region__path__startswith=region.path, waiting_since__lt=end
    )
    # The ten ids from the narrow rows first; only those ten joined to their enterprise, tier, batch and step.
    first = list(waiting.order_by("waiting_since", "pk").values_list("pk", flat=True)[:STUCK_LIMIT])
    applications = list(waiting.filter(pk__in=first).order_by("waiting_since", "pk"))
    rows = [
        [
            application.enterprise.name,
            application.tier.name,
            application.batch.name,
            application.state_label,
            application.reviewing_region.name if application.reviewing_region is not None else "",
            application.waiting_days(now),
            _("Yes") if application.due_at and application.due_at < now else "",
        ]
        for application in applications
    ]
    columns = [_("Enterprise"), _("Tier"), _("Batch"), _("Step"), _("Held by"), _("Waiting (days)"), _("Overdue")]
    return section(
        "stuck",
        _("Applications waiting longest"),
        columns,
        rows,
        row_ids=[application.pk for application in applications],
        link="application",
        note=_("Applications still waiting now, as they stood on the date."),
    )


# --- The whole dashboard -----------------------------------------------------------------
