"""What the targets will cost: if every target is met on schedule, how much each funder pays each year.

A target says how many enterprises should hold a tier by a year; the forecast
turns that into new recognitions per year and prices each under the reward
rules of its region. Every simplification is written into `ASSUMPTIONS` and
shown beside the numbers.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incentives.models import FunderLevel, RewardRule, Trigger
from incentives.permissions import funder_region_id_of, is_finance_user
from portal.models import Region, User
from portal.selectors import scope_filter
from tasks.models import Target
from tiers.models import Recognition, Tier

FORECAST_YEARS = (2025, 2026, 2027)
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
COUNTABLE_KINDS = (Target.Kind.NEW, Target.Kind.TOTAL, Target.Kind.RANGE, Target.Kind.YEARLY)

ASSUMPTIONS = [
    gettext_lazy(
        "Each target is met exactly, no more: a range (1—2 户) at its lower end, a yearly rate at its stated figure."
    ),
    gettext_lazy(
        "New recognitions a target needs are spread evenly over the years from the plan start (or the year after "
        "“再培育” counts from) to the target year."
    ),
    gettext_lazy(
        "A total target needs its value minus the holders at the plan start (or the baseline the document states); "
        "a later total of the same tier needs only the increase over the earlier one."
    ),
    gettext_lazy("Where a tier has “新增” targets, its total targets are not counted again."),
    gettext_lazy(
        "A target naming several tiers is costed at the tier that has no target of its own, after subtracting the "
        "targets of the others (专精特新 80 户 including 小巨人 10 户 → 70 专精特新 at most)."
    ),
    gettext_lazy(
        "Every reward capped by “不高于” is paid at its cap; a top-up that requires another tier assumes it is held."
    ),
    gettext_lazy("County and park shares are shown as one line per city: where the enterprises will sit is not known."),
    gettext_lazy("Rewards paid the year after the achievement (西宁 升规) fall in the following budget year."),
]


@dataclass
class Expectation:
    """New recognitions of a tier a target implies in a region in a year."""

    target: Target
    region: Region
    tier: Tier
    year: int
    count: Decimal
    explanation: str


@dataclass
class CostLine:
    rule: RewardRule
    funder_key: tuple[str, int]
    funder_label: str
    budget_year: int
    count: Decimal
    per_recognition: Decimal
    amount: Decimal


@dataclass
class Forecast:
    years: tuple[int, ...]
    rows: list[tuple[str, dict[int, Decimal]]] = field(default_factory=list)
    totals: dict[int, Decimal] = field(default_factory=dict)
    expectations: list[Expectation] = field(default_factory=list)
    lines: list[CostLine] = field(default_factory=list)
    skipped: list[tuple[Target, str]] = field(default_factory=list)
    assumptions: list = field(default_factory=lambda: list(ASSUMPTIONS))


def _nearest(region: Region, regions: dict[int, Region], kind: str) -> Region | None:
    for pk in reversed(region.ancestors_and_self):
        node = regions.get(pk)
        if node is not None and node.kind == kind:
            return node
    return None


def _funder(level: str, region: Region, regions: dict[int, Region]) -> tuple[tuple[str, int], str]:
    if level == FunderLevel.PROVINCE:
        node = _nearest(region, regions, Region.Kind.PROVINCE) or region
        return (level, node.pk), node.name
    city = _nearest(region, regions, Region.Kind.CITY) or region
    if level == FunderLevel.CITY:
        return (level, city.pk), city.name
    # The counties as one payer: a name of governments, so data, in Chinese.
    return (level, city.pk), f"{city.name}各县区（园区）"


def cost_of_new_recognitions(
    *,
    region: Region,
    tier: Tier,
    year: int,
    expected_new: Decimal,
    rules: list[RewardRule] | None = None,
    regions: dict[int, Region] | None = None,
) -> list[CostLine]:
    """What `expected_new` new recognitions of `tier` in `region` during `year` cost, per funder and budget year."""
    regions = regions if regions is not None else {node.pk: node for node in Region.objects.all()}
    if rules is None:
        rules = list(
            RewardRule.objects.filter(
                is_active=True, is_monetary=True, trigger__in=(Trigger.RECOGNITION, Trigger.ABOVE_SCALE)
            )
            .select_related("region")
            .prefetch_related("funders")
        )
    lines = []
    for rule in rules:
        if rule.tier_id != tier.pk or rule.amount is None or not region.path.startswith(rule.region.path):
            continue
        start = rule.window_start or rule.effective_from
        if year < start.year or (rule.window_end and year > rule.window_end.year):
            continue
        for funder in rule.funders.all():
            key, label = _funder(funder.level, region, regions)
            per_recognition = (rule.amount * funder.percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
            lines.append(
                CostLine(
                    rule=rule,
                    funder_key=key,
                    funder_label=label,
                    budget_year=year + rule.budget_lag_years,
                    count=expected_new,
                    per_recognition=per_recognition,
                    amount=(per_recognition * expected_new).quantize(CENT, rounding=ROUND_HALF_UP),
                )
            )
    return lines


def _plan_start(target: Target) -> datetime.date:
    policy = target.policy
    return policy.plan_start or policy.issued_on or datetime.date(target.year - 2, 1, 1)


def _holders_on(region: Region, tier_ids: list[int], day: datetime.date) -> int:
    return (
        Recognition.objects.filter(
            tier_id__in=tier_ids,
            enterprise__region__path__startswith=region.path,
            recognized_on__lte=day,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
        .values("enterprise_id")
        .distinct()
        .count()
    )


def _spread(total: Decimal, first_year: int, last_year: int) -> dict[int, Decimal]:
    years = list(range(first_year, last_year + 1)) or [last_year]
    return {year: total / len(years) for year in years}


def expected_recognitions(targets: list[Target]) -> tuple[list[Expectation], list[tuple[Target, str]]]:
    """New recognitions per region, tier and year that meeting the targets takes (see ASSUMPTIONS)."""
    skipped: list[tuple[Target, str]] = []
    groups: dict[tuple[int, frozenset], list[Target]] = defaultdict(list)
    seen: set[tuple] = set()
    for target in targets:
        tier_ids = frozenset(tier.pk for tier in target.tiers.all())
        if target.metric != Target.Metric.HOLDERS or target.kind not in COUNTABLE_KINDS or not tier_ids:
            skipped.append((target, _("Not a count of recognitions (a share, a quality figure or another measure).")))
            continue
        key = (target.region_id, tier_ids, target.kind, target.year, target.since_year)
        if key in seen:
            skipped.append((target, _("Repeats another target of the same document.")))
            continue
        seen.add(key)
        groups[(target.region_id, tier_ids)].append(target)

    per_group: dict[tuple[int, frozenset], dict[int, Decimal]] = {}
    source: dict[tuple[int, frozenset], Target] = {}
    explanations: dict[tuple[int, frozenset], str] = {}
    for key, group in groups.items():
        counts: dict[int, Decimal] = defaultdict(Decimal)
        new_targets = [t for t in group if t.kind == Target.Kind.NEW]
        yearly = [t for t in group if t.kind == Target.Kind.YEARLY]
        totals = sorted((t for t in group if t.kind in (Target.Kind.TOTAL, Target.Kind.RANGE)), key=lambda t: t.year)
        for target in new_targets:
            first = target.since_year + 1 if target.since_year else _plan_start(target).year
            for year, count in _spread(target.value, first, target.year).items():
                counts[year] += count
        if new_targets:
            skipped += [(t, _("Counted through the tier's “新增” targets.")) for t in totals]
            totals = []
        previous_value: Decimal | None = None
        previous_year: int | None = None
        for target in totals:
            if previous_value is None:
                start = _plan_start(target)
                previous_value = (
                    target.baseline
                    if target.baseline is not None
                    else Decimal(_holders_on(target.region, list(key[1]), start))
                )
                previous_year = start.year - 1
            needed = max(Decimal("0"), target.value - previous_value)
            for year, count in _spread(needed, previous_year + 1, target.year).items():
                counts[year] += count
            previous_value, previous_year = max(previous_value, target.value), target.year
        for target in yearly:
            for year in range(_plan_start(target).year, target.year + 1):
                counts[year] += target.value
        per_group[key] = dict(counts)
        used = new_targets + totals + yearly
        source[key] = (used or group)[0]
        explanations[key] = "；".join(
            f"{t.label}（{t.get_kind_display()} {t.value.normalize():f} · {t.year}）" for t in used
        )

    tiers = {tier.pk: tier for tier in Tier.objects.filter(pk__in={pk for _r, ids in groups for pk in ids})}
    expectations: list[Expectation] = []
    for (region_id, tier_ids), counts in per_group.items():
        target = source[(region_id, tier_ids)]
        tier_id = min(tier_ids)
        if len(tier_ids) > 1:
            own = [pk for pk in tier_ids if (region_id, frozenset({pk})) in per_group]
            rest = sorted(pk for pk in tier_ids if pk not in own)
            if not rest:
                skipped.append((target, _("Every tier it names has a target of its own.")))
                continue
            tier_id = rest[0]
            for pk in own:
                for year, count in per_group[(region_id, frozenset({pk}))].items():
                    counts[year] = max(Decimal("0"), counts.get(year, Decimal("0")) - count)
        for year, count in sorted(counts.items()):
            if count > 0:
                expectations.append(
                    Expectation(
                        target=target,
                        region=target.region,
                        tier=tiers[tier_id],
                        year=year,
                        count=count.quantize(CENT),
                        explanation=explanations[(region_id, tier_ids)],
                    )
                )
    return expectations, skipped


def targets_visible_to(user: User) -> list[Target]:
    qs = Target.objects.filter(scope_filter(user)) if not (user.is_admin and user.scope_path == "") else Target.objects
    if is_finance_user(user):
        # A finance office pays for what the regions below it achieve; the targets of a region above it (the
        # province's, for a city office) are costed too, and the lines are then cut to its own funder.
        region = user.department.region
        qs = Target.objects.filter(Q(region__path__startswith=region.path) | Q(region_id__in=region.ancestors_and_self))
    return list(qs.select_related("policy", "region").prefetch_related("tiers").order_by("policy_id", "order", "pk"))


def forecast_for(user: User, years: tuple[int, ...] = FORECAST_YEARS) -> Forecast:
    """The forecast of the targets the user can see, cut to the user's funder for finance staff."""
    expectations, skipped = expected_recognitions(targets_visible_to(user))
    regions = {node.pk: node for node in Region.objects.all()}
    rules = list(
        RewardRule.objects.filter(
            is_active=True, is_monetary=True, trigger__in=(Trigger.RECOGNITION, Trigger.ABOVE_SCALE)
        )
        .select_related("region")
        .prefetch_related("funders")
    )
    forecast = Forecast(years=years, expectations=expectations, skipped=skipped)
    own_funder = funder_region_id_of(user)
    own_level = None
    if own_funder is not None:
        kind = regions[own_funder].kind
        own_level = {Region.Kind.PROVINCE: FunderLevel.PROVINCE, Region.Kind.CITY: FunderLevel.CITY}.get(
            kind, FunderLevel.COUNTY
        )
    table: dict[tuple[str, int], dict[int, Decimal]] = {}
    labels: dict[tuple[str, int], str] = {}
    for expectation in expectations:
        for line in cost_of_new_recognitions(
            region=expectation.region,
            tier=expectation.tier,
            year=expectation.year,
            expected_new=expectation.count,
            rules=rules,
            regions=regions,
        ):
            if line.budget_year not in years:
                continue
            if own_funder is not None and not _is_own_line(line, own_funder, own_level, regions):
                continue
            forecast.lines.append(line)
            row = table.setdefault(line.funder_key, dict.fromkeys(years, Decimal("0")))
            row[line.budget_year] += line.amount
            labels[line.funder_key] = line.funder_label
    forecast.rows = [(labels[key], table[key]) for key in sorted(table, key=lambda key: (regions[key[1]].path, key[0]))]
    forecast.totals = {year: sum((row[year] for _label, row in forecast.rows), Decimal("0")) for year in years}
    return forecast


def _is_own_line(line: CostLine, funder_id: int, level: str, regions: dict[int, Region]) -> bool:
    line_level, region_id = line.funder_key
    if level == FunderLevel.COUNTY:
        city = _nearest(regions[funder_id], regions, Region.Kind.CITY)
        return line_level == FunderLevel.COUNTY and city is not None and city.pk == region_id
    return line_level == level and region_id == funder_id
