"""Reads of ladders, eligibility and the pool, scoped to the user's region."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from enterprises.models import Enterprise
from portal import params as query
from portal.models import Region, User
from portal.selectors import jurisdiction_filter, regions_visible_to, scope_filter
from tiers.criteria.describe import describe_verdict, gap_lines, missing_data, pending_confirmations
from tiers.eligibility import CriteriaBook, TierEvaluation, facts_for_enterprise
from tiers.models import (
    CriteriaSet,
    EligibilityChange,
    EligibilityResult,
    Ladder,
    LadderRung,
    PoolEntry,
    PoolQuota,
    Tier,
    Verdict,
)

# --- Ladders and the enterprise's ladder page -------------------------------------


@dataclass
class RungView:
    tier: Tier
    position: int
    is_held: bool
    evaluation: TierEvaluation | None = None

    @property
    def verdict_text(self) -> str:
        if self.evaluation is None:
            return ""
        evaluation = self.evaluation.evaluation
        return describe_verdict(evaluation.verdict, evaluation.missing_count)

    @property
    def gaps(self) -> list[dict]:
        return gap_lines(self.evaluation.evaluation.details) if self.evaluation else []

    @property
    def confirmations(self) -> list[tuple[str, str]]:
        return pending_confirmations(self.evaluation.evaluation.details) if self.evaluation else []

    @property
    def missing_data(self) -> list[str]:
        return missing_data(self.evaluation.evaluation.details) if self.evaluation else []


@dataclass
class LadderView:
    ladder: Ladder
    rungs: list[RungView] = field(default_factory=list)

    @property
    def held(self) -> RungView | None:
        return next((rung for rung in reversed(self.rungs) if rung.is_held), None)

    @property
    def next(self) -> RungView | None:
        held = self.held
        later = [rung for rung in self.rungs if held is None or rung.position > held.position]
        return later[0] if later else None


def ladders_for(enterprise: Enterprise) -> QuerySet[Ladder]:
    """Ladders that apply everywhere or in the enterprise's region or above it."""
    path = enterprise.region.path
    prefixes = [path[: index + 1] for index, char in enumerate(path) if char == "."]
    rungs = LadderRung.objects.select_related("tier").order_by("position")
    return (
        Ladder.objects.filter(Q(region__isnull=True) | Q(region__path__in=prefixes))
        .prefetch_related(Prefetch("rungs", queryset=rungs))
        .order_by("code")
    )


def ladder_overview(enterprise: Enterprise, *, on: datetime.date | None = None) -> list[LadderView]:
    """Per ladder: the rung held, the next rung and, for every rung not held, the live evaluation."""
    on = on or timezone.localdate()
    book = CriteriaBook.load()
    facts = facts_for_enterprise(enterprise, on=on)
    evaluations = {item.tier_id: item for item in book.evaluate(facts, on=on)}
    views = []
    for ladder in ladders_for(enterprise):
        view = LadderView(ladder)
        for rung in ladder.rungs.all():
            is_held = facts.holds((rung.tier.code,), on)
            view.rungs.append(RungView(rung.tier, rung.position, is_held, evaluations.get(rung.tier_id)))
        views.append(view)
    return views


def tiers_with_sets() -> QuerySet[Tier]:
    return Tier.objects.prefetch_related(
        Prefetch("criteria_sets", queryset=CriteriaSet.objects.prefetch_related("criteria"))
    ).select_related("issuing_region")


def ladders_for_user(user: User, *, show_all: bool = False) -> QuerySet[Ladder]:
    """Ladders of the user's chain of jurisdictions (national ones, their province's, city's, county's);
    `show_all` lists every region's."""
    qs = ladders_with_rungs()
    return qs if show_all else qs.filter(jurisdiction_filter(user, "region"))


def ladders_with_rungs() -> QuerySet[Ladder]:
    return Ladder.objects.select_related("region").prefetch_related(
        Prefetch("rungs", queryset=LadderRung.objects.select_related("tier").order_by("position"))
    )


# --- Stored eligibility -------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityFilters:
    tier: int | None = None
    verdict: str = ""
    max_missing: int | None = None
    region: int | None = None
    enterprise: int | None = None


def _region_path(user: User, region_id: int | None) -> str | None:
    if not region_id:
        return None
    # "-" begins no path, so an unknown or out-of-scope region matches nothing (PostgreSQL refuses "\0").
    return regions_visible_to(user).filter(pk=region_id).values_list("path", flat=True).first() or "-"


