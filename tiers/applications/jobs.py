"""Periodic jobs of applications and recognitions (scheduled in portal/celery.py)."""

from celery import shared_task

from portal.audit import audit_origin
from tiers import services as tier_services
from tiers.applications import services

__all__ = ["expire_recognitions", "notify_expiring_recognitions", "remind_overdue_reviews"]


@shared_task(
    name="tiers.applications.jobs.expire_recognitions",
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def expire_recognitions() -> int:
    """Nightly: recognitions whose validity ended become expired."""
    with audit_origin("job:expire_recognitions"):
        return tier_services.expire_recognitions()


@shared_task(
    name="tiers.applications.jobs.notify_expiring_recognitions",
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def notify_expiring_recognitions() -> int:
    """Daily: staff of each enterprise's region hear of recognitions expiring within the window (once each)."""
    return services.notify_expiring_recognitions()


@shared_task(
    name="tiers.applications.jobs.remind_overdue_reviews",
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def remind_overdue_reviews() -> int:
    """Daily: reviewers holding an application past its step's time limit are reminded (once per day)."""
    return services.remind_overdue_reviews()
