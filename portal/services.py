"""Writes of the site itself: background job bookkeeping and login records."""

import datetime
import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.audit import audit_origin
from portal.models import Job, Notification, User, WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def stale_after() -> datetime.timedelta:
    """How long a running job may stay silent before the sweeper deems its worker dead (JOB_STALE_AFTER_SECONDS)."""
    return datetime.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)


def queue_job(*, kind: str, actor: User | None, params: dict[str, Any] | None = None, total: int = 0) -> Job:
    """Create the durable job row and send it to a worker once the row is committed.

    `kind` is the name of the Celery task that runs it.
    """
    job = Job.objects.create(kind=kind, params=params or {}, created_by=actor, total=total)
    transaction.on_commit(lambda: send_job(job_id=job.pk, kind=kind))
    return job


# After a failed send, sends are skipped for this long: each attempt against a dead broker
# costs most of a second, and a roster commit queues one recompute per enterprise.
BROKER_RETRY_AFTER = 5.0
_broker_down_until = 0.0


def send_job(*, job_id: int, kind: str) -> None:
    """Hand a queued job to the broker. If the broker is down the row stays queued and the
    sweeper sends it again once the job is older than JOB_STALE_AFTER_SECONDS: late, never lost."""
    global _broker_down_until
    from portal.celery import app

    if not app.conf.task_always_eager and time.monotonic() < _broker_down_until:
        return
    try:
        app.tasks[kind].delay(job_id)
    except Exception:  # noqa: BLE001
        if app.conf.task_always_eager:
            raise
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning("could not send job %s (%s); the sweeper will retry", job_id, kind, exc_info=True)


class JobContext:
    """Handed to a job body: reports progress and keeps the heartbeat fresh."""

    def __init__(self, job: Job) -> None:
        self.job = job

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int | None = None) -> None:
        now = timezone.now()
        fields = {"progress": done, "heartbeat_at": now}
        if total is not None:
            fields["total"] = total
        # Progress is written outside the job's own transaction so that pages see it.
        Job.objects.filter(pk=self.job.pk).update(**fields)
        self.job.progress = done


def run_job(*, job_id: int, body: Callable[[JobContext], dict[str, Any] | None]) -> None:
    """Claim the job, run `body`, record the outcome. Running a finished job does nothing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return
        if job.status == Job.Status.RUNNING and job.heartbeat_at and timezone.now() - job.heartbeat_at < stale_after():
            return
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    try:
        with audit_origin(f"job:{job.kind}#{job.pk}"):
            result = body(JobContext(job)) or {}
    except Exception as error:  # noqa: BLE001
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            error=getattr(error, "message", None) or "".join(traceback.format_exception_only(error)).strip(),
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, result=result, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )


def sweep_stale_jobs() -> list[int]:
    """Queue again the jobs a dead worker left running, or a lost message left queued."""
    cutoff = timezone.now() - stale_after()
    quiet = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    stale = Job.objects.filter(quiet, status__in=[Job.Status.RUNNING, Job.Status.QUEUED])
    resent = []
    for job in stale:
        if job.attempts >= MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, error="worker lost too many times", finished_at=timezone.now()
            )
            continue
        Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, heartbeat_at=timezone.now())
        send_job(job_id=job.pk, kind=job.kind)
        resent.append(job.pk)
    return resent


def record_heartbeat(*, hostname: str) -> None:
    WorkerHeartbeat.objects.update_or_create(hostname=hostname[:255], defaults={"seen_at": timezone.now()})


def mark_notifications_read(*, recipient: User, ids: list | None = None) -> int:
    """Mark the recipient's notifications (all unread, or the given ids) as read."""
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(pk) for pk in ids if str(pk).isdigit()])
    return qs.update(read_at=timezone.now())
