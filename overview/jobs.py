"""The top layer's background jobs, found where Celery and the web process look for every app's jobs."""

from overview.briefings.jobs import generate_briefing, queue_monthly_briefings
from overview.dashboard.jobs import record_snapshots

__all__ = ["generate_briefing", "queue_monthly_briefings", "record_snapshots"]
