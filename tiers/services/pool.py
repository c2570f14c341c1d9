"""The cultivation pool (培育库): adding, changing and removing entries by hand, and applying the pool rules
after a recompute.
"""

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.audit import audit_rows, record_creation, update_audited
from portal.cache import figures_changed
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, User
from tiers.models import EligibilityResult, PoolEntry, PoolRule, Recognition, Tier, Verdict

POOL_FIELDS = ("stage", "commissioner", "reason", "left_at", "left_reason")
# Callables called as hook(enterprise_ids=[...], or None for every enterprise) in the writer's
# transaction, right after pool entries were written set-based, which sends no model signals:
# the dashboard's tallies forget those enterprises' regions (overview.dashboard.tallies).
POOL_WRITTEN_HOOKS: list = []


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
