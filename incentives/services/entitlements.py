"""Writing entitlements: what each recognition or event is owed under the reward rules.

Entitlements are inserted with ON CONFLICT DO NOTHING against two unique
constraints, so that re-running a computation, granting the same recognition
twice or two workers computing at once can never owe anything twice. An
entitlement and its funder shares are written in one transaction; a row with
no shares yet is therefore one this transaction has just inserted.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import AboveScalePeriod, Enterprise
from incentives.models import Entitlement, EntitlementShare, RewardEvent, RewardRule, Trigger
from incentives.services.calculation import (
    EVENT_TRIGGERS,
    RECOGNITION_TRIGGERS,
    Candidate,
    RegionIndex,
    event_candidates,
    key_of,
    park_cluster_candidates,
    period_candidates,
    plain,
    recognition_candidates,
    recognitions_owed_under,
)
from portal.audit import audit_rows, record_event
from portal.cache import figures_changed
from portal.exceptions import ServiceError
from portal.models import AuditEvent, Region, User
from tiers.models import Recognition


def _materialise(candidates: list[Candidate], *, actor: User | None) -> list[Entitlement]:
    """Insert what is not there yet and give the new rows their shares and audit events."""
    unique: dict[tuple, Candidate] = {}
    for candidate in sorted(candidates, key=lambda item: (item.trigger_date, item.recognition_id or 0)):
        unique.setdefault(candidate.key, candidate)
    if not unique:
        return []
    Entitlement.objects.bulk_create(
        [
            Entitlement(
                rule=candidate.rule,
                recognition_id=candidate.recognition_id,
                event_id=candidate.event_id,
                enterprise_id=candidate.enterprise_id,
                beneficiary_region=candidate.beneficiary_region,
                event_key=candidate.event_key,
                trigger_date=candidate.trigger_date,
                budget_year=candidate.budget_year,
                amount=candidate.amount,
                is_capped=candidate.rule.is_cap,
                basis=f"{candidate.rule.citation}：{candidate.rule.name}",
                calculation=candidate.calculation[:300],
            )
            for candidate in unique.values()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    figures_changed()  # bulk_create sends no model signals
    rule_ids = {candidate.rule.pk for candidate in unique.values()}
    fresh = [
        entitlement
        for entitlement in Entitlement.objects.filter(rule_id__in=rule_ids).filter(
            ~Exists(EntitlementShare.objects.filter(entitlement=OuterRef("pk")))
        )
        if key_of(entitlement) in unique
    ]
    shares = []
    for entitlement in fresh:
        candidate = unique[key_of(entitlement)]
        for region, level, percent, amount in candidate.shares:
            shares.append(
                EntitlementShare(
                    entitlement=entitlement,
                    funder_region=region,
                    level=level,
                    percent=percent,
                    amount=amount,
                    budget_year=entitlement.budget_year,
                    status=candidate.status,
                    is_presumed=candidate.rule.funders_presumed,
                )
            )
    EntitlementShare.objects.bulk_create(shares, batch_size=2000)
    if fresh:
        audit_rows(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            model=Entitlement,
            rows=[
                (
                    entitlement.pk,
                    f"{unique[key_of(entitlement)].beneficiary_label} · {unique[key_of(entitlement)].rule.name}",
                    {
                        "amount": [None, plain(entitlement.amount)],
                        "basis": [None, entitlement.basis],
                        "shares": [
                            None,
                            {
                                region.name: plain(amount)
                                for region, _l, _p, amount in unique[key_of(entitlement)].shares
                            },
                        ],
                    },
                )
                for entitlement in fresh
            ],
            region_ids=[entitlement.beneficiary_region_id for entitlement in fresh],
        )
    return fresh


def _active_rules() -> QuerySet[RewardRule]:
    return (
        RewardRule.objects.filter(is_active=True, is_monetary=True)
        .select_related("policy", "region", "tier")
        .prefetch_related("funders")
    )


@transaction.atomic
def compute_entitlements_for_recognition(*, recognition_id: int, actor: User | None = None) -> list[Entitlement]:
    """Owe what the rules promise for one recognition, and any park it brings to a threshold.

    Running it again for the same recognition adds nothing.
    """
    return compute_entitlements_for_recognitions(recognition_ids=[recognition_id], actor=actor)


@transaction.atomic
def compute_entitlements_for_recognitions(
    *, recognition_ids: list[int], actor: User | None = None
) -> list[Entitlement]:
    """The same for many recognitions at once (a roster import): a fixed number of queries per rule involved.

    Running it again for the same recognitions adds nothing.
    """
    recognitions = list(
        Recognition.objects.select_related("enterprise__region", "tier").filter(pk__in=list(recognition_ids))
    )
    if not recognitions:
        return []
    index = RegionIndex()
    candidates: list[Candidate] = _dependent_candidates(recognitions, index)
    for rule in _active_rules().filter(tier_id__in={recognition.tier_id for recognition in recognitions}):
        covered = [
            recognition
            for recognition in recognitions
            if recognition.tier_id == rule.tier_id and recognition.enterprise.region.path.startswith(rule.region.path)
        ]
        if not covered:
            continue
        if rule.trigger in RECOGNITION_TRIGGERS:
            candidates += recognition_candidates(rule, covered, index)
        elif rule.trigger == Trigger.PARK_CLUSTER:
            parks = {
                node.pk: node
                for recognition in covered
                for node in index.chain(recognition.enterprise.region)
                if node.kind == Region.Kind.PARK
            }
            candidates += park_cluster_candidates(rule, index, list(parks.values()))
    return _materialise(candidates, actor=actor)


def _dependent_candidates(recognitions: list[Recognition], index: RegionIndex) -> list[Candidate]:
    """Rules that require the granted tier (西宁 科技小巨人 再奖励 requires 高企), for enterprises already holding theirs.

    Whatever the order of the grants, the reward is owed as soon as both are held.
    """
    candidates: list[Candidate] = []
    granted = {(recognition.enterprise_id, recognition.tier_id) for recognition in recognitions}
    for rule in _active_rules().filter(prerequisite_tier_id__in={tier_id for _e, tier_id in granted}):
        enterprise_ids = {enterprise_id for enterprise_id, tier_id in granted if tier_id == rule.prerequisite_tier_id}
        held = list(
            # The plugin refuses None for the lookup; Django reads it as IS NULL, which no recognition matches.
            Recognition.objects.filter(enterprise_id__in=enterprise_ids, tier_id=rule.tier_id)  # type: ignore[misc]
            .exclude(status=Recognition.Status.REVOKED)
            .select_related("enterprise__region", "tier")
        )
        candidates += recognition_candidates(rule, held, index)
    return candidates


@transaction.atomic
def compute_entitlements_for_periods(*, period_ids: list[int], actor: User | None = None) -> list[Entitlement]:
    """Owe 升规 for entries into the above-size statistics (not for a re-entry after 退库). Idempotent."""
    periods = list(AboveScalePeriod.objects.select_related("enterprise__region").filter(pk__in=period_ids))
    if not periods:
        return []
    index = RegionIndex()
    candidates: list[Candidate] = []
    for rule in _active_rules().filter(trigger=Trigger.ABOVE_SCALE):
        candidates += period_candidates(rule, periods, index)
    return _materialise(candidates, actor=actor)


@transaction.atomic
def compute_entitlements_for_rules(*, rule_ids: list[int] | None = None, actor: User | None = None) -> int:
    """Owe every recognition, event and park already on record under the given rules (all when None).

    This is what happens when a rule is added; it is also the nightly catch-up. Idempotent.
    """
    rules = _active_rules()
    if rule_ids is not None:
        rules = rules.filter(pk__in=rule_ids)
    index = RegionIndex()
    created = 0
    for rule in rules:
        candidates: list[Candidate] = []
        if rule.trigger in RECOGNITION_TRIGGERS and rule.tier_id:
            candidates += recognition_candidates(rule, list(recognitions_owed_under(rule)), index)
        if rule.trigger in EVENT_TRIGGERS:
            events = RewardEvent.objects.filter(kind=rule.trigger).select_related("enterprise__region", "region")
            candidates += event_candidates(rule, list(events), index)
        if rule.trigger == Trigger.PARK_CLUSTER:
            candidates += park_cluster_candidates(rule, index)
        if rule.trigger == Trigger.ABOVE_SCALE:
            periods = AboveScalePeriod.objects.filter(entered_on__gte=rule.window_start or rule.effective_from)
            candidates += period_candidates(rule, list(periods.select_related("enterprise__region")), index)
        created += len(_materialise(candidates, actor=actor))
    return created


@transaction.atomic
def record_reward_event(
    *,
    actor: User | None,
    kind: str,
    occurred_on: datetime.date,
    enterprise: Enterprise | None = None,
    region: Region | None = None,
    event_code: str = "",
    base_amount: Decimal | None = None,
    reference: str = "",
) -> tuple[RewardEvent, list[Entitlement]]:
    """Record an event a rule rewards (升规, a 500强 list, a platform's year, a project) and owe what it earns."""
    if kind not in EVENT_TRIGGERS:
        raise ServiceError(_("This kind of event is not recorded by hand."), code="kind")
    event_region = enterprise.region if enterprise is not None else region
    if event_region is None:
        raise ServiceError(_("Name the enterprise or the region of the event."), code="enterprise")
    if kind == Trigger.PROJECT_SHARE and (base_amount is None or base_amount <= 0):
        raise ServiceError(_("A project reward needs the project's investment."), code="base_amount")
    if occurred_on > timezone.localdate() + datetime.timedelta(days=366):
        raise ServiceError(_("The date lies in the future."), code="occurred_on")
    event = RewardEvent.objects.create(
        kind=kind,
        event_code=event_code,
        enterprise=enterprise,
        region=event_region,
        occurred_on=occurred_on,
        base_amount=base_amount,
        reference=reference,
        recorded_by=actor if actor and actor.pk else None,
    )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=event,
        region=event.region,
        changes={"kind": [None, kind], "event_code": [None, event_code], "occurred_on": [None, str(occurred_on)]},
    )
    event = RewardEvent.objects.select_related("enterprise__region", "region").get(pk=event.pk)
    index = RegionIndex()
    candidates: list[Candidate] = []
    for rule in _active_rules().filter(trigger=kind):
        candidates += event_candidates(rule, [event], index)
    return event, _materialise(candidates, actor=actor)
