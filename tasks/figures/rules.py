"""The counting rules: 合计 on a date, 新增 since a date, deadlines, yearly results, baselines, scope and conflicts.

Decisions on the edge cases of 新增 (docs/targets.md says the same to users):

- Holding means holding *any* of the target's tiers. A renewal, a
  re-certification or a 复核 of an enterprise that held the tier at the start
  date is not new, whatever its new recognition date.
- A lapse then a re-recognition: new only if the enterprise held no valid
  recognition on the start date; a lapse inside the period does not make it new.
- A higher rung of the same ladder: new for a target of that rung alone; not
  new for a target that spans both rungs (专精特新 = 中小企业 + 小巨人) when the
  enterprise already held the lower rung at the start date.
- An enterprise that moved county is counted where it is registered now, on
  every date (the register keeps no history of moves), so a move is never new
  and never a loss of its region's figure.
"""

import datetime
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tasks.figures import results as r
from tasks.figures.register import Register
from tasks.models import Target

AT_RISK_SHARE = Decimal("0.8")
QUALITY_AT_RISK_SHARE = Decimal("0.9")
ONE_DAY = datetime.timedelta(days=1)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _n(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def basis_of(target: Target) -> str:
    metric, kind = target.metric, target.kind
    if metric == Target.Metric.UNMEASURED:
        return r.NONE
    if metric == Target.Metric.PROVINCE_SHARE:
        return r.SHARE
    if metric in (Target.Metric.RD_RATIO, Target.Metric.DIGITAL_SHARE):
        return r.QUALITY
    if metric == Target.Metric.POOL_ENTRIES:
        return r.POOL
    if metric == Target.Metric.LISTED:
        return r.LISTED
    return r.NEW if kind in (Target.Kind.NEW, Target.Kind.YEARLY) else r.TOTAL


def start_of(target: Target) -> datetime.date | None:
    """The start date of a 新增 count, and the date a document's baseline describes.

    "再培育 N by 2027" (since_year 2025) counts from 2025-12-31; otherwise the day
    before the plan starts (中卫: 2022-12-31, "the end of 2022").
    """
    if target.since_year:
        return year_end(target.since_year)
    if target.policy.plan_start:
        return target.policy.plan_start - ONE_DAY
    return year_end(target.year - 1)


def baseline_date(target: Target) -> datetime.date:
    """The date a document's baseline describes: the day before the plan starts ("现有", the end of 2022)."""
    if target.policy.plan_start:
        return target.policy.plan_start - ONE_DAY
    return year_end(target.year - 1)


def meets(target: Target, value: Decimal) -> bool:
    return value > target.value if target.comparator == Target.Comparator.MORE_THAN else value >= target.value


def new_holders(register: Register, target: Target, start: datetime.date, day: datetime.date) -> dict[int, str]:
    """Holders on `day` who did not hold any of the target's tiers on `start`."""
    held = register.holders(target, start)
    return {pk: path for pk, path in register.holders(target, day).items() if pk not in held}


def paced_status(
    target: Target, current: Decimal, *, base: Decimal, first: datetime.date, last: datetime.date, on: datetime.date
) -> tuple[str, Decimal]:
    """Status of a running period: linear pace from `base` on `first` to the target value on `last`."""
    span = (last - first).days or 1
    fraction = Decimal(min(max((on - first).days, 0), span)) / Decimal(span)
    expected = (base + (target.value - base) * fraction).quantize(r.TENTH, ROUND_HALF_UP)
    if meets(target, current):
        return r.ACHIEVED, expected
    if current >= expected:
        return r.ON_TRACK, expected
    if current - base >= (expected - base) * AT_RISK_SHARE:
        return r.AT_RISK, expected
    return r.BEHIND, expected


def figure_on(register: Register, target: Target, basis: str, day: datetime.date) -> tuple[Decimal | None, Mapping]:
    """The figure of a cumulative basis on a day, and the enterprises it counts (id → path)."""
    if basis == r.TOTAL:
        counted = register.holders(target, day)
        return Decimal(len(counted)), counted
    if basis == r.NEW:
        counted = new_holders(register, target, start_of(target), day)
        return Decimal(len(counted)), counted
    if basis == r.LISTED:
        holders = register.holders(target, day)
        return Decimal(register.listed(holders)), holders
    if basis == r.SHARE:
        counted = register.holders(target, day)
        total = len(register.holders(target, day, path=register.provinces[target.pk].path))
        share = (Decimal(len(counted)) * r.ONE_HUNDRED / total).quantize(r.TENTH) if total else None
        return share, counted
    if basis == r.QUALITY:
        return quality_on(register, target, day), register.holders(target, day)
    return None, {}


def quality_on(register: Register, target: Target, day: datetime.date) -> Decimal | None:
    return quality_detail(register, target, day)[0]


def quality_detail(register: Register, target: Target, day: datetime.date) -> tuple[Decimal | None, int, int]:
    """(figure, holders that reported, holders) from the holders' figures of the year before `day`."""
    holders = register.holders(target, day)
    figures = [v for pk, v in register.indicators(day.year - 1).items() if pk in holders]
    if target.metric == Target.Metric.RD_RATIO:
        ratios = [rd * r.ONE_HUNDRED / revenue for rd, revenue, _level in figures if rd is not None and revenue]
        value = (sum(ratios) / len(ratios)).quantize(r.TENTH) if ratios else None
        return value, len(ratios), len(holders)
    levels = [level for _rd, _revenue, level in figures if level is not None]
    if not levels:
        return None, 0, len(holders)
    share = (Decimal(sum(1 for level in levels if level >= 2)) * r.ONE_HUNDRED / len(levels)).quantize(r.TENTH)
    return share, len(levels), len(holders)


# --- yearly targets --------------------------------------------------------------------------


def plan_years(target: Target) -> range:
    first = target.policy.plan_start.year if target.policy.plan_start else target.year
    return range(first, target.year + 1)


def year_count(register: Register, target: Target, year: int, day: datetime.date) -> tuple[Decimal, set[int]]:
    """New in `year` up to `day`: pool entries of the year, or holders not holding at the end of the year before."""
    first = datetime.date(year, 1, 1)
    if target.metric == Target.Metric.POOL_ENTRIES:
        ids = register.pool_entered(target, first, day)
    else:
        ids = set(new_holders(register, target, first - ONE_DAY, day))
    return Decimal(len(ids)), ids


def yearly_results(register: Register, target: Target) -> list[r.YearResult]:
    as_of = register.as_of
    results = []
    for year in plan_years(target):
        first, last = datetime.date(year, 1, 1), year_end(year)
        if first > as_of:
            break
        current, _ids = year_count(register, target, year, min(as_of, last))
        if as_of > last:
            status = r.ACHIEVED if meets(target, current) else r.NOT_ACHIEVED
            results.append(r.YearResult(year, target.value, target.value_max, current, status, True))
        else:
            status, expected = paced_status(target, current, base=Decimal(0), first=first, last=last, on=as_of)
            results.append(r.YearResult(year, target.value, target.value_max, current, status, False, expected))
    return results


# --- baselines --------------------------------------------------------------------------------


def baseline_reading(register: Register, target: Target, day: datetime.date) -> r.BaselineReading | None:
    if target.baseline is None or target.metric != Target.Metric.HOLDERS or target.kind == Target.Kind.YEARLY:
        return None
    on = baseline_date(target)
    at_start = register.holders(target, on)
    now = register.holders(target, day)
    new_since = sum(1 for pk in now if pk not in at_start)
    incomplete = len(at_start) < target.baseline
    document_reading = target.baseline + new_since
    if document_reading == document_reading.to_integral():
        document_reading = document_reading.quantize(Decimal(1))
    used = "document" if incomplete and basis_of(target) == r.TOTAL else "register"
    if incomplete:
        note = _(
            "Register incomplete: the document implies %(baseline)s at %(date)s, the register holds %(count)s."
        ) % {
            "baseline": _n(target.baseline),
            "date": on.isoformat(),
            "count": len(at_start),
        }
    else:
        note = _("The register holds %(count)s at %(date)s, the document's baseline is %(baseline)s.") % {
            "baseline": _n(target.baseline),
            "date": on.isoformat(),
            "count": len(at_start),
        }
    return r.BaselineReading(
        value=target.baseline,
        source=target.baseline_source or "stated",
        on=on,
        rule=target.derivation,
        register_count=len(at_start),
        new_since=new_since,
        document_reading=document_reading,
        register_reading=Decimal(len(now)),
        is_register_incomplete=incomplete,
        used=used,
        note=note,
    )


# --- coverage, conflicts, inferences ------------------------------------------------------------


def coverage_of(register: Register, target: Target) -> r.Coverage:
    regions = []
    for region in register.coverage_regions(target):
        count, last = register.coverage_rows.get(region.path, (0, None))
        regions.append(r.RegionCoverage(region.pk, region.name, count, last))
    return r.Coverage(regions)


def conflict_note(register: Register, target: Target) -> r.ConflictNote | None:
    conflicts = register.conflicts.get(target.pk, [])
    if not conflicts:
        return None
    conflict = conflicts[0]
    other = conflict.second if conflict.first_id == target.pk else conflict.first
    return r.ConflictNote(
        conflict_id=conflict.pk,
        other_key=other.key,
        other_value=other.value,
        explanation=conflict.explanation,
        state=conflict.state,
        chosen_key=conflict.chosen.key if conflict.chosen_id else None,
        reason=conflict.reason,
        version=conflict.version,
    )


def inference_marks(register: Register, target: Target) -> list[r.InferenceMark]:
    rows = register.inferences.get(("target", target.pk), []) + register.inferences.get(
        ("policy", target.policy_id), []
    )
    if target.baseline_source == Target.BaselineSource.DERIVED and target.measure_id:
        # A task's derived baseline is one inference shared by the task's targets.
        rows += [row for row in register.inferences.get(("measure", target.measure_id), []) if row.field == "baseline"]
    return [r.InferenceMark(row.pk, row.field, row.value, row.rule, row.state, row.version) for row in rows]


def places_of(target: Target) -> list[str]:
    def place(measure: str | None) -> str:
        return _("Measure %(number)s") % {"number": measure} if measure else _("Overall goals")

    first = place(target.measure.number if target.measure_id else None)
    return [first] + [place(item.get("measure")) for item in target.also_stated]
