"""What a revoked recognition does to its rewards."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from incentives.models import EntitlementShare, ShareStatus
from incentives.services.entitlements import compute_entitlements_for_recognitions
from portal.audit import record_event
from portal.models import AuditEvent, User
from tiers.models import Recognition

logger = logging.getLogger(__name__)

OPEN_UNPAID = (ShareStatus.DUE, ShareStatus.APPROVED, ShareStatus.ON_HOLD)


@transaction.atomic
def apply_revocation(*, recognition_id: int, actor: User | None = None) -> int:
    """A revoked recognition stops its unpaid rewards; where the rule says so, paid money is clawed back.

    Where the rule does not require a clawback, unpaid shares are put on hold for
    the funder to decide. Returns how many shares changed; running it again changes none.
    """
    shares = list(
        EntitlementShare.objects.select_for_update(of=("self",))
        .filter(entitlement__recognition_id=recognition_id, entitlement__recognition__status=Recognition.Status.REVOKED)
        .select_related("entitlement__rule", "funder_region")
    )
    changed = 0
    for share in shares:
        before = share.status
        if share.entitlement.rule.clawback_on_revocation:
            if share.paid_amount > share.clawed_back_amount and share.status not in (
                ShareStatus.CLAWBACK_DUE,
                ShareStatus.CLAWED_BACK,
            ):
                share.status = ShareStatus.CLAWBACK_DUE
            elif share.paid_amount == 0 and share.status in OPEN_UNPAID:
                share.status = ShareStatus.CANCELLED
        elif share.status in (ShareStatus.DUE, ShareStatus.APPROVED, ShareStatus.PARTIALLY_PAID):
            share.held_from = share.status
            share.status = ShareStatus.ON_HOLD
        if share.status == before:
            continue
        share.note = _("Recognition revoked.")
        share.version += 1
        share.save(update_fields=["status", "held_from", "note", "version"])
        record_event(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            instance=share,
            region=share.funder_region,
            changes={"status": [before, share.status]},
            note=share.note,
        )
        changed += 1
    return changed


def sync_revocations(*, actor: User | None = None) -> int:
    """Apply every revocation not applied yet (the nightly catch-up for revocations made elsewhere)."""
    recognition_ids = set(
        EntitlementShare.objects.filter(
            entitlement__recognition__status=Recognition.Status.REVOKED,
            status__in=(ShareStatus.DUE, ShareStatus.APPROVED, ShareStatus.PARTIALLY_PAID, ShareStatus.PAID),
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
