"""Reads of rewards, always scoped: finance staff to their funder's shares, everyone else to their region."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from enterprises.models import Enterprise
from incentives.models import (
    Entitlement,
    EntitlementShare,
    FundAllocation,
    FunderLevel,
    Payment,
    RewardRule,
    ShareStatus,
    Trigger,
)
from incentives.permissions import funder_region_id_of, is_finance_user
from portal import params as query
from portal.models import AuditEvent, Region, User
from portal.selectors import jurisdiction_filter, regions_visible_to, scope_filter
from tiers.models import LadderRung, Recognition

ZERO = Decimal("0")
OPEN = (ShareStatus.DUE, ShareStatus.APPROVED, ShareStatus.PARTIALLY_PAID, ShareStatus.ON_HOLD)
NOT_OWED = (ShareStatus.CANCELLED, ShareStatus.CLAWBACK_DUE, ShareStatus.CLAWED_BACK)


def shares_visible_to(user: User) -> QuerySet[EntitlementShare]:
    qs = EntitlementShare.objects.select_related("funder_region")
    if not user.is_authenticated:
        return qs.none()
    if user.is_admin and user.scope_path == "":
        return qs
    if is_finance_user(user):
        return qs.filter(funder_region_id=funder_region_id_of(user))
    return qs.filter(scope_filter(user, "entitlement__beneficiary_region"))


@dataclass(frozen=True)
class EntitlementFilters:
    year: int | None = None
    funder: int | None = None
    status: str = ""
    policy: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params) -> "EntitlementFilters":
        def as_int(name: str) -> int | None:
            return query.integer(params, name)

        return cls(
            year=as_int("year"),
            funder=as_int("funder"),
            status=query.choice(params, "status", ShareStatus.values),
            policy=params.get("policy", "").strip(),
            q=params.get("q", "").strip(),
        )


def entitlement_list(user: User, filters: EntitlementFilters | None = None) -> QuerySet[Entitlement]:
    """Entitlements with at least one share the user may see, each carrying only those shares."""
    filters = filters or EntitlementFilters()
    shares = shares_visible_to(user)
    if filters.funder:
        shares = shares.filter(funder_region_id=filters.funder)
    if filters.status:
        shares = shares.filter(status=filters.status)
    qs = Entitlement.objects.filter(Exists(shares.filter(entitlement=OuterRef("pk"))))
    if filters.year:
        qs = qs.filter(budget_year=filters.year)
    if filters.policy:
        qs = qs.filter(rule__policy__code=filters.policy)
    if filters.q:
        qs = qs.filter(Q(enterprise__name__icontains=filters.q) | Q(beneficiary_region__name__icontains=filters.q))
    return qs.select_related("rule__policy", "enterprise", "beneficiary_region", "recognition__tier").prefetch_related(
        Prefetch("shares", queryset=shares.order_by("level", "pk"), to_attr="visible_shares")
    )


def entitlement_detail(user: User, pk: int) -> Entitlement | None:
    """One entitlement with its visible shares and their payments; None when missing or out of scope alike."""
    shares = shares_visible_to(user).prefetch_related(
        Prefetch("payments", queryset=Payment.objects.select_related("recorded_by"))
    )
    return (
        Entitlement.objects.filter(pk=pk)
        .filter(Exists(shares.filter(entitlement=OuterRef("pk"))))
        .select_related(
            "rule__policy", "rule__measure", "enterprise", "beneficiary_region", "recognition__tier", "event"
        )
        .prefetch_related(Prefetch("shares", queryset=shares.order_by("level", "pk"), to_attr="visible_shares"))
        .first()
    )


def share_for(user: User, pk: int) -> EntitlementShare | None:
    return shares_visible_to(user).select_related("entitlement__rule").filter(pk=pk).first()


def payment_list(user: User, filters: EntitlementFilters | None = None) -> QuerySet[Payment]:
    filters = filters or EntitlementFilters()
    shares = shares_visible_to(user)
    if filters.funder:
        shares = shares.filter(funder_region_id=filters.funder)
    qs = Payment.objects.filter(share__in=shares.values("pk"))
    if filters.year:
        qs = qs.filter(share__budget_year=filters.year)
    return qs.select_related(
        "share__funder_region",
        "share__entitlement__enterprise",
        "share__entitlement__beneficiary_region",
        "share__entitlement__rule__policy",
        "recorded_by",
    ).order_by("-paid_on", "-pk")


WARNING_PERCENT = Decimal("70")
DANGER_PERCENT = Decimal("90")


@dataclass
class BudgetRow:
    funder_id: int
    funder: str
    year: int
    count: int = 0
    owed: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    clawback_due: Decimal = ZERO
    presumed: Decimal = ZERO
    awaiting_data: Decimal = ZERO
    allocated: Decimal | None = None
    allocation_id: int | None = None
    allocation_version: int = 0
    forecast: Decimal | None = None

    @property
    def available(self) -> Decimal | None:
        """Allocated minus approved (approved includes what was paid on shares since cancelled)."""
        return None if self.allocated is None else self.allocated - self.approved

    @property
    def used_percent(self) -> Decimal | None:
        if not self.allocated:
            return None
        return (self.approved * 100 / self.allocated).quantize(Decimal("0.1"))

    @property
    def warning(self) -> str:
        """ "danger" from 90 % of the allocation approved, "warning" from 70 %, else ""."""
        used = self.used_percent
        if self.allocated == 0 and self.approved > 0:
            return "danger"
        if used is None:
            return ""
        if used >= DANGER_PERCENT:
            return "danger"
        return "warning" if used >= WARNING_PERCENT else ""


def _sum(expression) -> Coalesce:
    return Coalesce(Sum(expression), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2))


def allocations_visible_to(user: User) -> QuerySet[FundAllocation]:
    """Finance staff see their funder's allocations; others those of funders in their region and above it."""
    qs = FundAllocation.objects.select_related("funder_region")
    if not user.is_authenticated:
        return qs.none()
    if user.is_admin and user.scope_path == "":
        return qs
    if is_finance_user(user):
        return qs.filter(funder_region_id=funder_region_id_of(user))
    return qs.filter(scope_filter(user, "funder_region"))


