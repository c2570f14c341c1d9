"""Reads of policies, tasks, targets, reports and visits, always scoped to the user."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.models import Region, User
from portal.selectors import scope_filter
from tasks import periods
from tasks.models import (
    Inference,
    LeaderComment,
    Measure,
    MeasureUnit,
    Policy,
    ServiceVisit,
    Target,
    TargetConflict,
    TaskReport,
)
from tasks.progress import Progress, compute_progress
from tiers.models import PoolEntry, Recognition

CULTIVATED_TIERS = ("innovative-sme", "srdi-sme", "little-giant")


def _unit_links() -> Prefetch:
    return Prefetch(
        "unit_links",
        queryset=MeasureUnit.objects.select_related("department__region").order_by("order"),
        to_attr="prefetched_unit_links",
    )


def policies_visible_to(user: User) -> QuerySet[Policy]:
    """See permissions.can_view_policy: the same rule as a queryset."""
    qs = Policy.objects.select_related("region")
    if user.is_liaison:
        if user.department_id is None:
            return qs.none()
        return qs.filter(
            Exists(MeasureUnit.objects.filter(measure__policy=OuterRef("pk"), department_id=user.department_id))
        )
    scope = user.scope_path
    if scope is None:
        return qs.none()
    if scope == "":
        return qs
    carried = MeasureUnit.objects.filter(measure__policy=OuterRef("pk"), department__region__path__startswith=scope)
    # The documents of the jurisdictions above the user (their city's, their province's) bind them too.
    above = Q(region_id__in=user.region.ancestors_and_self) if user.region is not None else Q(pk__in=[])
    return qs.filter(Q(region__path__startswith=scope) | above | Exists(carried))


def measures_visible_to(user: User) -> QuerySet[Measure]:
    qs = Measure.objects.select_related("policy__region").prefetch_related(_unit_links())
    if user.is_liaison:
        if user.department_id is None:
            return qs.none()
        return qs.filter(Exists(MeasureUnit.objects.filter(measure=OuterRef("pk"), department_id=user.department_id)))
    return qs.filter(policy__in=policies_visible_to(user))


def targets_visible_to(user: User) -> QuerySet[Target]:
    """Targets of visible policies whose region lies in the user's scope (a liaison: of their tasks' policies)."""
    qs = Target.objects.select_related("region", "policy", "measure").prefetch_related("tiers")
    qs = qs.filter(policy__in=policies_visible_to(user))
    return qs if user.is_liaison else qs.filter(scope_filter(user))


def policy_for(user: User, pk: int) -> Policy | None:
    return policies_visible_to(user).filter(pk=pk).first()


def measure_for(user: User, pk: int) -> Measure | None:
    return measures_visible_to(user).filter(pk=pk).first()


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


def inferences_for(objects, *, field: str) -> dict[int, Inference]:
    """Object id → the loader's inference of `field` about it (one query), for objects of one model."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    rows = Inference.objects.filter(content_type=content_type, object_id__in=[obj.pk for obj in objects], field=field)
    return {row.object_id: row for row in rows}


def conflicts_visible_to(user: User) -> QuerySet[TargetConflict]:
    """Contradictions in the policies the user can see, open ones first."""
    return (
        TargetConflict.objects.filter(policy__in=policies_visible_to(user))
        .select_related("policy__region", "first__measure", "second__measure", "chosen", "decided_by")
        .order_by("-state", "policy_id", "pk")
    )


def conflict_for(user: User, pk: int) -> TargetConflict | None:
    return conflicts_visible_to(user).filter(pk=pk).first()


@dataclass
class InferenceRow:
    inference: Inference
    subject: object
    policy: Policy
    what: str
    shown: str


def inferences_visible_to(user: User) -> list[InferenceRow]:
    """What the loader inferred in the policies the user can see, each with its object and a readable value.

    A fixed number of queries: the inferences, then each kind of object they are about.
    """
    policies = {policy.pk: policy for policy in policies_visible_to(user)}
    types = {model: ContentType.objects.get_for_model(model) for model in (Policy, Measure, Target)}
    measures = {m.pk: m for m in Measure.objects.filter(policy_id__in=policies).prefetch_related(_unit_links())}
    targets = {t.pk: t for t in Target.objects.filter(policy_id__in=policies).select_related("measure")}
    subjects: dict[int, dict[int, Policy | Measure | Target]] = {
        types[Policy].pk: dict(policies),
        types[Measure].pk: dict(measures),
        types[Target].pk: dict(targets),
    }
    rows = []
    for inference in Inference.objects.filter(content_type__in=types.values()).order_by("pk"):
        subject = subjects.get(inference.content_type_id, {}).get(inference.object_id)
        if subject is None:
            continue
        policy = subject if isinstance(subject, Policy) else policies[subject.policy_id]
        rows.append(InferenceRow(inference, subject, policy, *_describe(inference, subject)))
    return rows


