"""What a revoked recognition does to its rewards."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from incentives.models import Entitlement, EntitlementShare, ShareStatus
from incentives.services.calculation import plain
from incentives.services.entitlements import compute_entitlements_for_periods, compute_entitlements_for_recognitions
from portal.audit import update_audited
from portal.models import AuditEvent, User
from tiers.models import Recognition

logger = logging.getLogger(__name__)

ENDED = (ShareStatus.CANCELLED, ShareStatus.CLAWBACK_DUE, ShareStatus.CLAWED_BACK)


def _end_share(share: EntitlementShare, reason: str) -> str:
    """The share's fate when the basis of its reward is gone; sets status and note, returns the new status.

    Unpaid money ends (cancelled, the revocation as reason). Money already paid
    stays paid: flagged 待定追回 where the rule provides a clawback, else kept with a note.
    """
    paid = share.paid_amount - share.clawed_back_amount
    if paid <= 0:
        share.status = ShareStatus.CANCELLED
        share.note = (_("Cancelled: %(reason)s") % {"reason": reason})[:500]
    elif share.entitlement.rule.clawback_on_revocation:
        share.status = ShareStatus.CLAWBACK_DUE
        share.note = (_("%(reason)s; the rule provides a clawback of what was paid.") % {"reason": reason})[:500]
    else:
        if share.status != ShareStatus.PAID:
            share.status = ShareStatus.CANCELLED
        share.note = (
            _("%(reason)s; %(paid)s 万元 already paid stays paid: the rule provides no clawback.")
            % {"reason": reason, "paid": plain(paid)}
        )[:500]
    return share.status


@transaction.atomic
def end_entitlements(*, entitlement_ids: list[int], reason: str, actor: User | None = None) -> int:
    """End the rewards whose basis is gone; returns how many shares changed. Running it again changes none."""
    shares = list(
        EntitlementShare.objects.select_for_update(of=("self",))
        .filter(entitlement_id__in=entitlement_ids)
        .exclude(status__in=ENDED)
        .select_related("entitlement__rule", "funder_region")
    )
    changed = 0
    for share in shares:
        before = {"status": share.status, "note": share.note}
        _end_share(share, reason)
        if share.status == before["status"] and share.note == before["note"]:
            continue
        update_audited(
            share,
            actor=actor,
            values={"held_from": ""},
            changes={"status": [before["status"], share.status]},
            action=AuditEvent.Action.TRANSITION,
            region=share.funder_region,
            note=share.note,
            update_fields=("status", "held_from", "note"),
        )
        changed += 1
    return changed


def _revocation_reason(recognition: Recognition) -> str:
    return _("Recognition of %(tier)s revoked on %(date)s: %(reason)s") % {
        "tier": recognition.tier.name,
        "date": recognition.revoked_on,
        "reason": recognition.revoked_reason or "-",
    }


@transaction.atomic
def apply_revocation(*, recognition_id: int, actor: User | None = None) -> int:
    """A revoked recognition ends its rewards, and those of the rules that require its tier.

    西宁's 科技小巨人 再奖励 requires 高企: revoking the enterprise's only 高企
    recognition ends it too. Returns how many shares changed; running it again changes none.
    """
    recognition = (
        Recognition.objects.select_related("tier").filter(pk=recognition_id, status=Recognition.Status.REVOKED).first()
    )
    if recognition is None:
        return 0
    reason = _revocation_reason(recognition)
    ids = list(Entitlement.objects.filter(recognition_id=recognition_id).values_list("pk", flat=True))
    still_holds = (
        Recognition.objects.filter(enterprise_id=recognition.enterprise_id, tier_id=recognition.tier_id)
        .exclude(status=Recognition.Status.REVOKED)
        .exists()
    )
    if not still_holds:
        ids += Entitlement.objects.filter(
            enterprise_id=recognition.enterprise_id, rule__prerequisite_tier_id=recognition.tier_id
        ).values_list("pk", flat=True)
    return end_entitlements(entitlement_ids=ids, reason=reason, actor=actor)


def sync_revocations(*, actor: User | None = None) -> int:
    """Apply every revocation not applied yet (the nightly catch-up for revocations made elsewhere)."""
    recognition_ids = set(
        EntitlementShare.objects.filter(
            entitlement__recognition__status=Recognition.Status.REVOKED,
            status__in=(
                ShareStatus.DUE,
                ShareStatus.APPROVED,
                ShareStatus.PARTIALLY_PAID,
                ShareStatus.PAID,
                ShareStatus.ON_HOLD,
                ShareStatus.AWAITING_DATA,
            ),
        ).values_list("entitlement__recognition_id", flat=True)
    )
    return sum(apply_revocation(recognition_id=pk, actor=actor) for pk in recognition_ids)


def on_recognitions_granted(*, recognition_ids: list[int]) -> None:
    """The batch hook tiers.services calls once after recognitions are committed (one grant or a whole roster).

    A failure here must not undo or fail the grant, which is already committed;
    the nightly recompute owes whatever was missed.
    """
    try:
        compute_entitlements_for_recognitions(recognition_ids=recognition_ids)
    except Exception:
        logger.exception("could not compute entitlements for recognitions %s", recognition_ids[:20])


def on_recognition_revoked(recognition_id: int) -> None:
    try:
        apply_revocation(recognition_id=recognition_id)
    except Exception:
        logger.exception("could not apply the revocation of recognition %s", recognition_id)


def on_above_scale_entered(period_id: int) -> None:
    """enterprises.scale_periods hook: an entry into the 规上 statistics may owe 升规 to its county."""
    try:
        compute_entitlements_for_periods(period_ids=[period_id])
    except Exception:
        logger.exception("could not compute 升规 entitlements for period %s", period_id)
