"""Sending in-app notifications (and e-mail where the user has an address)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from portal.models import Notification, User


def notify(*, recipient: User, kind: str, message: str, url: str = "", dedupe_key: str = "") -> Notification | None:
    """Create a notification; with a dedupe_key, a repeat of the same reminder is not sent again.

    Returns None when the notification already existed.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, message=message[:500], url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    if recipient.email:
        transaction.on_commit(
            lambda: send_mail(
                subject=message[:80],
                message=f"{message}\n\n{url}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
                fail_silently=True,
            )
        )
    return notification


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