def budget_rows(user: User, year: int | None = None, forecast=None) -> list[BudgetRow]:
    """Per funder and budget year: allocated, owed, approved, available, paid, outstanding, to be clawed back.

    Owed leaves out cancelled shares and those being clawed back; outstanding is owed minus paid on open shares;
    amounts owed on a 推定 (presumed) funder split and shares awaiting data are shown apart as well.
    """
    qs = shares_visible_to(user)
    if year:
        qs = qs.filter(budget_year=year)
    owed_when = ~Q(status__in=NOT_OWED) & ~Q(status=ShareStatus.AWAITING_DATA)
    aggregated = (
        qs.values("funder_region_id", "funder_region__name", "funder_region__path", "budget_year")
        # The plugin takes the `outstanding` sum for a redefinition of the model's property; values() rows have none.
        .annotate(  # type: ignore[no-redef]
            count=Sum(Case(When(owed_when, then=Value(1)), default=Value(0))),
            owed=_sum(Case(When(owed_when, then=F("amount")), default=Value(ZERO))),
            approved=_sum(
                Case(
                    When(status__in=NOT_OWED, then=F("paid_amount") - F("clawed_back_amount")),
                    default=F("approved_amount"),
                )
            ),
            paid=_sum(F("paid_amount") - F("clawed_back_amount")),
            outstanding=_sum(Case(When(status__in=OPEN, then=F("amount") - F("paid_amount")), default=Value(ZERO))),
            clawback_due=_sum(
                Case(
                    When(status=ShareStatus.CLAWBACK_DUE, then=F("paid_amount") - F("clawed_back_amount")),
                    default=Value(ZERO),
                )
            ),
            presumed=_sum(Case(When(owed_when & Q(is_presumed=True), then=F("amount")), default=Value(ZERO))),
            awaiting_data=_sum(Case(When(status=ShareStatus.AWAITING_DATA, then=F("amount")), default=Value(ZERO))),
        )
        .order_by()
    )
    rows: dict[tuple[int, int], BudgetRow] = {}
    paths: dict[int, str] = {}
    for row in aggregated:
        paths[row["funder_region_id"]] = row["funder_region__path"]
        rows[(row["funder_region_id"], row["budget_year"])] = BudgetRow(
            funder_id=row["funder_region_id"],
            funder=row["funder_region__name"],
            year=row["budget_year"],
            count=row["count"] or 0,
            owed=row["owed"],
            approved=row["approved"],
            paid=row["paid"],
            outstanding=row["outstanding"],
            clawback_due=row["clawback_due"],
            presumed=row["presumed"],
            awaiting_data=row["awaiting_data"],
        )
    allocations = allocations_visible_to(user)
    if year:
        allocations = allocations.filter(year=year)
    for allocation in allocations:
        key = (allocation.funder_region_id, allocation.year)
        paths[allocation.funder_region_id] = allocation.funder_region.path
        budget = rows.setdefault(key, BudgetRow(funder_id=key[0], funder=allocation.funder_region.name, year=key[1]))
        budget.allocated = allocation.amount
        budget.allocation_id = allocation.pk
        budget.allocation_version = allocation.version
    if forecast is not None:
        # The forecast of a province or city funder sits beside its row, and makes a row of its own
        # for a year nothing is owed or allocated yet; the counties' forecast is one line for the city.
        costed: dict[tuple[int, int], Decimal] = {}
        for line in forecast.lines:
            level, region_id = line.funder_key
            if level in (FunderLevel.PROVINCE, FunderLevel.CITY) and (not year or line.budget_year == year):
                key = (region_id, line.budget_year)
                costed[key] = costed.get(key, ZERO) + line.amount
                if key not in rows:
                    rows[key] = BudgetRow(funder_id=region_id, funder=line.funder_label, year=line.budget_year)
        for key, budget in rows.items():
            budget.forecast = costed.get(key)
        unplaced = {region_id for region_id, _year in costed if region_id not in paths}
        paths.update(Region.objects.filter(pk__in=unplaced).values_list("pk", "path") if unplaced else [])
    return sorted(rows.values(), key=lambda row: (row.year, paths.get(row.funder_id, "")))


