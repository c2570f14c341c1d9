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
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enterprises.selectors import enterprises_visible_to
from incentives.models import Payment
from incentives.selectors import NOT_OWED, payment_list, shares_visible_to
from overview.dashboard import tallies
from overview.dashboard.targets import (
    AMBER,
    GREEN,
    GREY,
    RED,
    STATUS_HEX,
    card_groups,
    card_of,
    chart_label,
    region_figures,
)
from portal.cache import FIGURES, versioned_read
from portal.models import DashboardSnapshot, Region, Role, User
from portal.selectors import regions_visible_to
from tasks import periods
from tasks.models import MeasureUnit
from tasks.progress import STATUS_RULE
from tasks.selectors import inferences_for, measures_visible_to
from tiers.applications.selectors import WAITING_STATES, applications_visible_to, recognitions_visible_to
from tiers.models import Recognition, Verdict
from tiers.selectors import EligibilityFilters, PoolFilters, eligibility_results, ladders_with_rungs, pool_entries

STUCK_LIMIT = 10
TREND_MONTHS = 12
MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0")


def viewer_for(region: Region) -> User:
    """An unsaved leader of `region`: the domain selectors then return exactly that region's data.

    Building the figures through a leader of the region, rather than the person
    looking, makes the dashboard and a briefing of the same region and date agree
    whoever asked (a finance officer's selectors would show only their funder).
    """
    return User(username="dashboard", role=Role.LEADER, region=region)


def day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def recognition_valid_on(day: datetime.date, prefix: str = "") -> Q:
    """Held on `day`: granted by then, not yet past its validity, not revoked by then.

    An expired recognition counts for the days it was valid, and a revoked one
    until the day of revocation, so a past date gives the same count later.
    """
    p = prefix
    return (
        Q(**{f"{p}recognized_on__lte": day})
        & (Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": day}))
        & (
            Q(**{f"{p}status__in": [Recognition.Status.VALID, Recognition.Status.EXPIRED]})
            | Q(**{f"{p}status": Recognition.Status.REVOKED, f"{p}revoked_on__gt": day})
        )
    )


def pool_open_on(day: datetime.date) -> Q:
    end = day_end(day)
    return Q(entered_at__lt=end) & (Q(left_at__isnull=True) | Q(left_at__gte=end))


def submitted_in_year_by(day: datetime.date) -> Q:
    """Applications submitted in `day`'s year up to `day`."""
    start = timezone.make_aware(datetime.datetime(day.year, 1, 1))
    return Q(submitted_at__gte=start, submitted_at__lt=day_end(day))


def _money(value) -> float:
    return float((value or ZERO).quantize(Decimal("0.01")))


def section(key: str, title: str, columns: list[str], rows: list[list], **extra) -> dict:
    return {"key": key, "title": title, "columns": columns, "rows": rows, "chart": None, "note": "", **extra}


# --- Targets ---------------------------------------------------------------------------


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


def money_section(viewer: User, region: Region, as_of: datetime.date) -> dict:
    """Per funder: rewards owed to beneficiaries of the region (triggered by the date) against what was paid by then.

    Owed leaves out cancelled shares and those being clawed back (incentives.selectors.NOT_OWED);
    paid is payments less clawbacks dated on or before the day.
    """
    path = region.path
    owed_rows = (
        shares_visible_to(viewer)
        .filter(entitlement__beneficiary_region__path__startswith=path, entitlement__trigger_date__lte=as_of)
        .exclude(status__in=NOT_OWED)
        .values("funder_region_id", "funder_region__name", "funder_region__path")
        .annotate(owed=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))
        .order_by()
    )
    signed = Case(When(kind=Payment.Kind.CLAWBACK, then=-F("amount")), default=F("amount"), output_field=MONEY)
    paid_rows = (
        payment_list(viewer)
        .filter(paid_on__lte=as_of, share__entitlement__beneficiary_region__path__startswith=path)
        .values("share__funder_region_id", "share__funder_region__name", "share__funder_region__path")
        .annotate(paid=Coalesce(Sum(signed), Value(ZERO), output_field=MONEY))
        .order_by()
    )
    funders: dict[int, dict] = {}
    for row in owed_rows:
        funders[row["funder_region_id"]] = {
            "name": row["funder_region__name"],
            "path": row["funder_region__path"],
            "owed": row["owed"],
            "paid": ZERO,
        }
    for row in paid_rows:
        funder = funders.setdefault(
            row["share__funder_region_id"],
            {"name": row["share__funder_region__name"], "path": row["share__funder_region__path"], "owed": ZERO},
        )
        funder["paid"] = row["paid"]
    rows = [
        [funder["name"], _money(funder["owed"]), _money(funder["paid"]), _money(funder["owed"] - funder["paid"])]
        for funder in sorted(funders.values(), key=lambda item: item["path"])
    ]
    columns = [_("Funder"), _("Owed (10k yuan)"), _("Paid (10k yuan)"), _("Outstanding (10k yuan)")]
    return section("money", _("Rewards owed and paid"), columns, rows, chart={"type": "bar", "x": 0, "series": [1, 2]})


# --- Tasks -----------------------------------------------------------------------------

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