def eligibility_results(user: User, filters: EligibilityFilters) -> QuerySet[EligibilityResult]:
    qs = EligibilityResult.objects.filter(scope_filter(user, "enterprise__region")).select_related(
        "enterprise__region", "tier", "criteria_set"
    )
    if filters.tier:
        qs = qs.filter(tier_id=filters.tier)
    if filters.verdict:
        qs = qs.filter(verdict=filters.verdict)
    if filters.max_missing is not None:
        qs = qs.filter(missing_count__lte=filters.max_missing)
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    path = _region_path(user, filters.region)
    if path:
        qs = qs.filter(enterprise__region__path__startswith=path)
    return qs.order_by("tier__name", "missing_count", "enterprise__name", "pk")


def newly_eligible_count(user: User, *, tier: Tier | None = None, since: datetime.datetime | None = None) -> int:
    """Enterprises of the scope whose verdict became “meets” since a moment (default: this month)."""
    if since is None:
        today = timezone.localdate()
        since = timezone.make_aware(datetime.datetime(today.year, today.month, 1))
    qs = EligibilityChange.objects.filter(
        scope_filter(user, "enterprise__region"), to_verdict=Verdict.MEETS, at__gte=since
    )
    if tier is not None:
        qs = qs.filter(tier=tier)
    return qs.exclude(from_verdict=Verdict.MEETS).values("enterprise_id", "tier_id").distinct().count()


# --- Cultivation pool ---------------------------------------------------------------


@dataclass(frozen=True)
class PoolFilters:
    tier: int | None = None
    region: int | None = None
    stage: str = ""
    include_left: bool = False
    q: str = ""


def pool_filters_from(params) -> PoolFilters:
    """Filters from a query string (the list page, the export and the API share them)."""
    return PoolFilters(
        tier=query.integer(params, "tier"),
        region=query.integer(params, "region"),
        stage=query.choice(params, "stage", PoolEntry.Stage.values),
        include_left=bool(query.flag(params, "include_left")),
        q=params.get("q", "").strip(),
    )


def pool_entries(user: User, filters: PoolFilters) -> QuerySet[PoolEntry]:
    qs = PoolEntry.objects.filter(scope_filter(user, "enterprise__region")).select_related(
        "enterprise__region", "tier", "commissioner"
    )
    if not filters.include_left:
        qs = qs.filter(left_at__isnull=True)
    if filters.tier:
        qs = qs.filter(tier_id=filters.tier)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.q:
        qs = qs.filter(
            Q(enterprise__name__icontains=filters.q) | Q(enterprise__credit_code__icontains=filters.q.upper())
        )
    path = _region_path(user, filters.region)
    if path:
        qs = qs.filter(enterprise__region__path__startswith=path)
    return qs.order_by("tier__name", "enterprise__region__path", "enterprise__name", "pk")


def pool_entry_detail(user: User, pk: int) -> PoolEntry | None:
    return (
        PoolEntry.objects.filter(scope_filter(user, "enterprise__region"))
        .select_related("enterprise__region", "tier", "commissioner", "entered_by")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class QuotaStatus:
    region: Region
    year: int
    minimum: int
    above_scale: int
    share: float | None
    required: int
    entered: int

    @property
    def is_met(self) -> bool:
        return self.entered >= self.required

    @property
    def shortfall(self) -> int:
        return max(self.required - self.entered, 0)


def pool_quota_status(user: User, *, year: int | None = None) -> list[QuotaStatus]:
    """Each county's yearly quota: entries made that year against max(minimum, share × its 规上 enterprises).

    Three queries whatever the number of counties.
    """
    year = year or timezone.localdate().year
    quotas = list(
        PoolQuota.objects.filter(scope_filter(user))
        .filter(Q(year__isnull=True) | Q(year=year))
        .select_related("region", "tier")
        .order_by("region__path")
    )
    if not quotas:
        return []
    entered = PoolEntry.objects.filter(entered_at__year=year).aggregate(
        **{
            f"q{quota.pk}": Count(
                "pk",
                filter=Q(enterprise__region__path__startswith=quota.region.path)
                & (Q(tier_id=quota.tier_id) if quota.tier_id else Q()),
            )
            for quota in quotas
        }
    )
    above = Enterprise.objects.filter(is_above_scale=True).aggregate(
        **{f"q{quota.pk}": Count("pk", filter=Q(region__path__startswith=quota.region.path)) for quota in quotas}
    )
    rows = []
    for quota in quotas:
        share = float(quota.above_scale_share) if quota.above_scale_share is not None else None
        by_share = math.ceil(above[f"q{quota.pk}"] * share / 100) if share else 0
        rows.append(
            QuotaStatus(
                region=quota.region,
                year=year,
                minimum=quota.minimum,
                above_scale=above[f"q{quota.pk}"],
                share=share,
                required=max(quota.minimum, by_share),
                entered=entered[f"q{quota.pk}"],
            )
        )
    return rows
