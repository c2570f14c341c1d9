from celery import shared_task

from portal import services


@shared_task(name="portal.jobs.record_heartbeat", bind=True, ignore_result=True)
def record_heartbeat(self) -> None:
    services.record_heartbeat(hostname=self.request.hostname or "worker")


@shared_task(name="portal.jobs.sweep_stale_jobs", ignore_result=True)
def sweep_stale_jobs() -> None:
    services.sweep_stale_jobs()


@shared_task(name="portal.jobs.send_notification_email", ignore_result=True)
def send_notification_email(job_id: int) -> None:
    """One notification's e-mail; an unreachable mail server is a transient fault, retried by run_job."""
    services.run_job(
        job_id=job_id,
        body=lambda context: services.send_notification_email(notification_id=context.params["notification_id"]),
    )


@shared_task(name="portal.jobs.echo", bind=True, ignore_result=True, acks_late=True)
def echo(self, job_id: int) -> None:
    """Diagnostics: copies its parameters into its result. Used to prove a worker runs jobs."""
    services.run_job(job_id=job_id, body=lambda context: {"echo": context.params, "worker": self.request.hostname})
