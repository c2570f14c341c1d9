"""Reminders: reviews waiting past their step's time limit, recognitions about to expire."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role, User
from portal.notifications import notify
from tiers.applications.models import Application, ApplicationState
from tiers.models import Recognition

DEFAULT_EXPIRY_NOTICE_DAYS = 180


def expiry_notice_days() -> int:
    return getattr(settings, "RECOGNITION_EXPIRY_NOTICE_DAYS", DEFAULT_EXPIRY_NOTICE_DAYS)


def overdue_applications(now: datetime.datetime | None = None):
    """Applications waiting at a review step longer than the step's time limit."""
    now = now or timezone.now()
    return Application.objects.filter(state=ApplicationState.IN_REVIEW, due_at__lt=now).select_related(
        "enterprise", "tier", "current_step", "reviewing_region"
    )


def _staff_by_region(region_ids: set[int]) -> dict[int, list[User]]:
    staff: dict[int, list[User]] = {}
    for user in User.objects.filter(region_id__in=region_ids, role=Role.STAFF, is_active=True):
        if user.region_id is not None:
            staff.setdefault(user.region_id, []).append(user)
    return staff


def remind_overdue_reviews(*, now: datetime.datetime | None = None) -> int:
    """Notify the reviewers holding overdue applications, once per application, step and day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = list(overdue_applications(now))
    staff = _staff_by_region({application.reviewing_region_id for application in overdue})
    sent = 0
    for application in overdue:
        message = _("%(application)s has waited %(days)s days at %(step)s (limit %(limit)s days).") % {
            "application": application,
            "days": application.waiting_days(now),
            "step": application.current_step.label,
            "limit": application.current_step.time_limit_days,
        }
        for user in staff.get(application.reviewing_region_id, []):
            key = f"review-overdue:{application.pk}:{application.current_step_id}:{today.isoformat()}"
            if notify(
                recipient=user,
                kind="review_overdue",
                message=message,
                url=f"/applications/{application.pk}/",
                dedupe_key=key,
            ):
                sent += 1
    return sent


def expiring_recognitions(*, today: datetime.date | None = None, days: int | None = None):
    today = today or timezone.localdate()
    days = expiry_notice_days() if days is None else days
    return (
        Recognition.objects.filter(
            status=Recognition.Status.VALID,
            valid_until__isnull=False,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
        )
        .select_related("enterprise", "enterprise__region", "tier")
        .order_by("valid_until", "pk")
    )


def notify_expiring_recognitions(*, today: datetime.date | None = None, days: int | None = None) -> int:
    """Tell the staff of each enterprise's region about recognitions expiring soon; once per recognition."""
    recognitions = list(expiring_recognitions(today=today, days=days))
    staff = _staff_by_region({recognition.enterprise.region_id for recognition in recognitions})
    sent = 0
    for recognition in recognitions:
        message = _("“%(tier)s” of %(enterprise)s expires on %(date)s; consider a re-review (复核).") % {
            "tier": recognition.tier.name,
            "enterprise": recognition.enterprise.name,
            "date": recognition.valid_until,
        }
        for user in staff.get(recognition.enterprise.region_id, []):
            key = f"recognition-expiring:{recognition.pk}:{recognition.valid_until.isoformat()}"
            if notify(
                recipient=user,
                kind="recognition_expiring",
                message=message,
                url=f"/enterprises/{recognition.enterprise_id}/",
                dedupe_key=key,
            ):
                sent += 1
    return sent
