"""The arithmetic of reward rules: who qualifies, how much, and which funder pays which share.

Pure reads: nothing here writes. `entitlements.py` turns candidates into rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from enterprises.models import AboveScalePeriod
from incentives.history import EnterpriseHistory, data_cap, refusal
from incentives.models import Entitlement, FunderLevel, RewardEvent, RewardRule, ShareStatus, Trigger
from portal.models import Region
from tiers.models import Recognition

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
RECOGNITION_TRIGGERS = (Trigger.RECOGNITION, Trigger.ABOVE_SCALE)
EVENT_TRIGGERS = (
    Trigger.ABOVE_SCALE,
    Trigger.TOP_LIST,
    Trigger.PLATFORM_AWARD,
    Trigger.PROJECT_SHARE,
    Trigger.OTHER_EVENT,
)


class RegionIndex:
    """Every region in memory (a few hundred rows), to resolve funders without a query per row."""

    def __init__(self) -> None:
        self.by_pk = {region.pk: region for region in Region.objects.all()}

    def chain(self, region: Region) -> list[Region]:
        """The region and its ancestors, nearest first."""
        return [self.by_pk[pk] for pk in reversed(region.ancestors_and_self) if pk in self.by_pk]

    def nearest(self, region: Region, kinds: set[str]) -> Region | None:
        return next((node for node in self.chain(region) if node.kind in kinds), None)

    def county_of(self, region: Region) -> Region | None:
        return self.nearest(region, {Region.Kind.COUNTY, Region.Kind.PARK})

    def parks_under(self, region: Region) -> list[Region]:
        return [
            node for node in self.by_pk.values() if node.kind == Region.Kind.PARK and node.path.startswith(region.path)
        ]


@dataclass
class Candidate:
    """An entitlement about to be written, with the shares it will carry."""

    rule: RewardRule
    beneficiary_region: Region
    beneficiary_label: str
    trigger_date: datetime.date
    amount: Decimal
    calculation: str
    enterprise_id: int | None = None
    recognition_id: int | None = None
    event_id: int | None = None
    event_key: str = ""
    status: str = ShareStatus.DUE
    shares: list[tuple[Region, str, Decimal, Decimal]] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        if self.event_key:
            return (self.rule.pk, "event", self.beneficiary_region.pk, self.event_key)
        return (self.rule.pk, "recognition", self.recognition_id)

    @property
    def budget_year(self) -> int:
        return max(self.trigger_date, self.rule.effective_from).year + self.rule.budget_lag_years


def key_of(entitlement: Entitlement) -> tuple:
    if entitlement.event_key:
        return (entitlement.rule_id, "event", entitlement.beneficiary_region_id, entitlement.event_key)
    return (entitlement.rule_id, "recognition", entitlement.recognition_id)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def split_amount(
    *, rule: RewardRule, amount: Decimal, location: Region, index: RegionIndex
) -> list[tuple[Region, str, Decimal, Decimal]]:
    """(funder region, level, percent, amount) per funder; rounding goes to the last share.

    The county share goes to the county or park the beneficiary sits in; an
    enterprise registered directly under the city has the city pay it.
    """
    kinds: dict[str, set[str]] = {
        FunderLevel.PROVINCE: {Region.Kind.PROVINCE},
        FunderLevel.CITY: {Region.Kind.CITY},
        FunderLevel.COUNTY: {Region.Kind.COUNTY, Region.Kind.PARK},
    }
    merged: dict[int, list] = {}
    funders = sorted(rule.funders.all(), key=lambda funder: list(FunderLevel.values).index(funder.level))
    for funder in funders:
        region = index.nearest(location, kinds[funder.level])
        if region is None and funder.level == FunderLevel.COUNTY:
            region = index.nearest(location, kinds[FunderLevel.CITY])
        region = region or rule.region
        if region.pk in merged:
            merged[region.pk][2] += funder.percent
        else:
            merged[region.pk] = [region, funder.level, funder.percent]
    shares = []
    remaining = amount
    entries = list(merged.values())
    for position, (region, level, percent) in enumerate(entries):
        share = remaining if position == len(entries) - 1 else _money(amount * percent / HUNDRED)
        remaining -= share
        shares.append((region, level, percent, share))
    return shares


def _rule_amount(rule: RewardRule, base_amount: Decimal | None) -> tuple[Decimal, str] | None:
    if rule.percentage is not None:
        if base_amount is None:
            return None
        raw = _money(base_amount * rule.percentage / HUNDRED)
        amount = min(raw, rule.max_amount) if rule.max_amount is not None else raw
        calculation = f"{plain(base_amount)} × {plain(rule.percentage)}% = {plain(raw)} 万元"
        if amount != raw:
            calculation += f"，最高 {plain(rule.max_amount)} 万元"
        return amount, calculation
    if rule.amount is None:
        return None
    calculation = f"{'不高于 ' if rule.is_cap else ''}{plain(rule.amount)} 万元"
    return rule.amount, calculation


def _prior_amounts(rule: RewardRule, enterprise_ids: set[int]) -> dict[int, Decimal]:
    """What each enterprise was already owed for the lower rungs, for rules that pay the difference."""
    if rule.upgrade_policy != RewardRule.UpgradePolicy.DIFFERENCE or not enterprise_ids:
        return {}
    rows = (
        Entitlement.objects.filter(rule__in=rule.upgrade_from.all(), enterprise_id__in=enterprise_ids)
        .values("enterprise_id")
        .annotate(total=Sum("amount"))
    )
    return {row["enterprise_id"]: row["total"] for row in rows}


def _candidate(
    *,
    rule: RewardRule,
    index: RegionIndex,
    beneficiary_location: Region,
    label: str,
    trigger_date: datetime.date,
    base_amount: Decimal | None = None,
    prior: Decimal = Decimal("0"),
    **keys,
) -> Candidate | None:
    priced = _rule_amount(rule, base_amount)
    if priced is None:
        return None
    amount, calculation = priced
    if prior:
        amount -= prior
        calculation += f" − 已奖励 {plain(prior)} 万元（补差）"
        if amount <= 0:
            return None
    status = ShareStatus.DUE
    cap = data_cap(rule, keys.get("enterprise_id"), trigger_date)
    if cap is not None:
        calculation += f"；{cap.text}"
        if cap.is_missing:
            # Never owed uncapped: the shares wait until the figures are entered.
            status = ShareStatus.AWAITING_DATA
        elif cap.amount is not None and cap.amount < amount:
            amount = _money(cap.amount)
            calculation += f"，取 {plain(amount)} 万元"
    if rule.beneficiary == RewardRule.Beneficiary.COUNTY:
        beneficiary = index.county_of(beneficiary_location) or beneficiary_location
    else:
        beneficiary = beneficiary_location
    candidate = Candidate(
        rule=rule,
        beneficiary_region=beneficiary,
        beneficiary_label=label,
        trigger_date=trigger_date,
        amount=amount,
        calculation=calculation,
        status=status,
        **keys,
    )
    candidate.shares = split_amount(rule=rule, amount=amount, location=beneficiary_location, index=index)
    return candidate


def _enterprise_key(rule: RewardRule, enterprise_id: int, year: int | None = None) -> str:
    if rule.recurrence == RewardRule.Recurrence.YEARLY and year is not None:
        return f"enterprise:{enterprise_id}:{year}"
    return f"enterprise:{enterprise_id}" if rule.once_per_enterprise else ""


def recognition_qualifies(rule: RewardRule, recognition: Recognition) -> datetime.date | None:
    """The date from which `recognition` is owed under `rule`, or None if it is not.

    New recognitions count from the rule's start (its window, else the policy
    date); existing holders count only where the rule says so, and only if
    their recognition was still valid on the policy date.
    """
    if recognition.status == Recognition.Status.REVOKED:
        return None
    if rule.window_end and recognition.recognized_on > rule.window_end:
        return None
    start = rule.window_start or rule.effective_from
    if recognition.recognized_on >= start:
        return recognition.recognized_on
    if rule.holders != RewardRule.Holders.EXISTING_AND_NEW:
        return None
    if recognition.valid_until is not None and recognition.valid_until < rule.effective_from:
        return None
    return rule.effective_from


def recognition_candidates(rule: RewardRule, recognitions: list[Recognition], index: RegionIndex) -> list[Candidate]:
    enterprise_ids = {recognition.enterprise_id for recognition in recognitions}
    prerequisite_holders: set[int] = set()
    if rule.prerequisite_tier_id:
        prerequisite_holders = set(
            Recognition.objects.filter(enterprise_id__in=enterprise_ids, tier_id=rule.prerequisite_tier_id)
            .exclude(status=Recognition.Status.REVOKED)
            .values_list("enterprise_id", flat=True)
        )
    prior = _prior_amounts(rule, enterprise_ids)
    history = EnterpriseHistory.load(enterprise_ids, {rule.tier_id} if rule.tier_id else set())
    candidates = []
    for recognition in recognitions:
        enterprise = recognition.enterprise
        if not enterprise.region.path.startswith(rule.region.path):
            continue
        if rule.prerequisite_tier_id and enterprise.pk not in prerequisite_holders:
            continue
        owed_from = recognition_qualifies(rule, recognition)
        if owed_from is None:
            continue
        if refusal(
            rule, history, enterprise_id=enterprise.pk, on=recognition.recognized_on, recognition_id=recognition.pk
        ):
            continue
        candidate = _candidate(
            rule=rule,
            index=index,
            beneficiary_location=enterprise.region,
            label=enterprise.name,
            trigger_date=owed_from,
            prior=prior.get(enterprise.pk, Decimal("0")),
            enterprise_id=enterprise.pk,
            recognition_id=recognition.pk,
            event_key=_enterprise_key(rule, enterprise.pk),
        )
        if candidate:
            candidates.append(candidate)
    return candidates


def event_candidates(rule: RewardRule, events: list[RewardEvent], index: RegionIndex) -> list[Candidate]:
    candidates = []
    start = rule.window_start or rule.effective_from
    history = EnterpriseHistory.load(
        {event.enterprise_id for event in events if event.enterprise_id}, {rule.tier_id} if rule.tier_id else set()
    )
    for event in events:
        if rule.event_code and rule.event_code != event.event_code:
            continue
        if not event.region.path.startswith(rule.region.path):
            continue
        if event.occurred_on < start or (rule.window_end and event.occurred_on > rule.window_end):
            continue
        if event.enterprise_id and refusal(rule, history, enterprise_id=event.enterprise_id, on=event.occurred_on):
            continue
        if event.enterprise_id:
            event_key = _enterprise_key(rule, event.enterprise_id, event.occurred_on.year) or f"event:{event.pk}"
            enterprise = event.enterprise
            assert enterprise is not None  # enterprise_id is set
            location, label = enterprise.region, enterprise.name
        else:
            event_key = (
                f"region:{event.region_id}:{event.occurred_on.year}"
                if rule.recurrence == RewardRule.Recurrence.YEARLY
                else f"event:{event.pk}"
            )
            location, label = event.region, event.region.name
        candidate = _candidate(
            rule=rule,
            index=index,
            beneficiary_location=location,
            label=label,
            trigger_date=event.occurred_on,
            base_amount=event.base_amount,
            enterprise_id=event.enterprise_id,
            event_id=event.pk,
            event_key=event_key,
        )
        if candidate:
            candidates.append(candidate)
    return candidates


def period_candidates(rule: RewardRule, periods: list[AboveScalePeriod], index: RegionIndex) -> list[Candidate]:
    """升规 owed for entries into the above-size statistics, unless the history shows a re-entry after 退库."""
    if rule.trigger != Trigger.ABOVE_SCALE:
        return []
    start = rule.window_start or rule.effective_from
    history = EnterpriseHistory.load({period.enterprise_id for period in periods}, set())
    candidates = []
    for period in periods:
        enterprise = period.enterprise
        if not enterprise.region.path.startswith(rule.region.path):
            continue
        if period.entered_on < start or (rule.window_end and period.entered_on > rule.window_end):
            continue
        if refusal(rule, history, enterprise_id=enterprise.pk, on=period.entered_on):
            continue
        candidate = _candidate(
            rule=rule,
            index=index,
            beneficiary_location=enterprise.region,
            label=enterprise.name,
            trigger_date=period.entered_on,
            enterprise_id=enterprise.pk,
            event_key=_enterprise_key(rule, enterprise.pk) or f"period:{period.pk}",
        )
        if candidate:
            candidate.calculation += f"（{period.entered_on} 纳入规上统计）"
            candidates.append(candidate)
    return candidates


def park_cluster_candidates(rule: RewardRule, index: RegionIndex, parks: list[Region] | None = None) -> list[Candidate]:
    """Parks holding at least `threshold_count` enterprises with a valid recognition of the rule's tier.

    Owed from the day the threshold-th enterprise was recognised (or the policy date, if later).
    """
    parks = index.parks_under(rule.region) if parks is None else parks
    if not parks or not rule.threshold_count or not rule.tier_id:
        return []
    first_dates: dict[int, tuple[str, datetime.date]] = {}
    rows = Recognition.objects.filter(
        tier_id=rule.tier_id, status=Recognition.Status.VALID, enterprise__region__path__startswith=rule.region.path
    ).values_list("enterprise_id", "enterprise__region__path", "recognized_on")
    for enterprise_id, path, recognized_on in rows:
        if enterprise_id not in first_dates or recognized_on < first_dates[enterprise_id][1]:
            first_dates[enterprise_id] = (path, recognized_on)
    candidates = []
    for park in parks:
        dates = sorted(day for path, day in first_dates.values() if path.startswith(park.path))
        if len(dates) < rule.threshold_count:
            continue
        candidate = _candidate(
            rule=rule,
            index=index,
            beneficiary_location=park,
            label=park.name,
            trigger_date=max(dates[rule.threshold_count - 1], rule.effective_from),
            event_key="park-cluster",
        )
        if candidate:
            tier_name = rule.tier.name if rule.tier is not None else ""
            candidate.calculation += f"（园区内 {len(dates)} 家{tier_name}）"
            candidates.append(candidate)
    return candidates


def recognitions_owed_under(rule: RewardRule) -> QuerySet[Recognition]:
    """Recognitions on record the rule owes and that have no entitlement under it yet."""
    start = rule.window_start or rule.effective_from
    owed = Q(recognized_on__gte=start)
    if rule.holders == RewardRule.Holders.EXISTING_AND_NEW:
        owed |= Q(valid_until__isnull=True) | Q(valid_until__gte=rule.effective_from)
    qs = (
        # The plugin refuses None for the lookup; Django reads it as IS NULL, which no recognition matches.
        Recognition.objects.filter(tier_id=rule.tier_id, enterprise__region__path__startswith=rule.region.path)  # type: ignore[misc]
        .exclude(status=Recognition.Status.REVOKED)
        .filter(owed)
        .exclude(Exists(Entitlement.objects.filter(rule=rule, recognition=OuterRef("pk"))))
        .select_related("enterprise__region")
    )
    if rule.window_end:
        qs = qs.filter(recognized_on__lte=rule.window_end)
    return qs
