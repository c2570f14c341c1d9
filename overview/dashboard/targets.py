"""The dashboard's targets: the engine's figures (tasks.figures) laid out for leaders, never computed twice.

Cards are grouped by ladder and tier: one row per tier, its targets side by
side by year (2025, final; 2027, in progress). Each card says whether it counts
合计 or 新增, the baseline and both readings where the register falls short of
it (名录不全), the status with its reason, how the figure is computed, and for
a target behind, the way to it (tasks.paths).
"""

import datetime
from collections import OrderedDict
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from overview.dashboard.kept_holdings import kept_holdings
from portal.models import Region, User
from tasks import figures as f
from tasks.paths import fill_paths
from tasks.selectors import targets_visible_to
from tiers.selectors import ladders_with_rungs

PATH_STATUSES = (f.BEHIND, f.AT_RISK)
# One colour language on every chart, page and paper: red is behind or missed (滞后/未达标/逾期).
RED, AMBER, GREEN, BLUE, GREY = "#dc3545", "#ffc107", "#198754", "#0d6efd", "#adb5bd"
STATUS_HEX = {f.ACHIEVED: GREEN, f.ON_TRACK: BLUE, f.AT_RISK: AMBER, f.BEHIND: RED, f.NOT_ACHIEVED: RED}
INFERRED_FIELDS = {"baseline": gettext_lazy("Baseline"), "plan_period": gettext_lazy("Plan period")}
CHART_LABEL_LIMIT = 14


def number(value) -> float | int | None:
    """A figure for JSON: an integer when whole, else a float; None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def how_computed(figure: f.TargetFigure) -> str:
    """One sentence a leader can check the figure against: what is counted, where, on which date."""
    target = figure.target
    values = {
        "region": target.region.name,
        "tiers": "、".join(tier.name for tier in target.tiers.all()) or target.label,
        "date": figure.measured_on.isoformat(),
        "start": figure.start.isoformat() if figure.start else "",
    }
    if figure.basis == f.r.NEW:
        return (
            _(
                "New: enterprises of %(region)s and below holding %(tiers)s on %(date)s that did not hold it on "
                "%(start)s. A renewal, re-certification or review (复核) of a holder is not new."
            )
            % values
        )
    if figure.basis == f.r.TOTAL:
        return (
            _(
                "Total: enterprises of %(region)s and below holding a valid %(tiers)s recognition on %(date)s. A "
                "recognition counts on the days it was valid, even if it expired or was revoked later."
            )
            % values
        )
    if figure.basis == f.r.SHARE:
        return (
            _("Share: holders of %(tiers)s in %(region)s on %(date)s divided by the holders in the whole province.")
            % values
        )
    if figure.basis == f.r.QUALITY:
        return _("Quality figure: computed from the latest yearly figures the holders of %(tiers)s reported.") % values
    if figure.basis == f.r.POOL:
        return _("Pool entries: enterprises of %(region)s entered into the cultivation pool in the year.") % values
    if figure.basis == f.r.LISTED:
        return _("Listed: listed enterprises among the holders of %(tiers)s in %(region)s on %(date)s.") % values
    return figure.reason


def _baseline(figure: f.TargetFigure) -> dict | None:
    baseline = figure.baseline
    if baseline is None:
        return None
    return {
        "value": number(baseline.value),
        "on": baseline.on.isoformat(),
        "source": baseline.source,
        "register_count": baseline.register_count,
        "new_since": baseline.new_since,
        "document_reading": number(baseline.document_reading),
        "register_reading": number(baseline.register_reading),
        "is_register_incomplete": baseline.is_register_incomplete,
        "used": baseline.used,
        "note": baseline.note,
    }


def card_of(figure: f.TargetFigure, *, region: Region) -> dict:
    """A KPI card: the old fields kept, the engine's explanations added."""
    target = figure.target
    label = f"{target.label}（{target.year}）"
    return {
        "key": target.key,
        "region": target.region.name,
        "is_own_region": target.region_id == region.pk,
        "label": label,
        "title": target.label,
        "year": target.year,
        "basis": figure.basis,
        "basis_label": figure.basis_label,
        "basis_text": figure.basis_text,
        "current": number(figure.current),
        # A figure over a region the register does not cover means nothing, today's included.
        "current_today": None if figure.status == f.SCOPE_INCOMPLETE else number(figure.current_today),
        "target": number(target.value),
        "target_max": number(target.value_max),
        "comparator": target.comparator,
        "unit": target.unit,
        "percent": number(figure.percent),
        "bar_percent": figure.bar_percent,
        "expected": number(figure.expected),
        "status": figure.status,
        "status_label": figure.status_label,
        "colour": figure.colour,
        "reason": str(figure.reason),
        "detail": str(figure.detail),
        "final": figure.final,
        "deadline": figure.deadline.isoformat(),
        "measured_on": figure.measured_on.isoformat(),
        "baseline": _baseline(figure),
        "is_register_incomplete": figure.is_register_incomplete,
        "scope_missing": list(figure.coverage.missing) if figure.coverage else [],
        "conflict": (
            {"other_key": figure.conflict.other_key, "explanation": figure.conflict.explanation}
            if figure.conflict
            else None
        ),
        "inferred": [
            str(INFERRED_FIELDS.get(mark.field, mark.field)) for mark in figure.inferences if mark.is_inferred
        ],
        "places": list(figure.places),
        "years": [
            {
                "year": item.year,
                "value": number(item.value),
                "current": number(item.current),
                "status": item.status,
                "status_label": item.status_label,
                "final": item.final,
            }
            for item in figure.years
        ],
        "how": how_computed(figure),
        "path": figure.path,
        "path_url": reverse("dashboard:target-path", args=[target.key]) if figure.path else "",
        "enterprises_url": reverse("dashboard:target-enterprises", args=[target.key]),
        "counted": len(figure.counted),
    }


