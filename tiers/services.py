"""Writes about tiers and recognitions."""

import datetime
import functools
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.audit import audit_rows, record_creation, record_event, snapshot, update_audited
from portal.cache import figures_changed
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, User
from tiers.models import EligibilityResult, ManualAssessment, PoolEntry, PoolRule, Recognition, Tier, Verdict

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
# Callables called as hook(enterprise_ids=[...], or None for every enterprise) in the writer's
# transaction, right after eligibility results or pool entries were written set-based (no model
# signals): the dashboard's tallies forget those enterprises' regions (overview.dashboard.tallies).
ELIGIBILITY_WRITTEN_HOOKS: list = []
POOL_WRITTEN_HOOKS: list = []


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
    from portal.exceptions import ConcurrentEditError

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
    from portal.audit import audit_rows

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


# --- Manual assessments ---------------------------------------------------------

ASSESSMENT_FIELDS = ("is_met", "value", "evidence", "valid_until")


@transaction.atomic
def record_manual_assessment(
    *,
    actor: User,
    enterprise: Enterprise,
    key: str,
    evidence: str,
    is_met: bool | None = None,
    value: Decimal | None = None,
    valid_until: datetime.date | None = None,
) -> ManualAssessment:
    """Staff confirm (or deny) a fact the register cannot compute, with the evidence they saw."""
    if not evidence.strip():
        raise ServiceError(_("Describe the evidence for this judgement."), code="evidence")
    if is_met is None and value is None:
        raise ServiceError(_("Say whether the condition is met, or enter the value."), code="is_met")
    assessment = ManualAssessment.objects.select_for_update().filter(enterprise=enterprise, key=key).first()
    values = {
        "is_met": is_met,
        "value": value,
        "evidence": evidence.strip(),
        "valid_until": valid_until,
        "assessed_by": actor,
        "assessed_at": timezone.now(),
    }
    if assessment is None:
        assessment = ManualAssessment.objects.create(enterprise=enterprise, key=key, **values)
        record_creation(assessment, actor=actor, fields=ASSESSMENT_FIELDS, region=enterprise.region)
    else:
        # Confirming the same judgement again is recorded too: it renews who assessed it and when.
        update_audited(
            assessment,
            actor=actor,
            values=values,
            fields=ASSESSMENT_FIELDS,
            region=enterprise.region,
            save_unchanged=True,
        )
    mark_for_recompute(enterprise_ids=[enterprise.pk])
    return assessment


# --- Recomputation ----------------------------------------------------------------


def mark_for_recompute(*, enterprise_ids: Iterable[int]) -> int:
    """Queue these enterprises' eligibility for recomputation; set-based, for one id or a whole roster.

    The ids join the durable dirty set (RecomputeRequest, one row per enterprise)
    inside the caller's transaction; once it commits, one drain job is queued
    unless one is already queued or running. Returns how many enterprises were marked.
    """
    from tiers.eligibility.pending import add_requests, ensure_drain_job

    with transaction.atomic():
        marked = add_requests(enterprise_ids)
        if marked:
            transaction.on_commit(ensure_drain_job)
    return marked


def schedule_recognitions_recompute(*, recognition_ids: Iterable[int]) -> None:
    """Batch hook for new recognitions (RECOGNITION_BATCH_GRANTED_HOOKS): holding a tier changes eligibility."""
    mark_for_recompute(
        enterprise_ids=Recognition.objects.filter(pk__in=list(recognition_ids)).values_list("enterprise_id", flat=True)
    )


# --- Cultivation pool -------------------------------------------------------------

POOL_FIELDS = ("stage", "commissioner", "reason", "left_at", "left_reason")


@transaction.atomic
def add_to_pool(
    *,
    actor: User,
    enterprise: Enterprise,
    tier: Tier,
    reason: str,
    stage: str = PoolEntry.Stage.RESERVE,
    commissioner: User | None = None,
) -> PoolEntry:
    """Put an enterprise in a tier's cultivation pool by hand; the reason is required."""
    if not reason.strip():
        raise ServiceError(_("Give the reason for adding the enterprise to the pool."), code="reason")
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    if PoolEntry.objects.filter(enterprise=enterprise, tier=tier, left_at__isnull=True).exists():
        raise ServiceError(
            _("%(enterprise)s is already in the pool for %(tier)s.")
            % {"enterprise": enterprise.name, "tier": tier.name},
            code="duplicate",
        )
    missing = (
        EligibilityResult.objects.filter(enterprise=enterprise, tier=tier)
        .values_list("missing_count", flat=True)
        .first()
    )
    entry = PoolEntry.objects.create(
        enterprise=enterprise,
        tier=tier,
        region=enterprise.region,
        stage=stage,
        origin=PoolEntry.Origin.MANUAL,
        reason=reason.strip(),
        missing_at_entry=missing,
        commissioner=commissioner or enterprise.service_commissioner,
        entered_at=timezone.now(),
        entered_by=actor,
    )
    record_creation(entry, actor=actor, fields=POOL_FIELDS, region=enterprise.region)
    return entry


