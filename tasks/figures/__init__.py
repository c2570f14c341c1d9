"""One definition of every target figure, used by the targets page, the dashboard, briefings, exports, the API and jobs.

    from tasks.figures import target_figures
    figures = target_figures(targets, as_of=date)      # {target id: TargetFigure}

`targets` should come with `region`, `policy`, `measure` and `tiers` loaded
(tasks.selectors.targets_visible_to does this); the register is read in a fixed
number of queries whatever the number of targets. See results.TargetFigure for
the fields and rules.py for the counting rules and their edge cases.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.bulk import fewer_collections
from portal.models import Region
from tasks.figures import results as r
from tasks.figures import rules
from tasks.figures.register import Holding, HoldingsSource, Register, fresh_holdings
from tasks.figures.results import (
    ACHIEVED,
    AT_RISK,
    BEHIND,
    NOT_ACHIEVED,
    NOT_ADOPTED,
    ON_TRACK,
    SCOPE_INCOMPLETE,
    STATUS_COLOURS,
    STATUS_LABELS,
    UNCONFIRMED,
    UNMEASURED,
    BaselineReading,
    ConflictNote,
    Coverage,
    EnterpriseReason,
    InferenceMark,
    RegionCoverage,
    TargetFigure,
    YearResult,
)
from tasks.models import Target, TargetConflict

__all__ = [
    "ACHIEVED",
    "AT_RISK",
    "BEHIND",
    "NOT_ACHIEVED",
    "NOT_ADOPTED",
    "ON_TRACK",
    "PATH_PROVIDERS",
    "SCOPE_INCOMPLETE",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "UNCONFIRMED",
    "UNMEASURED",
    "BaselineReading",
    "ConflictNote",
    "Coverage",
    "EnterpriseReason",
    "InferenceMark",
    "RegionCoverage",
    "TargetFigure",
    "YearResult",
    "attach_paths",
    "target_figures",
]


# Callables `provider(figures: list[TargetFigure], *, user) -> None` that set `figure.path` (the way to a
# target that is behind) — the leader dashboard registers one; tasks cannot import it.
PATH_PROVIDERS: list = []


def attach_paths(figures: Sequence[TargetFigure], *, user) -> None:
    """Let the registered providers fill `path` on the figures that are behind or at risk."""
    for provider in PATH_PROVIDERS:
        provider(list(figures), user=user)


def target_figures(
    targets: Sequence[Target],
    *,
    as_of: datetime.date,
    detail: bool = False,
    holdings: HoldingsSource = fresh_holdings,
) -> dict[int, TargetFigure]:
    """Every target measured on `as_of`, keyed by target id.

    With `detail=True` each figure also lists the enterprises left out and why
    (`excluded`); the counted ones (`counted`) are always listed. `holdings` is
    where the recognitions come from: read now, unless a caller keeps them
    between reads (overview.dashboard.kept_holdings), which must give the same rows.
    """
    targets = list(targets)
    if not targets:
        return {}
    with fewer_collections():  # a province's holdings are tens of thousands of rows (portal.bulk)
        register = Register(targets, as_of=as_of, source=holdings)
        return {target.pk: _measure(target, register, detail) for target in targets}


def _n(value) -> str:
    return rules._n(value)


def _goal(target: Target) -> str:
    """The target as the document states it: "> 3" for 突破 3, "1—2" for a range."""
    text = _n(target.value) + (f"—{_n(target.value_max)}" if target.value_max is not None else "")
    return f"> {text}" if target.comparator == Target.Comparator.MORE_THAN else text


def _measure(target: Target, register: Register, detail: bool) -> TargetFigure:
    as_of = register.as_of
    basis = rules.basis_of(target)
    deadline = rules.year_end(target.year)
    figure = TargetFigure(
        target=target,
        as_of=as_of,
        basis=basis,
        # A yearly target starts afresh every year (see `years`); only a one-off 新增 has one start date.
        start=rules.start_of(target) if basis == r.NEW and target.kind != Target.Kind.YEARLY else None,
        deadline=deadline,
        final=as_of > deadline,
        current=None,
        places=rules.places_of(target),
        conflict=rules.conflict_note(register, target),
        inferences=rules.inference_marks(register, target),
    )
    if basis == r.NONE:
        figure.reason = target.unmeasured_reason or _("The register cannot measure this statement.")
        return figure
    figure.coverage = rules.coverage_of(register, target)
    counted = _yearly(figure, register) if target.kind == Target.Kind.YEARLY else _cumulative(figure, register)
    figure.counted = _counted_reasons(figure, register, counted)
    if detail:
        figure.excluded = _excluded_reasons(figure, register, set(counted))
    figure.breakdown = _breakdown(target, counted, register)
    _apply_decisions(figure)
    return figure


def _cumulative(figure: TargetFigure, register: Register) -> Mapping[int, str]:
    target, basis, on = figure.target, figure.basis, figure.measured_on
    current, counted = rules.figure_on(register, target, basis, on)
    if figure.final:
        figure.current_today = rules.figure_on(register, target, basis, figure.as_of)[0]
    figure.baseline = rules.baseline_reading(register, target, on)
    if figure.baseline is not None and figure.baseline.used == "document":
        current = figure.baseline.document_reading
    figure.current = current
    if basis == r.SHARE:
        province = register.provinces[target.pk]
        figure.detail = _("%(region)s %(count)s of %(province)s %(total)s") % {
            "region": target.region.name,
            "count": len(counted),
            "province": province.name,
            "total": len(register.holders(target, on, path=province.path)),
        }
    if basis == r.QUALITY:
        _value, reported, holders = rules.quality_detail(register, target, on)
        figure.detail = _("%(reported)s of %(holders)s holders reported figures for %(year)s") % {
            "reported": reported,
            "holders": holders,
            "year": on.year - 1,
        }
    if current is None:
        figure.status = UNMEASURED
        figure.reason = _("No figures reported yet.")
    elif figure.final:
        figure.status = ACHIEVED if rules.meets(target, current) else NOT_ACHIEVED
        params = {"date": on.isoformat(), "current": _n(current), "value": _goal(target)}
        if target.comparator == Target.Comparator.MORE_THAN and figure.status == NOT_ACHIEVED:
            # 突破 3: reaching 3 is not enough, and "3 against > 3" reads like a success.
            params["value"] = _n(target.value)
            figure.reason = _("Final at %(date)s: %(current)s; more than %(value)s needed, missed.") % params
        else:
            figure.reason = (
                _("Final at %(date)s: %(current)s against %(value)s, met.")
                if figure.status == ACHIEVED
                else _("Final at %(date)s: %(current)s against %(value)s, missed.")
            ) % params
    elif basis == r.QUALITY:
        _judge_quality(figure)
    else:
        _judge_paced(figure, register)
    return counted


def _judge_paced(figure: TargetFigure, register: Register) -> None:
    target = figure.target
    if figure.basis == r.NEW:
        first, base = figure.start + rules.ONE_DAY, Decimal(0)
    else:
        first = target.policy.plan_start or datetime.date(target.year, 1, 1)
        if figure.basis == r.SHARE:
            base = rules.figure_on(register, target, r.SHARE, first)[0] or Decimal(0)
        elif target.baseline is not None:
            base = target.baseline
        else:
            base = rules.figure_on(register, target, figure.basis, first)[0] or Decimal(0)
    figure.start_value = base
    figure.status, figure.expected = rules.paced_status(
        target, figure.current, base=base, first=first, last=figure.deadline, on=figure.as_of
    )
    params = {"current": _n(figure.current), "value": _goal(target), "expected": _n(figure.expected)}
    if figure.status == ACHIEVED:
        figure.reason = _("%(current)s reached the target of %(value)s.") % params
    else:
        figure.reason = _("%(current)s now; %(expected)s expected by today on a steady pace to %(value)s.") % params


def _judge_quality(figure: TargetFigure) -> None:
    target, current = figure.target, figure.current
    params = {"current": _n(current), "value": _goal(target)}
    if rules.meets(target, current):
        figure.status = ACHIEVED
    elif current >= target.value * rules.QUALITY_AT_RISK_SHARE:
        figure.status = AT_RISK
    else:
        figure.status = BEHIND
    figure.reason = _("%(current)s now against %(value)s.") % params


def _yearly(figure: TargetFigure, register: Register) -> dict[int, str]:
    target = figure.target
    figure.years = rules.yearly_results(register, target)
    if not figure.years:
        figure.status, figure.reason = UNMEASURED, _("The plan period has not started.")
        return {}
    latest = figure.years[-1]
    figure.current, figure.expected, figure.start_value = latest.current, latest.expected, Decimal(0)
    missed = [str(year.year) for year in figure.years if year.final and year.status == NOT_ACHIEVED]
    if figure.final:
        figure.status = NOT_ACHIEVED if missed else ACHIEVED
    else:
        figure.status = latest.status
    figure.reason = _("%(year)s: %(current)s against %(value)s a year.") % {
        "year": latest.year,
        "current": _n(latest.current),
        "value": _goal(target),
    }
    if missed:
        figure.reason += " " + _("Missed in %(years)s.") % {"years": "、".join(missed)}
    day = min(figure.as_of, rules.year_end(latest.year))
    _count, ids = rules.year_count(register, target, latest.year, day)
    paths = register.holders(target, day)
    return {pk: paths.get(pk, target.region.path) for pk in ids}


def _apply_decisions(figure: TargetFigure) -> None:
    """A contradiction or a register that misses part of the scope outranks any progress status."""
    conflict, target = figure.conflict, figure.target
    if conflict is not None and conflict.state != TargetConflict.State.CHOSEN:
        figure.status = UNCONFIRMED
        figure.reason = _("Contradicts %(other)s (%(explanation)s); an administrator has to confirm which holds.") % {
            "other": _n(conflict.other_value) + target.unit,
            "explanation": conflict.explanation,
        }
        if conflict.reason:
            figure.reason += " " + conflict.reason
        return
    if conflict is not None and conflict.chosen_key != target.key:
        figure.status = NOT_ADOPTED
        figure.reason = _("An administrator adopted %(other)s instead: %(reason)s") % {
            "other": _n(conflict.other_value) + target.unit,
            "reason": conflict.reason,
        }
        return
    if figure.coverage is not None and not figure.coverage.is_complete:
        figure.status = SCOPE_INCOMPLETE
        if figure.basis == r.SHARE:
            # A share over a province the register does not cover is no figure at all, today or at the deadline.
            figure.current = figure.current_today = None
            # Nor is the province's count: "青海省共 71 家" would be 西宁 divided by itself again.
            figure.detail = _("%(region)s %(count)s; the province's total is not known") % {
                "region": target.region.name,
                "count": len(figure.counted),
            }
        figure.reason = _("Data scope incomplete: the register holds no enterprises of %(regions)s.") % {
            "regions": "、".join(figure.coverage.missing)
        }


def _counted_reasons(figure: TargetFigure, register: Register, counted: Mapping[int, str]) -> r.SameReasons:
    if figure.basis == r.NEW or figure.target.kind == Target.Kind.YEARLY:
        text = _("Did not hold the tier at the start date; holds it on the date measured.")
        return r.SameReasons(counted.keys(), "new", text)
    text = _("Holds a valid recognition on the date measured.")
    return r.SameReasons(counted.keys(), "holds", text)


def _excluded_reasons(figure: TargetFigure, register: Register, counted: set[int]) -> list[EnterpriseReason]:
    on, reasons = figure.measured_on, []
    start = figure.start
    if figure.target.kind == Target.Kind.YEARLY and figure.years:
        start = datetime.date(figure.years[-1].year, 1, 1) - rules.ONE_DAY
    for pk, rows in sorted(register.holdings_of(figure.target).items()):
        if pk in counted:
            continue
        reasons.append(_why_excluded(pk, rows, on, start))
    return reasons


def _why_excluded(pk: int, rows: list[Holding], on: datetime.date, start: datetime.date | None) -> EnterpriseReason:
    if start is not None and any(row.valid_on(start) for row in rows) and any(row.valid_on(on) for row in rows):
        return EnterpriseReason(
            pk,
            "held_at_start",
            _("Already held the tier on %(date)s: a renewal, re-certification or review is not new.")
            % {"date": start.isoformat()},
        )
    if all(row.recognized_on > on for row in rows):
        return EnterpriseReason(pk, "not_yet", _("Recognised after %(date)s.") % {"date": on.isoformat()})
    revoked = [row for row in rows if row.status == "revoked" and row.recognized_on <= on]
    if revoked:
        when = max((row.revoked_on for row in revoked if row.revoked_on), default=None)
        return EnterpriseReason(
            pk, "revoked", _("Recognition revoked on %(date)s.") % {"date": when.isoformat() if when else "—"}
        )
    ended = max((row.valid_until for row in rows if row.valid_until and row.valid_until < on), default=None)
    return EnterpriseReason(
        pk, "expired", _("Recognition expired on %(date)s.") % {"date": ended.isoformat() if ended else "—"}
    )


def _breakdown(target: Target, counted: Mapping[int, str], register: Register) -> list[tuple[Region, int]]:
    children = [c for c in register.children.get(target.region_id, []) if c.parent_id == target.region_id]
    if not children or not counted:
        return []
    # Counted per region first: a few dozen regions to cut down to their child, not every enterprise.
    child_length = len(target.region.path) + 6
    per_child: dict[str, int] = defaultdict(int)
    for path, count in Counter(counted.values()).items():
        per_child[path[:child_length]] += count
    return [(child, per_child.get(child.path, 0)) for child in children]