def _describe(inference: Inference, subject) -> tuple[str, str]:
    if inference.field == "lead_unit":
        names = {link.department_id: link.department.name for link in subject.prefetched_unit_links}
        return _("Lead unit of task %(number)s") % {"number": subject.number}, names.get(inference.value, "—")
    if inference.field == "baseline":
        return _("Baseline of task %(number)s") % {"number": subject.number}, str(inference.value)
    if inference.field == "plan_period" and inference.value:
        return _("Plan period"), " – ".join(inference.value)
    return inference.field, str(inference.value)


def inference_for(user: User, pk: int) -> InferenceRow | None:
    return next((row for row in inferences_visible_to(user) if row.inference.pk == pk), None)


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


# --- Service follow-up ----------------------------------------------------------------


def visits_visible_to(user: User) -> QuerySet[ServiceVisit]:
    qs = ServiceVisit.objects.select_related("enterprise__region", "commissioner")
    if user.is_staff_member or user.is_leader or user.is_admin:
        return qs.filter(Q(scope_filter(user, "enterprise__region")) | Q(commissioner=user))
    return qs.filter(commissioner=user)


def visitable_enterprises(user: User) -> QuerySet[Enterprise]:
    """Enterprises the user may log a visit to: those of their scope and those they are commissioner of."""
    return Enterprise.objects.filter(Q(scope_filter(user)) | Q(service_commissioner=user))


def cultivated_enterprises(user: User, *, on: datetime.date) -> QuerySet[Enterprise]:
    """Enterprises in an open pool entry or holding a valid 专精特新-ladder recognition, in the user's scope."""
    in_pool = PoolEntry.objects.filter(enterprise=OuterRef("pk"), left_at__isnull=True)
    holding = Recognition.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        enterprise=OuterRef("pk"),
        status=Recognition.Status.VALID,
        tier__code__in=CULTIVATED_TIERS,
        recognized_on__lte=on,
    )
    return (
        Enterprise.objects.filter(scope_filter(user))
        .filter(Exists(in_pool) | Exists(holding))
        .select_related("region", "service_commissioner")
    )


@dataclass
class VisitTally:
    name: str
    enterprises: int = 0
    visited: int = 0
    missed_names: list[str] = field(default_factory=list)

    @property
    def is_met(self) -> bool:
        return self.enterprises > 0 and self.visited == self.enterprises

    @property
    def missed(self) -> int:
        return self.enterprises - self.visited


def quarterly_visit_compliance(user: User, *, quarter: periods.Period) -> tuple[list[VisitTally], list[VisitTally]]:
    """博州's rule — every cultivated enterprise visited at least once a quarter — per county and per commissioner.

    Two queries: the cultivated enterprises and the enterprises visited in the quarter.
    """
    enterprises = list(cultivated_enterprises(user, on=quarter.end))
    visited = set(
        ServiceVisit.objects.filter(
            enterprise_id__in=[e.pk for e in enterprises], visited_on__gte=quarter.start, visited_on__lte=quarter.end
        ).values_list("enterprise_id", flat=True)
    )
    by_region: dict[str, VisitTally] = {}
    by_commissioner: dict[str, VisitTally] = {}
    for enterprise in enterprises:
        commissioner = str(enterprise.service_commissioner) if enterprise.service_commissioner else "—"
        for tallies, name in ((by_region, enterprise.region.name), (by_commissioner, commissioner)):
            tally = tallies.setdefault(name, VisitTally(name=name))
            tally.enterprises += 1
            if enterprise.pk in visited:
                tally.visited += 1
            else:
                tally.missed_names.append(enterprise.name)
    return sorted(by_region.values(), key=lambda t: t.name), sorted(by_commissioner.values(), key=lambda t: t.name)
