from celery import shared_task
from django.utils import timezone

from tasks import services


@shared_task(name="tasks.jobs.send_report_reminders", ignore_result=True, acks_late=True, max_retries=3)
def send_report_reminders() -> None:
    """Reminders before and after report deadlines; idempotent, so beat may run it often."""
    services.send_report_reminders(today=timezone.localdate())
