"""Writes about tiers and recognitions."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.audit import record_event, snapshot
from portal.exceptions import ServiceError
from portal.models import AuditEvent, User
from tiers.models import Recognition, Tier

RECOGNITION_FIELDS = ("tier", "recognized_on", "batch", "certificate_no", "valid_until", "status", "source")

# Callables (recognition_id) run after a recognition is created and committed.
# Rewards and target progress hook in here; this module never imports them.
RECOGNITION_GRANTED_HOOKS: list = []


def valid_until_for(*, tier: Tier, recognized_on: datetime.date) -> datetime.date | None:
    if not tier.validity_years:
        return None
    try:
        end = recognized_on.replace(year=recognized_on.year + tier.validity_years)
    except ValueError:  # 29 February
        end = recognized_on.replace(year=recognized_on.year + tier.validity_years, day=28)
    return end - datetime.timedelta(days=1)


@transaction.atomic
def grant_recognition(
    *,
    actor: User | None,
    enterprise: Enterprise,
    tier: Tier,
    recognized_on: datetime.date,
    batch: str = "",
    certificate_no: str = "",
    source: str = Recognition.Source.MANUAL,
) -> tuple[Recognition, bool]:
    """Record that an enterprise holds a tier. Granting the same one twice changes nothing.

    Returns the recognition and whether it was created.
    """
    if recognized_on > datetime.date.today() + datetime.timedelta(days=366):
        raise ServiceError(_("The recognition date %(date)s lies in the future.") % {"date": recognized_on})
    recognition, created = Recognition.objects.get_or_create(
        enterprise=enterprise,
        tier=tier,
        recognized_on=recognized_on,
        defaults={
            "year": recognized_on.year,
            "batch": batch,
            "certificate_no": certificate_no,
            "valid_until": valid_until_for(tier=tier, recognized_on=recognized_on),
            "source": source,
        },
    )
    if not created:
        return recognition, False
    today = datetime.date.today()
    if recognition.valid_until and recognition.valid_until < today:
        recognition.status = Recognition.Status.EXPIRED
        recognition.save(update_fields=["status"])
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=recognition,
        region=enterprise.region,
        changes={key: [None, value] for key, value in snapshot(recognition, RECOGNITION_FIELDS).items()},
    )
    for hook in RECOGNITION_GRANTED_HOOKS:
        transaction.on_commit(lambda hook=hook: hook(recognition.pk))
    return recognition, True
