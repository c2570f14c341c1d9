"""Recomputation requests: marking enterprises whose eligibility is due, for one id or a whole roster, and
the batch hook that marks the holders of new recognitions.
"""

from collections.abc import Iterable

from django.db import transaction

from tiers.models import Recognition

# Callables called as hook(enterprise_ids=[...], or None for every enterprise) in the recompute's
# transaction, right after eligibility results were written in SQL, which sends no model signals:
# the dashboard's tallies forget those enterprises' regions (overview.dashboard.tallies).
ELIGIBILITY_WRITTEN_HOOKS: list = []


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