def funder_choices(user: User) -> list[tuple[int, str]]:
    return list(
        shares_visible_to(user)
        .order_by("funder_region__path")
        .values_list("funder_region_id", "funder_region__name")
        .distinct()
    )


def rules_for(user: User, *, show_all: bool = False) -> QuerySet[RewardRule]:
    """The reward rules of the user's chain of jurisdictions (national, province, city, county and below);
    `show_all` lists every region's, as the documents are public."""
    qs = rule_list()
    return qs if show_all else qs.filter(jurisdiction_filter(user, "policy__region"))


def rule_list() -> QuerySet[RewardRule]:
    return (
        RewardRule.objects.select_related("policy", "measure", "tier", "prerequisite_tier", "region")
        .prefetch_related("funders")
        .order_by("policy__region__path", "policy__code", "pk")
    )


@dataclass
class NextRung:
    ladder: str
    tier_name: str
    rules: list[tuple[RewardRule, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((amount for _rule, amount in self.rules), ZERO)


def enterprise_rewards(user: User, enterprise: Enterprise) -> dict:
    """What the enterprise has been owed and paid under every policy, and what its next rungs would bring."""
    entitlements = list(entitlement_list(user).filter(enterprise=enterprise).order_by("-trigger_date", "pk"))
    # entitlement_list's Prefetch(to_attr="visible_shares") sets the attribute; the plugin's type does not reach here.
    shares = [share for e in entitlements for share in e.visible_shares]  # type: ignore[attr-defined]
    owed = sum((share.amount for share in shares if share.status not in NOT_OWED), ZERO)
    paid = sum((share.paid_amount - share.clawed_back_amount for share in shares), ZERO)
    return {
        "entitlements": entitlements,
        "owed": owed,
        "paid": paid,
        "next_rungs": next_rungs(enterprise),
    }


def next_rungs(enterprise: Enterprise) -> list[NextRung]:
    """For each ladder the enterprise stands on, the rung above its highest held tier and what reaching it pays.

    Only rules of its region, for new recognitions, and whose window is still open count.
    """
    today = timezone.localdate()
    held = set(
        Recognition.objects.filter(enterprise=enterprise, status=Recognition.Status.VALID).values_list(
            "tier_id", flat=True
        )
    )
    if not held:
        return []
    rungs = list(
        LadderRung.objects.filter(ladder__rungs__tier_id__in=held)
        .select_related("ladder__region", "tier")
        .distinct()
        .order_by("ladder__code", "position")
    )
    region_path = enterprise.region.path
    by_ladder: dict[int, list[LadderRung]] = {}
    for rung in rungs:
        if rung.ladder.region is None or region_path.startswith(rung.ladder.region.path):
            by_ladder.setdefault(rung.ladder_id, []).append(rung)
    targets: list[tuple[str, LadderRung]] = []
    for ladder_rungs in by_ladder.values():
        top = max((rung.position for rung in ladder_rungs if rung.tier_id in held), default=None)
        following = [rung for rung in ladder_rungs if top is not None and rung.position > top]
        if following:
            targets.append((ladder_rungs[0].ladder.name, following[0]))
    if not targets:
        return []
    rules = [
        rule
        for rule in RewardRule.objects.filter(
            is_active=True,
            is_monetary=True,
            trigger__in=(Trigger.RECOGNITION, Trigger.ABOVE_SCALE),
            tier_id__in={rung.tier_id for _name, rung in targets},
        ).select_related("region", "policy")
        if region_path.startswith(rule.region.path) and (rule.window_end is None or rule.window_end >= today)
    ]
    already = set(Entitlement.objects.filter(enterprise=enterprise).values_list("rule_id", flat=True))
    result = []
    for name, rung in targets:
        matching = [
            (rule, rule.amount or ZERO)
            for rule in rules
            if rule.tier_id == rung.tier_id
            and rule.pk not in already
            and (rule.prerequisite_tier_id is None or rule.prerequisite_tier_id in held)
        ]
        result.append(NextRung(ladder=name, tier_name=rung.tier.name, rules=matching))
    return result


def rule_history(rule: RewardRule) -> QuerySet[AuditEvent]:
    """Who confirmed the rule's funders or changed its tranches, and when."""
    return (
        AuditEvent.objects.filter(object_type=RewardRule._meta.label_lower, object_id=str(rule.pk))
        .select_related("actor")
        .order_by("-at")[:50]
    )


def allocation_funders_for(user: User) -> QuerySet[Region]:
    """The funders whose allocations the user may set: a finance user's own, an administrator's whole scope."""
    if is_finance_user(user):
        funder_id = funder_region_id_of(user)
        return Region.objects.filter(pk=funder_id) if funder_id is not None else Region.objects.none()
    if user.is_authenticated and user.is_admin:
        return regions_visible_to(user).order_by("path")
    return Region.objects.none()


def importable_funders(user: User) -> dict[str, Region]:
    """Names and codes an allocation sheet may use for the funders the user may budget for."""
    return {key: region for region in allocation_funders_for(user) for key in (region.name, region.code) if key}