def region_figures(viewer: User, region: Region, as_of: datetime.date) -> list[f.TargetFigure]:
    """The figures of every target of the region and below, with the way to those behind. A fixed number of queries."""
    targets = list(
        targets_visible_to(viewer)
        .filter(region__path__startswith=region.path)
        .order_by("region__path", "policy_id", "measure__order", "order")
    )
    # The recognitions of regions whose tallies stand are kept between views (kept_holdings).
    figures = f.target_figures(targets, as_of=as_of, holdings=kept_holdings)
    fill_paths(list(figures.values()), as_of=as_of, statuses=PATH_STATUSES)
    return [figures[target.pk] for target in targets]


def _tier_order(region: Region) -> dict[int, tuple[int, str, int]]:
    """Tier id → (ladder rank, ladder name, rung position) for the ladders that apply to the region."""
    order: dict[int, tuple[int, str, int]] = {}
    applicable = [
        ladder
        for ladder in ladders_with_rungs().order_by("code")
        if ladder.region is None
        or region.path.startswith(ladder.region.path)
        or ladder.region.path.startswith(region.path)
    ]
    # Ladders of the region itself first, then the national ones.
    applicable.sort(key=lambda ladder: (ladder.region is None, ladder.code))
    for rank, ladder in enumerate(applicable):
        for rung in ladder.rungs.all():
            order.setdefault(rung.tier_id, (rank, ladder.name, rung.position))
    return order


def card_groups(figures: list[f.TargetFigure], cards: list[dict], region: Region) -> list[dict]:
    """Cards by ladder, then by tier: one row per tier with a column for each target year of the region.

    Returns [{ladder, rows: [{tier, years: [{year, cards: [card index]}]}]}], every row with the same
    years (a year a tier has no target for is an empty column), ladders and tiers in the order the
    documents first name them; targets of no tier (pool quotas, unmeasurable statements) go under
    "Other targets".
    """
    tier_order = _tier_order(region)
    other = _("Other targets")
    all_years = sorted({figure.target.year for figure in figures})
    rows: dict[tuple[str, str], dict] = OrderedDict()
    ladder_first: dict[str, int] = {}
    for index, figure in enumerate(figures):
        tiers = sorted(figure.target.tiers.all(), key=lambda tier: tier_order.get(tier.pk, (99, "", 99)))
        if tiers:
            _rank, ladder, position = tier_order.get(tiers[0].pk, (98, other, 99))
            name = "、".join(tier.name for tier in tiers)
        else:
            ladder, position, name = other, 99, figure.target.label
        ladder_first.setdefault(ladder, index if ladder != other else len(figures))
        row = rows.setdefault((ladder, name), {"tier": name, "position": position, "first": index, "years": {}})
        row["years"].setdefault(figure.target.year, []).append(index)
    groups: dict[str, dict] = OrderedDict()
    for (ladder, _name), row in sorted(
        rows.items(), key=lambda item: (ladder_first[item[0][0]], item[1]["position"], item[1]["first"])
    ):
        group = groups.setdefault(ladder, {"ladder": ladder, "rows": []})
        group["rows"].append(
            {
                "tier": row["tier"],
                "years": [
                    {"year": year, "cards": row["years"].get(year, []), "yearly": _yearly_in(row, year, cards)}
                    for year in all_years
                ],
            }
        )
    return list(groups.values())


def _yearly_in(row: dict, year: int, cards: list[dict]) -> list[dict]:
    """The results for `year` of the row's yearly targets (每年…) that run past it: shown in that year's column."""
    found = []
    for indexes in row["years"].values():
        for index in indexes:
            card = cards[index]
            if card["year"] == year:
                continue
            found += [{"card": index, **result} for result in card["years"] if result["year"] == year]
    return found


def chart_label(card: dict) -> str:
    """A short category label: the tier words cut to fit, the year and 合计/新增, so no two labels collide."""
    title = card["title"]
    if len(title) > CHART_LABEL_LIMIT:
        title = title[: CHART_LABEL_LIMIT - 1] + "…"
    return f"{title}·{card['year']}·{card.get('basis_text') or card['basis_label']}"


# Marked for extraction (makemessages only sees literals in _()); translated when the table is drawn.
ENTERPRISE_COLUMNS = (
    gettext_noop("Enterprise"),
    gettext_noop("Unified social credit code"),
    gettext_noop("Region"),
    gettext_noop("Counted"),
    gettext_noop("Why"),
)


def enterprise_columns() -> list[str]:
    return [_(name) for name in ENTERPRISE_COLUMNS]


def target_enterprises(target, *, as_of: datetime.date) -> tuple[f.TargetFigure, list[list]]:
    """The figure of one target and its enterprises: those counted, then those left out, each with why."""
    from enterprises.models import Enterprise

    figure = f.target_figures([target], as_of=as_of, detail=True)[target.pk]
    listed = [(item, True) for item in figure.counted] + [(item, False) for item in figure.excluded]
    enterprises = Enterprise.objects.select_related("region").in_bulk([item.enterprise_id for item, _c in listed])
    rows = []
    for item, is_counted in listed:
        enterprise = enterprises.get(item.enterprise_id)
        if enterprise is None:
            continue
        rows.append(
            [
                enterprise.name,
                enterprise.credit_code,
                enterprise.region.name,
                _("Counted") if is_counted else _("Not counted"),
                item.reason,
                enterprise.pk,
            ]
        )
    return figure, rows
