"""Background jobs of the tiers app. Each takes a Job id and calls one service."""

from celery import shared_task

from portal.services import JobContext, queue_job, run_job

# Celery's autodiscovery imports only this module: importing the applications' jobs registers them.
from tiers.applications.jobs import expire_recognitions, notify_expiring_recognitions, remind_overdue_reviews
from tiers.eligibility import recompute_eligibility
from tiers.eligibility.pending import drain_recompute_requests

__all__ = [
    "expire_recognitions",
    "notify_expiring_recognitions",
    "queue_nightly_recompute",
    "recompute_all",
    "recompute_enterprise",
    "recompute_pending",
    "remind_overdue_reviews",
]


@shared_task(name="tiers.jobs.recompute_pending", ignore_result=True, max_retries=3)
def recompute_pending(job_id: int) -> None:
    """Drain the dirty set (tiers.services.mark_for_recompute): one job for any number of changes."""

    def body(context: JobContext) -> dict:
        return drain_recompute_requests(progress=context.progress).as_dict()

    run_job(job_id=job_id, body=body)


@shared_task(name="tiers.jobs.recompute_enterprise", ignore_result=True, max_retries=3)
def recompute_enterprise(job_id: int) -> None:
    """Superseded by recompute_pending; kept so that jobs queued before the change still run."""

    def body(context: JobContext) -> dict:
        return recompute_eligibility(enterprise_ids=[int(context.params["enterprise_id"])]).as_dict()

    run_job(job_id=job_id, body=body)


@shared_task(name="tiers.jobs.recompute_all", ignore_result=True, max_retries=3)
def recompute_all(job_id: int) -> None:
    def body(context: JobContext) -> dict:
        return recompute_eligibility(progress=context.progress, progress_every=5000).as_dict()

    run_job(job_id=job_id, body=body)


@shared_task(name="tiers.jobs.queue_nightly_recompute", ignore_result=True)
def queue_nightly_recompute() -> None:
    """Beat's entry point: a durable job row, so a lost worker's run is swept and sent again."""
    queue_job(kind="tiers.jobs.recompute_all", actor=None)
