"""The payment workflow of a funder's share: due → approved → (partially) paid, with holds and clawbacks.

Each transition is one service that locks the share, checks the transition
table, writes the audit event and bumps the version. Tranches: a rule with
`tranche_percents` (the national 小巨人 fund: [50, 50]) has each approval
release the next tranche only; the next approval comes after the performance check.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incentives.models import EntitlementShare, Payment, ShareStatus
from incentives.services.calculation import CENT, HUNDRED, plain
from portal.audit import update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, User

# transition → statuses a share may be in for it
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "approve": (ShareStatus.DUE, ShareStatus.PARTIALLY_PAID),
    "pay": (ShareStatus.APPROVED, ShareStatus.PARTIALLY_PAID),
    "hold": (ShareStatus.DUE, ShareStatus.APPROVED, ShareStatus.PARTIALLY_PAID),
    "release": (ShareStatus.ON_HOLD,),
    "claw_back": (ShareStatus.CLAWBACK_DUE,),
}


def allowed_transitions(share: EntitlementShare) -> list[str]:
    """The transitions the share's state allows (not who may make them: see permissions)."""
    names = [name for name, sources in TRANSITIONS.items() if share.status in sources]
    if share.approvable <= 0 and "approve" in names:
        names.remove("approve")
    if share.payable <= 0 and "pay" in names:
        names.remove("pay")
    return names


def _lock(share_id: int, expected_version: int | None) -> EntitlementShare:
    share = (
        EntitlementShare.objects.select_for_update(of=("self",))
        .select_related("entitlement__rule", "funder_region")
        .filter(pk=share_id)
        .first()
    )
    if share is None:
        raise ServiceError(_("This share no longer exists."), code="missing")
    if expected_version is not None and share.version != expected_version:
        raise ConcurrentEditError(_("Someone else changed this share in the meantime. Please reload and try again."))
    return share


def _require(share: EntitlementShare, transition: str) -> None:
    if transition not in allowed_transitions(share):
        raise ServiceError(
            _("This share is “%(status)s”; that step is not possible now.") % {"status": share.get_status_display()},
            code="status",
        )


def _save(share: EntitlementShare, *, actor: User | None, before: dict, fields: list[str], note: str = "") -> None:
    after = {name: getattr(share, name) for name in before}
    update_audited(
        share,
        actor=actor,
        values={},
        changes={
            name: [
                plain(value) if isinstance(value, Decimal) else value,
                plain(after[name]) if isinstance(after[name], Decimal) else after[name],
            ]
            for name, value in before.items()
            if value != after[name]
        },
        action=AuditEvent.Action.TRANSITION,
        region=share.funder_region,
        note=note,
        update_fields=fields,
    )


def next_tranche_amount(share: EntitlementShare) -> Decimal:
    """What the next approval releases: the next tranche, or everything left when the rule has none."""
    percents = share.entitlement.rule.tranche_percents or [100]
    cumulative = Decimal("0")
    for position, percent in enumerate(percents):
        cumulative += Decimal(str(percent))
        limit = share.amount if position == len(percents) - 1 else (share.amount * cumulative / HUNDRED).quantize(CENT)
        if limit > share.approved_amount:
            return limit - share.approved_amount
    return share.amount - share.approved_amount


def tranche_number(share: EntitlementShare) -> int:
    """Which tranche the approved money belongs to (1 when the rule has no tranches)."""
    percents = share.entitlement.rule.tranche_percents or [100]
    cumulative = Decimal("0")
    for position, percent in enumerate(percents, start=1):
        cumulative += Decimal(str(percent))
        if (share.amount * cumulative / HUNDRED).quantize(CENT) >= share.approved_amount:
            return position
    return len(percents)


@transaction.atomic
def approve_share(
    *,
    actor: User | None,
    share_id: int,
    decided_amount: Decimal | None = None,
    note: str = "",
    condition: str = "",
    expected_version: int | None = None,
) -> EntitlementShare:
    """Approve the next tranche of a share (all of it when the rule has no tranches).

    Under a "不高于" rule the first approval may record a decided amount below
    the cap; otherwise the share is owed at the cap. A later tranche is released
    only on a recorded condition (e.g. "2025年绩效评价合格"), kept in the audit trail.
    """
    share = _lock(share_id, expected_version)
    _require(share, "approve")
    condition = condition.strip()
    if share.approved_amount > 0 and not condition:
        raise ServiceError(
            _("Tranche %(tranche)s is released only on a recorded condition: state what was met.")
            % {"tranche": tranche_number(share) + 1},
            code="condition",
        )
    if condition:
        note = _("Condition met: %(condition)s") % {"condition": condition} + (f"；{note}" if note else "")
    before = {"status": share.status, "amount": share.amount, "approved_amount": share.approved_amount}
    if decided_amount is not None and decided_amount != share.amount:
        if not share.entitlement.is_capped:
            raise ServiceError(
                _("Only a reward capped by “不高于” can be decided below its amount."), code="decided_amount"
            )
        if share.approved_amount > 0:
            raise ServiceError(_("The amount can only be decided at the first approval."), code="decided_amount")
        if not Decimal("0") < decided_amount <= share.amount:
            raise ServiceError(
                _("The decided amount must be above 0 and at most %(cap)s 万元.") % {"cap": plain(share.amount)},
                code="decided_amount",
            )
        share.amount = decided_amount
    share.approved_amount += next_tranche_amount(share)
    share.status = ShareStatus.APPROVED
    share.note = note[:500]
    _save(share, actor=actor, before=before, fields=["status", "amount", "approved_amount", "note"], note=note)
    return share


