"""Background work of briefings: each job takes ids and calls one service.

Task names are identifiers stored with queued and recorded jobs and in beat's schedule;
they keep the package path these jobs had before the top layer left `portal`.
"""

from celery import shared_task
from django.utils import timezone

from overview.briefings import services
from portal.services import JobContext, job_failure_reason, run_job


@shared_task(name="portal.briefings.jobs.generate_briefing", ignore_result=True, acks_late=True)
def generate_briefing(job_id: int) -> None:
    def body(context: JobContext) -> dict:
        briefing_id = int(context.params["briefing_id"])
        try:
            services.generate_briefing(briefing_id=briefing_id, progress=context.progress)
        except Exception as error:
            services.mark_briefing_failed(briefing_id=briefing_id, error=job_failure_reason(error))
            raise
        return services.briefing_result(briefing_id)

    run_job(job_id=job_id, body=body)


@shared_task(name="portal.briefings.jobs.queue_monthly_briefings", ignore_result=True)
def queue_monthly_briefings() -> None:
    """Beat's entry point on the 1st of each month."""
    services.queue_monthly_briefings(today=timezone.localdate())
