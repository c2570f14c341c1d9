"""Loading the reward rules of incentives.rules into the database: each rule with its policy, article, region
and tiers, its funder split (unless finance has confirmed one), and the entitlements a new rule owes."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from incentives.models import RewardFunder, RewardRule
from incentives.rules import RULES, PolicyKey, RuleSpec
from incentives.services.entitlements import compute_entitlements_for_rules
from portal.models import Region
from tasks.models import Measure, Policy
from tiers.models import Tier


def find_policy(key: PolicyKey) -> Policy | None:
    query = Q(code=key.code) | Q(source_file__endswith=key.filename)
    if key.document_number:
        query |= Q(document_number=key.document_number)
    return Policy.objects.filter(query).order_by("pk").first()


def find_measure(policy: Policy, spec: RuleSpec) -> Measure | None:
    measures = list(policy.measures.filter(number=spec.article))
    if len(measures) > 1:
        measures = [measure for measure in measures if spec.anchor in measure.text] or measures
    return measures[0] if measures else None


@transaction.atomic
def load_reward_rules() -> dict[str, int]:
    """Create or update every rule above; running it twice changes nothing.

    Rules of a policy that is not loaded yet are skipped and counted.
    """
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    regions = {region.code: region for region in Region.objects.filter(code__in={s.policy.region_code for s in RULES})}
    policies: dict[str, Policy | None] = {}
    loaded_ids: list[int] = []
    skipped = 0
    for spec in RULES:
        if spec.policy.code not in policies:
            policies[spec.policy.code] = find_policy(spec.policy)
        policy = policies[spec.policy.code]
        region = regions.get(spec.policy.region_code) or (policy.region if policy else None)
        if policy is None or region is None or (spec.tier and spec.tier not in tiers):
            skipped += 1
            continue
        rule, _created = RewardRule.objects.update_or_create(
            code=spec.code,
            defaults={
                "policy": policy,
                "measure": find_measure(policy, spec),
                "article": spec.article,
                "name": spec.name,
                "clause": spec.clause,
                "region": region,
                "trigger": spec.trigger,
                "tier": tiers.get(spec.tier) if spec.tier else None,
                "prerequisite_tier": tiers.get(spec.prerequisite_tier) if spec.prerequisite_tier else None,
                "event_code": spec.event_code,
                "threshold_count": spec.threshold_count,
                "is_monetary": spec.is_monetary,
                "amount": Decimal(spec.amount) if spec.amount else None,
                "is_cap": spec.is_cap,
                "percentage": Decimal(spec.percentage) if spec.percentage else None,
                "max_amount": Decimal(spec.max_amount) if spec.max_amount else None,
                "beneficiary": spec.beneficiary,
                "holders": spec.holders,
                "effective_from": spec.policy.effective_from,
                "window_start": spec.window[0] if spec.window else None,
                "window_end": spec.window[1] if spec.window else None,
                "budget_lag_years": spec.budget_lag_years,
                "recurrence": spec.recurrence,
                "once_per_enterprise": spec.once_per_enterprise,
                "notes": spec.notes,
                "cap_indicator": spec.cap_indicator,
                "cap_years": spec.cap_years,
            },
        )
        # Tranches and a confirmed funder split are finance's decisions: reloading keeps them.
        if _created:
            rule.tranche_percents = list(spec.tranche_percents)
        if rule.funders_confirmed_at is None:
            rule.funders_presumed = spec.funders_presumed
        rule.save(update_fields=["tranche_percents", "funders_presumed"])
        wanted = {level: Decimal(percent) for level, percent in spec.funders}
        current = {funder.level: funder.percent for funder in rule.funders.all()}
        if current != wanted and rule.funders_confirmed_at is None:
            rule.funders.all().delete()
            RewardFunder.objects.bulk_create(
                [RewardFunder(rule=rule, level=level, percent=percent) for level, percent in wanted.items()]
            )
        loaded_ids.append(rule.pk)
    # A rule added now also owes the recognitions already on record, where it says so.
    compute_entitlements_for_rules(rule_ids=loaded_ids, actor=None)
    return {"reward_rules": len(loaded_ids), "reward_rules_skipped": skipped}
