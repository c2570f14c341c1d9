"""Caps from the enterprise's own figures (“不高于企业三年累计缴税总额”), settled when the figures arrive.

An entitlement whose cap cannot be computed is written with its shares
“awaiting data” and its uncapped amount as the most it could be; nothing can be
approved on it. When the missing years are entered, the cap is applied, the
shares are re-cut and become due.
"""

import logging
from decimal import Decimal

from django.db import transaction

from incentives.history import data_cap
from incentives.models import Entitlement, EntitlementShare, ShareStatus
from incentives.services.calculation import CENT, plain
from portal.audit import record_event
from portal.models import AuditEvent, User

logger = logging.getLogger(__name__)
AWAITING_MARK = "；待补充数据"


def _recut(shares: list[EntitlementShare], amount: Decimal) -> None:
    """The shares' amounts for a new total, in the same percentages; rounding goes to the last share."""
    remaining = amount
    for position, share in enumerate(shares):
        share.amount = remaining if position == len(shares) - 1 else (amount * share.percent / 100).quantize(CENT)
        remaining -= share.amount


@transaction.atomic
def settle_data_caps(*, enterprise_ids: list[int], actor: User | None = None) -> int:
    """Apply the cap to every entitlement of these enterprises that waits for figures and can now be capped.

    Returns how many entitlements became due; running it again changes none.
    """
    wanted = set(enterprise_ids)
    # Few rows wait at any time: find them, then keep those of the changed enterprises in Python
    # (a roster can announce tens of thousands of ids, too many for one IN list).
    waiting_ids = {
        pk
        for pk, enterprise_id in EntitlementShare.objects.filter(status=ShareStatus.AWAITING_DATA).values_list(
            "entitlement_id", "entitlement__enterprise_id"
        )
        if enterprise_id in wanted
    }
    waiting = (
        Entitlement.objects.select_for_update(of=("self",))
        .filter(pk__in=waiting_ids)
        .select_related("rule", "beneficiary_region", "enterprise")
        .order_by("pk")
    )
    settled = 0
    for entitlement in waiting:
        cap = data_cap(entitlement.rule, entitlement.enterprise_id, entitlement.trigger_date)
        if cap is None or cap.amount is None:
            continue
        before = {"amount": plain(entitlement.amount), "calculation": entitlement.calculation}
        amount = min(entitlement.amount, cap.amount.quantize(CENT))
        calculation = entitlement.calculation.split(AWAITING_MARK)[0] + f"；{cap.text}"
        if amount < entitlement.amount:
            calculation += f"，取 {plain(amount)} 万元"
        entitlement.amount = amount
        entitlement.calculation = calculation[:300]
        entitlement.save(update_fields=["amount", "calculation"])
        shares = list(entitlement.shares.select_for_update().order_by("level", "pk"))
        _recut(shares, amount)
        for share in shares:
            if share.status == ShareStatus.AWAITING_DATA:
                share.status = ShareStatus.DUE
            share.version += 1
        EntitlementShare.objects.bulk_update(shares, ["amount", "status", "version"])
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=entitlement,
            region=entitlement.beneficiary_region,
            changes={
                "amount": [before["amount"], plain(amount)],
                "calculation": [before["calculation"], entitlement.calculation],
            },
            note=cap.text,
        )
        settled += 1
    return settled


def on_enterprises_changed(*, enterprise_ids: list[int]) -> None:
    """ENTERPRISE_CHANGE_HOOKS: figures entered may settle a cap. A failure must not fail the committed edit."""
    try:
        settle_data_caps(enterprise_ids=enterprise_ids)
    except Exception:
        logger.exception("could not settle data caps for enterprises %s", list(enterprise_ids)[:20])
