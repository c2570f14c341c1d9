"""The durable "dirty set": enterprises whose eligibility is due, and the one job that drains it.

A change to an enterprise's figures, recognitions or staff judgements adds its
id to RecomputeRequest (one row per enterprise, however many changes) and makes
sure one `tiers.jobs.recompute_pending` job is queued or running. The job
recomputes the pending enterprises in set-based batches and deletes the
requests it processed — exactly those it read, so an enterprise marked again
during the run keeps its request for the next run.
"""

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from portal.models import Job
from tiers.eligibility.recompute import RecomputeSummary, recompute_eligibility
from tiers.models import RecomputeDrain, RecomputeRequest

DRAIN_JOB = "tiers.jobs.recompute_pending"
# Enterprises per transaction: short enough that SQLite's single writer is not held for long.
BATCH = 2000
# Batches one job runs before a fresh job takes over (enterprises marked again and again).
MAX_BATCHES = 500
ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)


def add_requests(enterprise_ids: Iterable[int]) -> int:
    """Insert or refresh a request per enterprise: one statement per 500 ids, never one per id."""
    now = timezone.now()
    requests = [RecomputeRequest(enterprise_id=pk, requested_at=now) for pk in sorted(set(enterprise_ids))]
    RecomputeRequest.objects.bulk_create(
        requests, update_conflicts=True, unique_fields=["enterprise"], update_fields=["requested_at"], batch_size=500
    )
    return len(requests)


def ensure_drain_job() -> None:
    """Queue the drain job unless one is queued or running. Call it after the requests are committed.

    Always under the drain lock: a job about to stop checks for requests under the
    same lock, so either it sees ours or we see that it has stopped.
    """
    with transaction.atomic():
        drain = _locked_drain()
        if drain.job_id and Job.objects.filter(pk=drain.job_id, status__in=ACTIVE).exists():
            return
        _hand_over(drain)


def _locked_drain() -> RecomputeDrain:
    drain, _created = RecomputeDrain.objects.select_for_update().get_or_create(pk=1)
    return drain


def _hand_over(drain: RecomputeDrain) -> None:
    from portal.services import queue_job

    drain.job = queue_job(kind=DRAIN_JOB, actor=None)
    drain.save(update_fields=["job"])


def drain_recompute_requests(
    *, batch_size: int = BATCH, progress: Callable[[int, int], None] | None = None
) -> RecomputeSummary:
    """Recompute every pending enterprise, batch by batch, and delete the requests processed.

    Idempotent: a second run (the sweeper re-queues a job whose worker died)
    finds fewer or no requests. Before it stops, the job checks under the drain
    lock that nothing new arrived; a change committed after that check queues a
    new job, because this one no longer counts as coming.
    """
    total = RecomputeSummary()
    batches = 0
    while batches < MAX_BATCHES:
        if _drain_batch(batch_size, total):
            batches += 1
            if progress:
                progress(total.enterprises, total.enterprises + RecomputeRequest.objects.count())
            continue
        with transaction.atomic():
            drain = _locked_drain()
            if not RecomputeRequest.objects.exists():
                drain.job = None
                drain.save(update_fields=["job"])
                return total
    # Enterprises kept changing while we worked: a fresh job takes over rather than this one running forever.
    with transaction.atomic():
        _hand_over(_locked_drain())
    return total


def _drain_batch(batch_size: int, total: RecomputeSummary) -> bool:
    """The first `batch_size` pending enterprises, recomputed and their requests deleted, in one transaction."""
    with transaction.atomic():
        taken = list(
            RecomputeRequest.objects.order_by("enterprise_id").values_list("enterprise_id", "requested_at")[:batch_size]
        )
        if not taken:
            return False
        # A range, not a list of ids: the statements are the same whatever the batch holds.
        first, last = taken[0][0], taken[-1][0]
        ids = RecomputeRequest.objects.filter(enterprise_id__gte=first, enterprise_id__lte=last).values("enterprise_id")
        summary = recompute_eligibility(enterprise_ids=ids)
        _delete_taken(taken)
    for name, value in summary.as_dict().items():
        setattr(total, name, getattr(total, name) + value)
    return True


def _delete_taken(taken: list[tuple]) -> None:
    """Delete exactly the requests read: one marked again meanwhile has a newer time and stays."""
    table = connection.ops.quote_name(RecomputeRequest._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM {table} AS r USING unnest(%s::bigint[], %s::timestamptz[]) AS t(enterprise_id, at) "
                "WHERE r.enterprise_id = t.enterprise_id AND r.requested_at = t.at",
                [[pk for pk, _at in taken], [at for _pk, at in taken]],
            )
        else:
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(
                f"DELETE FROM {table} WHERE enterprise_id = %s AND requested_at = %s",
                [(pk, adapt(at)) for pk, at in taken],
            )
