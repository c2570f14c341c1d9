"""Recognitions: granting, revoking and expiring them, and the hook lists other apps append to in their
`AppConfig.ready` to hear of grants and revocations after commit.
"""

import datetime
import functools

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.audit import audit_rows, record_event, snapshot, update_audited
from portal.cache import figures_changed
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, User
from tiers.models import Recognition, Tier
from tiers.services.recompute import mark_for_recompute

RECOGNITION_FIELDS = ("tier", "recognized_on", "batch", "certificate_no", "valid_until", "status", "source")

# Callables (recognition_id) run after a recognition is created and committed.
# Rewards and target progress hook in here; this module never imports them.
RECOGNITION_GRANTED_HOOKS: list = []
# Callables called as hook(recognition_ids=[...]) once after commit with every recognition
# created by one write (a whole roster import). A hook in both lists is called only in batches.
RECOGNITION_BATCH_GRANTED_HOOKS: list = []
# Callables (recognition_id) run after a recognition is revoked and committed
# (rewards claw back or hold what the revoked recognition was owed).
RECOGNITION_REVOKED_HOOKS: list = []


def on_recognitions_granted(*, recognition_ids: list[int]) -> None:
    """After commit: each batch hook once with all ids; each per-recognition-only hook once per id."""
    ids = list(recognition_ids)
    if not ids:
        return

    def announce() -> None:
        for hook in list(RECOGNITION_BATCH_GRANTED_HOOKS):
            hook(recognition_ids=ids)
        for hook in [hook for hook in RECOGNITION_GRANTED_HOOKS if hook not in RECOGNITION_BATCH_GRANTED_HOOKS]:
            for recognition_id in ids:
                hook(recognition_id)

    transaction.on_commit(announce)


def valid_until_for(*, tier: Tier, recognized_on: datetime.date) -> datetime.date | None:
    if not tier.validity_years:
        return None
    try:
        end = recognized_on.replace(year=recognized_on.year + tier.validity_years)
    except ValueError:  # 29 February
        end = recognized_on.replace(year=recognized_on.year + tier.validity_years, day=28)
    return end - datetime.timedelta(days=1)


@transaction.atomic
def grant_recognition(
    *,
    actor: User | None,
    enterprise: Enterprise,
    tier: Tier,
    recognized_on: datetime.date,
    batch: str = "",
    certificate_no: str = "",
    source: str = Recognition.Source.MANUAL,
) -> tuple[Recognition, bool]:
    """Record that an enterprise holds a tier. Granting the same one twice changes nothing.

    Returns the recognition and whether it was created.
    """
    if recognized_on > datetime.date.today() + datetime.timedelta(days=366):
        raise ServiceError(_("The recognition date %(date)s lies in the future.") % {"date": recognized_on})
    recognition, created = Recognition.objects.get_or_create(
        enterprise=enterprise,
        tier=tier,
        recognized_on=recognized_on,
        defaults={
            "year": recognized_on.year,
            "batch": batch,
            "certificate_no": certificate_no,
            "valid_until": valid_until_for(tier=tier, recognized_on=recognized_on),
            "source": source,
        },
    )
    if not created:
        return recognition, False
    today = datetime.date.today()
    if recognition.valid_until and recognition.valid_until < today:
        recognition.status = Recognition.Status.EXPIRED
        recognition.save(update_fields=["status"])
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=recognition,
        region=enterprise.region,
        changes={key: [None, value] for key, value in snapshot(recognition, RECOGNITION_FIELDS).items()},
    )
    on_recognitions_granted(recognition_ids=[recognition.pk])
    return recognition, True


@transaction.atomic
def revoke_recognition(
    *,
    actor: User | None,
    recognition: Recognition,
    reason: str,
    revoked_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Recognition:
    """Withdraw a recognition ("有进有出"): a reason is required and the change is audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("A recognition can only be revoked with a reason."), code="reason")
    locked = Recognition.objects.select_for_update().get(pk=recognition.pk)
    expected = recognition.version if expected_version is None else expected_version
    if locked.version != expected:
        raise ConcurrentEditError(
            _("This recognition was changed by someone else (now: %(status)s). Please refresh and try again.")
            % {"status": locked.get_status_display()}
        )
    if locked.status == Recognition.Status.REVOKED:
        raise ServiceError(
            _("This recognition was already revoked on %(date)s.") % {"date": locked.revoked_on}, code="status"
        )
    update_audited(
        locked,
        actor=actor,
        values={
            "status": Recognition.Status.REVOKED,
            "revoked_on": revoked_on or datetime.date.today(),
            "revoked_reason": reason[:500],
        },
        changes={
            "status": [str(locked.get_status_display()), str(Recognition.Status.REVOKED.label)],
            "revoked_reason": [None, reason[:500]],
        },
        action=AuditEvent.Action.TRANSITION,
        region=locked.enterprise.region,
        note=reason,
        update_fields=("status", "revoked_on", "revoked_reason"),
    )
    mark_for_recompute(enterprise_ids=[locked.enterprise_id])
    for hook in RECOGNITION_REVOKED_HOOKS:
        transaction.on_commit(functools.partial(hook, locked.pk))
    return locked


@transaction.atomic
def expire_recognitions(*, actor: User | None = None, today: datetime.date | None = None) -> int:
    """Mark valid recognitions whose validity ended before `today` as expired. Set-based; running twice changes nothing."""
    today = today or datetime.date.today()
    due = list(
        Recognition.objects.select_for_update()
        .filter(status=Recognition.Status.VALID, valid_until__lt=today)
        .values_list("pk", "enterprise__region_id", "valid_until")
    )
    if not due:
        return 0
    ids = [pk for pk, _region, _until in due]
    Recognition.objects.filter(pk__in=ids).update(status=Recognition.Status.EXPIRED, version=F("version") + 1)
    figures_changed()  # an update() sends no model signals
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        model=Recognition,
        rows=[
            (pk, f"#{pk}", {"status": [str(Recognition.Status.VALID.label), str(Recognition.Status.EXPIRED.label)]})
            for pk, _region, _until in due
        ],
        region_ids=[region_id for _pk, region_id, _until in due],
        note="expired",
    )
    mark_for_recompute(enterprise_ids=Recognition.objects.filter(pk__in=ids).values_list("enterprise_id", flat=True))
    return len(ids)
