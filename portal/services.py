"""Writes of the site itself: background job bookkeeping and login records."""

import datetime
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

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
    except Exception:
        if app.conf.task_always_eager:
            raise
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning("could not send job %s (%s); the sweeper will retry", job_id, kind, exc_info=True)


class JobContext:
    """Handed to a job body: reports progress and keeps the heartbeat fresh.

    On a worker a thread of its own writes the heartbeat and the latest progress
    every third of JOB_STALE_AFTER_SECONDS, over its own database connection. So a
    job that waits on a lock, or whose body reports progress inside its own
    transaction, still looks alive to the sweeper and to pages; only a dead worker
    goes quiet. Run eagerly (tests), progress is written at once instead.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self._total: int | None = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int | None = None) -> None:
        with self._lock:
            self.job.progress = done
            if total is not None:
                self._total = total
        if self._thread is None:
            self._write()

    def _write(self) -> None:
        with self._lock:
            fields = {"progress": self.job.progress, "heartbeat_at": timezone.now()}
            if self._total is not None:
                fields["total"] = self._total
        Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING).update(**fields)

    def start_heartbeat(self) -> None:
        every = min(max(stale_after().total_seconds() / 3, 0.5), 30.0)

        def beat() -> None:
            try:
                while not self._stopped.wait(every):
                    try:
                        self._write()
                    except Exception:
                        # The database may be restarting: drop the broken connection, the next beat reconnects.
                        logger.warning("job %s: heartbeat not written", self.job.pk, exc_info=True)
                        connections.close_all()
            finally:
                connections.close_all()

        self._thread = threading.Thread(target=beat, name=f"job-{self.job.pk}-heartbeat", daemon=True)
        self._thread.start()

    def stop_heartbeat(self) -> None:
        if self._thread is not None:
            self._stopped.set()
            self._thread.join(timeout=60)


def job_failure_reason(error: Exception) -> str:
    """What the person who started the job reads: a refusal's own message (already in their words),
    else a plain reason; the exception's text goes to the worker log, never to the page."""
    message = getattr(error, "message", None)
    if isinstance(message, str) and message:
        return message
    return gettext(
        "The job stopped on an unexpected error and changed nothing. Start it again; if it fails again, "
        "tell the system administrator (the details are in the worker log)."
    )


def run_job(*, job_id: int, body: Callable[[JobContext], dict[str, Any] | None]) -> None:
    """Claim the job, run `body`, record the outcome. Running a finished job does nothing."""
    from portal.celery import app

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
    context = JobContext(job)
    if not app.conf.task_always_eager:
        context.start_heartbeat()
    try:
        with audit_origin(f"job:{job.kind}#{job.pk}"):
            result = body(context) or {}
    except Exception as error:
        context.stop_heartbeat()
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            error=job_failure_reason(error),
            finished_at=timezone.now(),
        )
        return
    context.stop_heartbeat()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, result=result, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )


def sweep_stale_jobs() -> list[int]:
    """Queue again the jobs a dead worker left running, or a lost message left queued."""
    cutoff = timezone.now() - stale_after()
    quiet = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    resent = []
    # Locked, and skipping rows another sweep holds: two sweeps at once never send a job twice,
    # and a job that finishes meanwhile is not put back in the queue.
    with transaction.atomic():
        stale = Job.objects.select_for_update(skip_locked=True).filter(
            quiet, status__in=[Job.Status.RUNNING, Job.Status.QUEUED]
        )
        for job in stale:
            if job.attempts >= MAX_ATTEMPTS:
                Job.objects.filter(pk=job.pk).update(
                    status=Job.Status.FAILED,
                    error=gettext(
                        "The background worker stopped %(attempts)s times while running this job; start it again later, and tell the system administrator if it fails again."
                    )
                    % {"attempts": job.attempts},
                    finished_at=timezone.now(),
                )
                continue
            Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, heartbeat_at=timezone.now())
            transaction.on_commit(lambda job=job: send_job(job_id=job.pk, kind=job.kind))
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
