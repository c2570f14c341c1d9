"""The Celery application. Periodic jobs are declared here and nowhere else."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init
from kombu.transport import TRANSPORT_ALIASES

# Workers reconnect after Redis restarts instead of exiting (see portal/broker.py).
TRANSPORT_ALIASES["redis"] = "portal.broker:Transport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")

# Periodic jobs go to their own queue so that a backlog of imports or recomputes
# never delays the heartbeat and the sweeper. Every worker consumes both queues
# unless deployed otherwise (see the Procfile).
PERIODIC_QUEUE = "periodic"
app.conf.task_default_queue = "celery"
app.conf.beat_schedule = {
    "worker-heartbeat": {
        "task": "portal.jobs.record_heartbeat",
        "schedule": 30.0,
        "options": {"queue": PERIODIC_QUEUE, "expires": 60},
    },
    "sweep-stale-jobs": {
        "task": "portal.jobs.sweep_stale_jobs",
        # From the environment, not Django settings: this module is imported while settings load.
        "schedule": float(os.environ.get("JOB_SWEEP_INTERVAL_SECONDS", "60")),
        "options": {"queue": PERIODIC_QUEUE, "expires": 120},
    },
    "tasks-report-reminders": {
        "task": "tasks.jobs.send_report_reminders",
        "schedule": crontab(hour=8, minute=0),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "tasks-target-results": {
        "task": "tasks.jobs.record_target_results",
        "schedule": crontab(hour=3, minute=30),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "tiers-nightly-recompute": {
        "task": "tiers.jobs.queue_nightly_recompute",
        "schedule": crontab(hour=2, minute=30),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "recognitions-expire": {
        "task": "tiers.applications.jobs.expire_recognitions",
        "schedule": crontab(hour=0, minute=15),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "recognitions-expiring-notices": {
        "task": "tiers.applications.jobs.notify_expiring_recognitions",
        "schedule": crontab(hour=8, minute=10),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "incentives-nightly-recompute": {
        "task": "incentives.jobs.nightly_recompute",
        "schedule": crontab(hour=3, minute=0),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "dashboard-daily-snapshot": {
        "task": "portal.dashboard.jobs.record_snapshots",
        "schedule": crontab(hour=1, minute=30),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "briefings-monthly": {
        "task": "portal.briefings.jobs.queue_monthly_briefings",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
    "applications-overdue-reminders": {
        "task": "tiers.applications.jobs.remind_overdue_reviews",
        "schedule": crontab(hour=8, minute=20),
        "options": {"queue": PERIODIC_QUEUE, "expires": 3600},
    },
}


@worker_init.connect
def _create_broker_folders(**_kwargs) -> None:
    """The filesystem transport needs its folders before the worker starts."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


__all__ = ["PERIODIC_QUEUE", "app", "crontab"]
