"""A policy's task list (its tasks by section, with units, targets' progress and the state of the current report)
and the progress of targets for one task or a region."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from portal.models import Region, User
from tasks import periods
from tasks.models import Inference, Measure, Policy, TargetConflict, TaskReport
from tasks.progress import Progress, compute_progress
from tasks.selectors.inferences import inferences_for
from tasks.selectors.policies import measures_visible_to, targets_visible_to


@dataclass
class TaskRow:
    measure: Measure
    targets: list[Progress] = field(default_factory=list)
    report_state: str = periods.MISSING
    latest_report: TaskReport | None = None
    lead_inference: Inference | None = None

    @property
    def is_lead_inferred(self) -> bool:
        """The document names no 牵头单位 and no administrator has confirmed the loader's choice (推定)."""
        return self.lead_inference is not None and not self.lead_inference.is_decided

    @property
    def lead_units(self):
        return [link.department for link in self.measure.prefetched_unit_links if link.is_lead]

    @property
    def supporting_units(self):
        return [link.department for link in self.measure.prefetched_unit_links if not link.is_lead]

    @property
    def report_state_label(self) -> str:
        return str(periods.STATE_LABELS[self.report_state])

    @property
    def report_state_colour(self) -> str:
        return periods.STATE_COLOURS[self.report_state]


@dataclass
class TaskList:
    policy: Policy
    as_of: datetime.date
    period: periods.Period
    goals: list[Progress]
    sections: list[tuple[str, list[TaskRow]]]
    conflicts: list[TargetConflict]

    @property
    def rows(self) -> list[TaskRow]:
        return [row for _section, rows in self.sections for row in rows]


def task_list(user: User, policy: Policy, *, as_of: datetime.date, today: datetime.date | None = None) -> TaskList:
    """A policy's tasks by section with their units, targets' progress and the state of the current report.

    A fixed number of queries whatever the number of tasks, targets and reports.
    """
    today = today or as_of
    measures = list(measures_visible_to(user).filter(policy=policy).order_by("order"))
    targets = list(targets_visible_to(user).filter(policy=policy).order_by("measure__order", "order"))
    progress = compute_progress(targets, as_of=as_of)
    period = periods.period_to_report(policy.reporting_cycle, today)
    consolidated = {
        report.measure_id: report
        for report in TaskReport.objects.filter(measure__in=measures, is_consolidated=True).order_by("period_start")
    }
    this_period = {
        report.measure_id: report
        for report in TaskReport.objects.filter(measure__in=measures, is_consolidated=True, period=period.label)
    }
    by_measure: dict[int, list[Progress]] = defaultdict(list)
    goals: list[Progress] = []
    number_to_measure = {measure.number: measure.pk for measure in measures}
    for target in targets:
        (by_measure[target.measure_id] if target.measure_id else goals).append(progress[target.pk])
        # A target restated in another measure is one target shown in both places.
        for place in target.also_stated:
            if place.get("measure") in number_to_measure:
                by_measure[number_to_measure[place["measure"]]].append(progress[target.pk])
    lead_inferences = inferences_for(measures, field="lead_unit")
    sections: list[tuple[str, list[TaskRow]]] = []
    for measure in measures:
        row = TaskRow(
            measure=measure,
            targets=by_measure.get(measure.pk, []),
            latest_report=consolidated.get(measure.pk),
            report_state=periods.report_state(period, this_period.get(measure.pk), today),
            lead_inference=lead_inferences.get(measure.pk),
        )
        if not sections or sections[-1][0] != measure.section:
            sections.append((measure.section, []))
        sections[-1][1].append(row)
    conflicts = list(
        TargetConflict.objects.filter(policy=policy).select_related("first__measure", "second__measure", "chosen")
    )
    return TaskList(policy=policy, as_of=as_of, period=period, goals=goals, sections=sections, conflicts=conflicts)


def target_progress(user: User, measure: Measure, *, as_of: datetime.date) -> list[Progress]:
    """The measure's targets, including a target stated first elsewhere and restated in this measure."""
    targets = [
        target
        for target in targets_visible_to(user).filter(policy_id=measure.policy_id).order_by("measure__order", "order")
        if target.measure_id == measure.pk
        or any(place.get("measure") == measure.number for place in target.also_stated)
    ]
    progress = compute_progress(targets, as_of=as_of)
    return [progress[target.pk] for target in targets]


def targets_overview(user: User, *, region: Region | None, as_of: datetime.date) -> list[Progress]:
    """Every visible target of `region` and the regions below it, with progress, by region then policy."""
    qs = targets_visible_to(user)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    targets = list(qs.order_by("region__path", "policy_id", "measure__order", "order"))
    progress = compute_progress(targets, as_of=as_of)
    return [progress[target.pk] for target in targets]