@transaction.atomic
def update_pool_entry(
    *,
    actor: User,
    entry: PoolEntry,
    stage: str,
    commissioner: User | None,
    expected_version: int | None = None,
) -> PoolEntry:
    """Move an entry to another stage or hand it to another service commissioner."""
    entry = PoolEntry.objects.select_for_update().select_related("enterprise__region").get(pk=entry.pk)
    if entry.left_at is not None:
        raise ServiceError(_("This entry has left the pool and can no longer change."), code="closed")
    if expected_version is not None and entry.version != expected_version:
        raise ConcurrentEditError(_("Someone else changed this pool entry. Reload the page and try again."))
    update_audited(
        entry,
        actor=actor,
        values={"stage": stage, "commissioner": commissioner},
        fields=POOL_FIELDS,
        region=entry.enterprise.region,
    )
    return entry


@transaction.atomic
def remove_from_pool(*, actor: User, entry: PoolEntry, reason: str) -> PoolEntry:
    """Take an enterprise out of a pool; the reason stays on the entry and in the history."""
    if not reason.strip():
        raise ServiceError(_("Give the reason for taking the enterprise out of the pool."), code="reason")
    entry = PoolEntry.objects.select_for_update().select_related("enterprise__region").get(pk=entry.pk)
    if entry.left_at is not None:
        raise ServiceError(_("This entry has already left the pool."), code="closed")
    update_audited(
        entry,
        actor=actor,
        values={"left_at": timezone.now(), "left_reason": reason.strip()},
        fields=POOL_FIELDS,
        region=entry.enterprise.region,
        save_unchanged=True,
    )
    return entry


def sync_pool_entries(*, enterprise_ids: list[int] | None = None) -> tuple[int, int]:
    """Apply the pool rules after a recompute: enter the enterprises missing at most N criteria,
    and let out the ones that now hold the tier. A fixed number of queries per rule.

    An enterprise enters automatically once per tier; after it leaves, staff re-add it by hand.
    """
    now = timezone.now()
    today = timezone.localdate()
    holds = Recognition.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), tier_id=OuterRef("tier_id"), status=Recognition.Status.VALID
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    entered = 0
    for rule in PoolRule.objects.filter(is_active=True).select_related("region", "tier"):
        candidates = (
            EligibilityResult.objects.filter(
                tier=rule.tier,
                enterprise__region__path__startswith=rule.region.path,
                missing_count__lte=rule.max_missing,
            )
            .exclude(verdict=Verdict.INSUFFICIENT_DATA)
            .exclude(
                Exists(PoolEntry.objects.filter(enterprise_id=OuterRef("enterprise_id"), tier_id=OuterRef("tier_id")))
            )
            .exclude(Exists(holds))
        )
        if enterprise_ids is not None:
            candidates = candidates.filter(enterprise_id__in=enterprise_ids)
        rows = list(
            candidates.values_list(
                "enterprise_id",
                "enterprise__region_id",
                "missing_count",
                "enterprise__service_commissioner_id",
                "enterprise__name",
            )
        )
        if not rows:
            continue
        entries = PoolEntry.objects.bulk_create(
            [
                PoolEntry(
                    enterprise_id=enterprise_id,
                    tier=rule.tier,
                    region_id=region_id,
                    origin=PoolEntry.Origin.AUTO,
                    reason=_("Misses %(count)s of the criteria; the rule admits at most %(max)s.")
                    % {"count": missing, "max": rule.max_missing},
                    missing_at_entry=missing,
                    commissioner_id=commissioner_id,
                    entered_at=now,
                )
                for enterprise_id, region_id, missing, commissioner_id, _name in rows
            ]
        )
        audit_rows(
            actor=None,
            action=AuditEvent.Action.CREATE,
            model=PoolEntry,
            rows=[
                (entry.pk, f"{row[4]} → {rule.tier.name}", {"reason": [None, entry.reason]})
                for entry, row in zip(entries, rows, strict=True)
            ],
            region_ids=[row[1] for row in rows],
        )
        entered += len(entries)
    leaving = PoolEntry.objects.filter(left_at__isnull=True).filter(Exists(holds))
    if enterprise_ids is not None:
        leaving = leaving.filter(enterprise_id__in=enterprise_ids)
    left_rows = list(leaving.values_list("pk", "enterprise__name", "tier__name", "enterprise__region_id"))
    if left_rows:
        reason = _("Granted the recognition")
        PoolEntry.objects.filter(pk__in=[row[0] for row in left_rows]).update(
            left_at=now, left_reason=reason, version=F("version") + 1
        )
        audit_rows(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            model=PoolEntry,
            rows=[(pk, f"{name} → {tier}", {"left_reason": ["", reason]}) for pk, name, tier, _region in left_rows],
            region_ids=[row[3] for row in left_rows],
        )
    if entered or left_rows:
        figures_changed()  # bulk writes send no model signals
        for hook in list(POOL_WRITTEN_HOOKS):
            hook(enterprise_ids=enterprise_ids)
    return entered, len(left_rows)
