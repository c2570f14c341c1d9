"""Writes of the site itself: background job bookkeeping and login records."""

import datetime
import functools
import logging
import smtplib
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_origin, current_origin, record_event
from portal.exceptions import ServiceError
from portal.models import AuditEvent, Job, Notification, Region, User, WorkerHeartbeat
from portal.throttling import clear_login_failures, is_login_blocked, record_login_failure

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


# Faults of a connection, not of the work: the mail server's included (notification e-mails).
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


def is_transient(error: BaseException) -> bool:
    """A fault that a later try may not meet: a lost database or broker connection, a
    serialisation failure or deadlock, a locked SQLite file. Looked for along the chain of
    causes, since services wrap database errors in their own refusals."""
    from kombu.exceptions import OperationalError as BrokerError

    seen: BaseException | None = error
    for _depth in range(10):
        if seen is None:
            return False
        if isinstance(seen, (*TRANSIENT_ERRORS, BrokerError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _drop_broken_connections() -> None:
    # A connection the fault broke is unusable; the next query opens a fresh one. Inside a
    # transaction (tests run jobs eagerly inside theirs) the connection is left alone.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def _run_with_retries(job: Job, body: Callable[[JobContext], dict[str, Any] | None], context: JobContext):
    """Run the body, again after a transient fault, at most JOB_TRANSIENT_RETRIES more times with backoff."""
    retries = 0
    while True:
        try:
            with audit_origin(f"job:{job.kind}#{job.pk}"):
                return body(context) or {}
        except Exception as error:
            if not is_transient(error) or retries >= settings.JOB_TRANSIENT_RETRIES:
                raise
            retries += 1
            wait = min(settings.JOB_RETRY_BACKOFF_SECONDS * 2 ** (retries - 1), 60.0)
            logger.warning("job %s: transient fault, try %s again in %.1f s", job.pk, retries + 1, wait, exc_info=True)
            time.sleep(wait)
            _drop_broken_connections()


def error_detail(error: BaseException) -> str:
    """The first line of an error's text (or its type's name), short enough to show a user."""
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


def _failure_text(error: Exception) -> str:
    if is_transient(error):
        return _(
            "The job was stopped after %(tries)s tries: the database or the message broker could not be reached "
            "(%(detail)s). Nothing of the failed tries was kept; start it again later."
        ) % {"tries": settings.JOB_TRANSIENT_RETRIES + 1, "detail": error_detail(error)}
    return job_failure_reason(error)


def job_failure_reason(error: Exception) -> str:
    """What the person who started the job reads: a refusal's own message (already in their words),
    else a plain reason; the exception's text goes to the worker log, never to the page."""
    message = getattr(error, "message", None)
    if isinstance(message, str) and message:
        return message
    return _(
        "The job stopped on an unexpected error and changed nothing. Start it again; if it fails again, "
        "tell the system administrator (the details are in the worker log)."
    )


def run_job(
    *,
    job_id: int,
    body: Callable[[JobContext], dict[str, Any] | None],
    on_failure: Callable[[str], None] | None = None,
) -> None:
    """Claim the job, run `body`, record the outcome. Running a finished job does nothing.

    Transient faults are retried (see `_run_with_retries`); when the job fails for good,
    `on_failure(reason)` lets the record the job works on say so too.
    """
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
        result = _run_with_retries(job, body, context)
    except Exception as error:
        context.stop_heartbeat()
        logger.exception("job %s failed", job_id)
        reason = _failure_text(error)
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, error=reason, finished_at=timezone.now())
        if on_failure is not None:
            on_failure(reason)
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
                    error=_(
                        "The background worker stopped %(attempts)s times while running this job; start it again later, and tell the system administrator if it fails again."
                    )
                    % {"attempts": job.attempts},
                    finished_at=timezone.now(),
                )
                continue
            Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, heartbeat_at=timezone.now())
            transaction.on_commit(functools.partial(send_job, job_id=job.pk, kind=job.kind))
            resent.append(job.pk)
    return resent


def record_heartbeat(*, hostname: str) -> None:
    WorkerHeartbeat.objects.update_or_create(hostname=hostname[:255], defaults={"seen_at": timezone.now()})


def send_notification_email(*, notification_id: int) -> dict[str, Any]:
    """E-mail one notification, with an absolute link; a notification already e-mailed is not sent again."""
    from django.core.mail import send_mail

    from portal.notifications import absolute_url

    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
        if notification.emailed_at is not None or not notification.recipient.email:
            return {"sent": False}
        # Sent inside the lock: a second run of the same job waits, then finds it sent.
        send_mail(
            subject=notification.message[:80],
            message=f"{notification.message}\n\n{absolute_url(notification.url)}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return {"sent": True}


def mark_notifications_read(*, recipient: User, ids: list | None = None) -> int:
    """Mark the recipient's notifications (all unread, or the given ids) as read."""
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(pk) for pk in ids if str(pk).isascii() and str(pk).isdigit()])
    return qs.update(read_at=timezone.now())


def record_login(*, user: User, ip: str, channel: str) -> None:
    """A successful sign-in: the failure count for this username and address starts again, and it is audited."""
    clear_login_failures(username=user.username, ip=ip)
    _audit_login(action=AuditEvent.Action.LOGIN, username=user.username, user=user, ip=ip, note=channel)


def record_failed_login(*, username: str, ip: str, channel: str) -> bool:
    """A refused sign-in, counted towards the lockout and audited. Returns whether the pair is now locked out."""
    blocked = is_login_blocked(username=username, ip=ip)
    if not blocked:
        record_login_failure(username=username, ip=ip)
    user = User.objects.select_related("region").filter(username__iexact=username).first()
    note = f"{channel}: locked out" if blocked else channel
    _audit_login(action=AuditEvent.Action.LOGIN_FAILED, username=username, user=user, ip=ip, note=note)
    return blocked


def _audit_login(*, action: str, username: str, user: User | None, ip: str, note: str) -> None:
    # A failed attempt names a user only by what was typed; the row is still the user's
    # (and their region's) when that username exists, so their administrators see it.
    AuditEvent.objects.create(
        actor=user if action == AuditEvent.Action.LOGIN else None,
        origin=(current_origin() or ip)[:100],
        action=action,
        object_type=User._meta.label_lower,
        object_id=str(user.pk) if user else "",
        object_repr=username[:255],
        region=user.region if user else None,
        note=note[:255],
    )


def move_region(*, actor: User | None, region: Region, parent: Region | None) -> Region:
    """Place a region under another parent (撤县设区, a park handed to another county).

    Its whole subtree moves with it in the same transaction, so every record below
    stays in the scope of the regions above it. Placing a region under itself or
    one of its own subregions is refused.
    """
    with transaction.atomic():
        region = Region.objects.select_for_update(of=("self",)).select_related("parent").get(pk=region.pk)
        if parent is not None:
            parent = Region.objects.get(pk=parent.pk)
            if parent.path.startswith(region.path):
                raise ServiceError(_("A region cannot be placed under itself or one of its own subregions."))
        before = str(region.parent) if region.parent_id else None
        moved = Region.objects.filter(path__startswith=region.path).count() - 1
        region.parent = parent
        region.save()
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=region,
            region=region,
            changes={"parent": [before, str(parent) if parent else None]},
            note=f"moved with {moved} subregions",
        )
    return region
