"""Periodic work of the dashboard."""

from celery import shared_task
from django.utils import timezone

from portal.dashboard import services, tallies


@shared_task(name="portal.dashboard.jobs.record_snapshots", ignore_result=True, acks_late=True)
def record_snapshots() -> None:
    """Beat's daily entry point: today's snapshot of every region (rewriting today's is harmless)."""
    services.record_dashboard_snapshots(on=timezone.localdate())
    # The day's tallies counted now, so that no leader's first view of the day counts the whole register.
    tallies.refresh_all()
