"""Sending in-app notifications, and e-mail (by a background job) where the user has an address."""

from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction

from portal.models import Notification, User

EMAIL_JOB = "portal.jobs.send_notification_email"


def notify(*, recipient: User, kind: str, message: str, url: str = "", dedupe_key: str = "") -> Notification | None:
    """Create a notification; with a dedupe_key, a repeat of the same reminder is not sent again.

    The e-mail is left to a job (queued once the notification is committed), so a slow
    or unreachable mail server never holds up the request that caused it.
    Returns None when the notification already existed.
    """
    from portal.services import queue_job

    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, message=message[:500], url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    if recipient.email:
        queue_job(kind=EMAIL_JOB, actor=None, params={"notification_id": notification.pk})
    return notification


def absolute_url(path: str) -> str:
    """A link that works from a mail client: the portal's configured address (PORTAL_SITE_URL) and the path."""
    return urljoin(settings.PORTAL_SITE_URL.rstrip("/") + "/", path.lstrip("/")) if path else settings.PORTAL_SITE_URL


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