@transaction.atomic
def record_payment(
    *,
    actor: User | None,
    share_id: int,
    amount: Decimal,
    paid_on: datetime.date,
    voucher_no: str,
    expected_version: int | None = None,
) -> Payment:
    """Record money paid against the approved part of a share; the same voucher is never recorded twice."""
    share = _lock(share_id, expected_version)
    voucher_no = voucher_no.strip()
    if not voucher_no:
        raise ServiceError(_("Enter the voucher number."), code="voucher_no")
    if share.payments.filter(kind=Payment.Kind.PAYMENT, voucher_no=voucher_no).exists():
        raise ServiceError(
            _("Voucher %(voucher)s is already recorded for this share.") % {"voucher": voucher_no}, code="voucher_no"
        )
    _require(share, "pay")
    if amount <= 0 or amount > share.payable:
        raise ServiceError(
            _("The amount paid must be above 0 and at most the approved, unpaid %(payable)s 万元.")
            % {"payable": plain(share.payable)},
            code="amount",
        )
    if paid_on > timezone.localdate():
        raise ServiceError(_("The payment date lies in the future."), code="paid_on")
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                share=share,
                kind=Payment.Kind.PAYMENT,
                tranche=tranche_number(share),
                amount=amount,
                paid_on=paid_on,
                voucher_no=voucher_no,
                recorded_by=actor if actor and actor.pk else None,
            )
    except IntegrityError as error:
        raise ServiceError(
            _("Voucher %(voucher)s is already recorded for this share.") % {"voucher": voucher_no}, code="voucher_no"
        ) from error
    before = {"status": share.status, "paid_amount": share.paid_amount}
    share.paid_amount += amount
    share.status = ShareStatus.PAID if share.paid_amount >= share.amount else ShareStatus.PARTIALLY_PAID
    _save(
        share,
        actor=actor,
        before=before,
        fields=["status", "paid_amount"],
        note=_("Voucher %(voucher)s") % {"voucher": voucher_no},
    )
    return payment


@transaction.atomic
def hold_share(
    *, actor: User | None, share_id: int, reason: str, expected_version: int | None = None
) -> EntitlementShare:
    """Stop a share from being approved or paid until it is released."""
    share = _lock(share_id, expected_version)
    _require(share, "hold")
    if not reason.strip():
        raise ServiceError(_("Give a reason for the hold."), code="reason")
    before = {"status": share.status, "held_from": share.held_from}
    share.held_from = share.status
    share.status = ShareStatus.ON_HOLD
    share.note = reason[:500]
    _save(share, actor=actor, before=before, fields=["status", "held_from", "note"], note=reason)
    return share


@transaction.atomic
def release_share(*, actor: User | None, share_id: int, expected_version: int | None = None) -> EntitlementShare:
    """Return a held share to where it stood before the hold."""
    share = _lock(share_id, expected_version)
    _require(share, "release")
    before = {"status": share.status, "held_from": share.held_from}
    share.status = share.held_from or ShareStatus.DUE
    share.held_from = ""
    _save(share, actor=actor, before=before, fields=["status", "held_from"])
    return share


@transaction.atomic
def record_clawback(
    *,
    actor: User | None,
    share_id: int,
    amount: Decimal,
    paid_on: datetime.date,
    voucher_no: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Payment:
    """Record money returned by the beneficiary after a revocation the rule claws back, with its reason."""
    share = _lock(share_id, expected_version)
    _require(share, "claw_back")
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give the reason for the clawback."), code="reason")
    due = share.paid_amount - share.clawed_back_amount
    if amount <= 0 or amount > due:
        raise ServiceError(
            _("The amount returned must be above 0 and at most %(due)s 万元.") % {"due": plain(due)}, code="amount"
        )
    voucher_no = voucher_no.strip()
    if not voucher_no or share.payments.filter(kind=Payment.Kind.CLAWBACK, voucher_no=voucher_no).exists():
        raise ServiceError(_("Enter a voucher number not yet recorded for this share."), code="voucher_no")
    payment = Payment.objects.create(
        share=share,
        kind=Payment.Kind.CLAWBACK,
        amount=amount,
        paid_on=paid_on,
        voucher_no=voucher_no,
        reason=reason[:500],
        recorded_by=actor if actor and actor.pk else None,
    )
    before = {"status": share.status, "clawed_back_amount": share.clawed_back_amount}
    share.clawed_back_amount += amount
    if share.clawed_back_amount >= share.paid_amount:
        share.status = ShareStatus.CLAWED_BACK
    _save(share, actor=actor, before=before, fields=["status", "clawed_back_amount"], note=reason)
    return payment
