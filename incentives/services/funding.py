"""What a finance administrator decides about a rule: who pays which share (推定 → confirmed) and its tranches."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incentives.models import EntitlementShare, FunderLevel, RewardFunder, RewardRule, ShareStatus
from incentives.services.calculation import RegionIndex, plain, split_amount
from portal.audit import update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import User

HUNDRED = Decimal("100")


def _lock_rule(rule_id: int, expected_version: int | None) -> RewardRule:
    rule = RewardRule.objects.select_for_update(of=("self",)).select_related("region").filter(pk=rule_id).first()
    if rule is None:
        raise ServiceError(_("This reward rule no longer exists."), code="missing")
    if expected_version is not None and rule.version != expected_version:
        raise ConcurrentEditError(_("Someone else changed this rule in the meantime. Please reload and try again."))
    return rule


def _funders_text(funders: dict[str, Decimal]) -> str:
    labels = dict(FunderLevel.choices)
    return "，".join(f"{labels[level]} {plain(percent)}%" for level, percent in funders.items())


def clean_funders(raw: Mapping[str, object]) -> dict[str, Decimal]:
    """Percentages per level from a form or the API: known levels, each 0–100, together exactly 100."""
    funders: dict[str, Decimal] = {}
    for level, value in raw.items():
        if level not in FunderLevel.values:
            raise ServiceError(_("Unknown funder level: %(level)s") % {"level": level}, code="funders")
        if value in (None, ""):
            continue
        try:
            percent = Decimal(str(value))
        except InvalidOperation as error:
            raise ServiceError(_("The share of a funder must be a number."), code="funders") from error
        if not Decimal("0") <= percent <= HUNDRED:
            raise ServiceError(_("The share of a funder must lie between 0 and 100 %."), code="funders")
        if percent:
            funders[level] = percent
    if sum(funders.values(), Decimal("0")) != HUNDRED:
        raise ServiceError(_("The funders' shares must add up to 100 %."), code="funders")
    return {level: funders[level] for level in FunderLevel.values if level in funders}


@transaction.atomic
def confirm_rule_funders(
    *,
    actor: User | None,
    rule_id: int,
    funders: dict[str, Decimal],
    note: str = "",
    expected_version: int | None = None,
) -> RewardRule:
    """A finance administrator confirms (or changes) who pays a rule whose split the document does not state.

    Shares not yet approved are cut again by the confirmed split; shares with
    money approved keep their funder and are no longer marked presumed. Audited.
    """
    rule = _lock_rule(rule_id, expected_version)
    funders = clean_funders(funders)
    before = {funder.level: funder.percent for funder in rule.funders.all()}
    if before != funders:
        rule.funders.all().delete()
        RewardFunder.objects.bulk_create(
            [RewardFunder(rule=rule, level=level, percent=percent) for level, percent in funders.items()]
        )
        _recut_untouched_shares(rule)
    update_audited(
        rule,
        actor=actor,
        values={
            "funders_presumed": False,
            "funders_confirmed_by": actor if actor and actor.pk else None,
            "funders_confirmed_at": timezone.now(),
        },
        changes={
            "funders": [_funders_text(before), _funders_text(funders)],
            "funders_presumed": [rule.funders_presumed, False],
        },
        region=rule.region,
        note=note,
        update_fields=("funders_presumed", "funders_confirmed_by", "funders_confirmed_at"),
    )
    EntitlementShare.objects.filter(entitlement__rule=rule, is_presumed=True).update(is_presumed=False)
    return rule


def _recut_untouched_shares(rule: RewardRule) -> None:
    """Entitlements on which nothing was approved get their shares again from the rule's new split."""
    index = RegionIndex()
    untouched = (
        rule.entitlements.exclude(shares__approved_amount__gt=0)
        .exclude(shares__status__in=(ShareStatus.CANCELLED, ShareStatus.ON_HOLD))
        .select_related("enterprise__region", "beneficiary_region")
    )
    for entitlement in untouched:
        old = list(entitlement.shares.all())
        status = old[0].status if old else ShareStatus.DUE
        location = (
            entitlement.enterprise.region if entitlement.enterprise is not None else entitlement.beneficiary_region
        )
        entitlement.shares.all().delete()
        EntitlementShare.objects.bulk_create(
            [
                EntitlementShare(
                    entitlement=entitlement,
                    funder_region=region,
                    level=level,
                    percent=percent,
                    amount=amount,
                    budget_year=entitlement.budget_year,
                    status=status,
                )
                for region, level, percent, amount in split_amount(
                    rule=rule, amount=entitlement.amount, location=location, index=index
                )
            ]
        )


def clean_tranches(raw: str | list) -> list[int]:
    """ "50,50" or [50, 50] → [50, 50]; empty means one payment. Whole percentages adding up to 100."""
    parts = raw if isinstance(raw, list) else [part for part in str(raw).replace("，", ",").split(",") if part.strip()]
    try:
        percents = [int(str(part).strip().rstrip("%")) for part in parts]
    except ValueError as error:
        raise ServiceError(
            _("Enter the tranches as whole percentages separated by commas, e.g. 50,50."), code="tranches"
        ) from error
    if percents and (any(percent <= 0 for percent in percents) or sum(percents) != 100):
        raise ServiceError(_("Each tranche must be above 0 % and together they must make 100 %."), code="tranches")
    return [] if percents == [100] else percents


@transaction.atomic
def set_rule_tranches(
    *, actor: User | None, rule_id: int, tranches: str | list, expected_version: int | None = None
) -> RewardRule:
    """Pay a rule's rewards in tranches (e.g. 50 % on recognition, 50 % after the performance check). Audited."""
    rule = _lock_rule(rule_id, expected_version)
    percents = clean_tranches(tranches)
    before = list(rule.tranche_percents or [])
    if before == percents:
        return rule
    update_audited(
        rule,
        actor=actor,
        values={"tranche_percents": percents},
        changes={"tranche_percents": [before, percents]},
        region=rule.region,
        update_fields=("tranche_percents",),
    )
    return rule
