"""Periodic work of the dashboard.

Task names are identifiers stored with queued and recorded jobs and in beat's schedule;
they keep the package path these jobs had before the top layer left `portal`.
"""

from celery import shared_task
from django.utils import timezone

from overview.dashboard import services, tallies


@shared_task(name="portal.dashboard.jobs.record_snapshots", ignore_result=True, acks_late=True)
def record_snapshots() -> None:
    """Beat's daily entry point: today's snapshot of every region (rewriting today's is harmless)."""
    services.record_dashboard_snapshots(on=timezone.localdate())
    # The day's tallies counted now, so that no leader's first view of the day counts the whole register.
    tallies.refresh_all()
