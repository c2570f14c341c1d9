from celery import shared_task
from django.utils import timezone

from tasks import services


@shared_task(name="tasks.jobs.send_report_reminders", ignore_result=True, acks_late=True, max_retries=3)
def send_report_reminders() -> None:
    """Reminders before and after report deadlines; idempotent, so beat may run it often."""
    services.send_report_reminders(today=timezone.localdate())


@shared_task(name="tasks.jobs.record_target_results", ignore_result=True, acks_late=True, max_retries=3)
def record_target_results() -> None:
    """Beat's daily entry point: every target's figure today, by the one definition (tasks.figures)."""
    services.record_target_results(on=timezone.localdate())
