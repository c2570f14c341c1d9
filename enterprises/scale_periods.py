"""The 规上 history of an enterprise: when it entered the above-size statistics and when it left (退库).

Writes and reads of `AboveScalePeriod` in one module, apart from the register's
main services: the enterprise's `is_above_scale` flag follows the open period.
Rewards read the history through `ABOVE_SCALE_ENTERED_HOOKS` and the model; this
module never imports them.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import AboveScalePeriod, Enterprise
from enterprises.services import _check_version, on_enterprise_changed
from portal.audit import record_creation, record_event, update_audited
from portal.exceptions import ServiceError
from portal.models import AuditEvent, User

PERIOD_FIELDS = ("entered_on", "left_on", "note")

# Callables hook(period_id) run after a period's entry is committed (rewards for 升规 hook in here).
ABOVE_SCALE_ENTERED_HOOKS: list[Callable[[int], None]] = []


def periods_of(enterprise: Enterprise) -> QuerySet[AboveScalePeriod]:
    return AboveScalePeriod.objects.filter(enterprise=enterprise).order_by("entered_on")


def _check_dates(
    *, enterprise: Enterprise, entered_on: datetime.date, left_on: datetime.date | None, exclude_pk: int | None
) -> None:
    today = timezone.localdate()
    if entered_on > today:
        raise ServiceError(_("The entry date %(date)s lies in the future.") % {"date": entered_on}, code="entered_on")
    if left_on is not None and left_on < entered_on:
        raise ServiceError(_("The exit date (退库) must not be before the entry date."), code="left_on")
    if left_on is not None and left_on > today:
        raise ServiceError(_("The exit date %(date)s lies in the future.") % {"date": left_on}, code="left_on")
    far = datetime.date.max
    for other in periods_of(enterprise).exclude(pk=exclude_pk):
        if entered_on <= (other.left_on or far) and other.entered_on <= (left_on or far):
            raise ServiceError(
                _("This period overlaps the 规上 period from %(start)s to %(end)s.")
                % {"start": other.entered_on, "end": other.left_on or _("now")},
                code="entered_on",
            )


def _sync_flag(*, actor: User | None, enterprise: Enterprise) -> None:
    """The register's 规上 flag is true while a period is open."""
    today = timezone.localdate()
    is_open = any(period.left_on is None or period.left_on > today for period in periods_of(enterprise))
    if enterprise.is_above_scale == is_open:
        return
    Enterprise.objects.filter(pk=enterprise.pk).update(is_above_scale=is_open, version=enterprise.version + 1)
    record_event(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=enterprise,
        region=enterprise.region,
        changes={"is_above_scale": [enterprise.is_above_scale, is_open]},
    )
    enterprise.is_above_scale = is_open
    enterprise.version += 1


@transaction.atomic
def record_above_scale_period(
    *,
    actor: User | None,
    enterprise: Enterprise,
    entered_on: datetime.date,
    left_on: datetime.date | None = None,
    note: str = "",
) -> AboveScalePeriod:
    """Record that the enterprise entered the above-size statistics (and, for a past period, when it left)."""
    enterprise = Enterprise.objects.select_for_update().select_related("region").get(pk=enterprise.pk)
    _check_dates(enterprise=enterprise, entered_on=entered_on, left_on=left_on, exclude_pk=None)
    period = AboveScalePeriod.objects.create(enterprise=enterprise, entered_on=entered_on, left_on=left_on, note=note)
    record_creation(period, actor=actor, fields=PERIOD_FIELDS, region=enterprise.region)
    _sync_flag(actor=actor, enterprise=enterprise)
    on_enterprise_changed(enterprise_id=enterprise.pk)
    for hook in ABOVE_SCALE_ENTERED_HOOKS:
        transaction.on_commit(lambda hook=hook: hook(period.pk))
    return period


@transaction.atomic
def record_above_scale_exit(
    *,
    actor: User | None,
    period: AboveScalePeriod,
    left_on: datetime.date | None,
    note: str = "",
    expected_version: int | None = None,
) -> AboveScalePeriod:
    """Record (or correct) the date the enterprise left the above-size statistics (退库)."""
    period = AboveScalePeriod.objects.select_for_update().select_related("enterprise__region").get(pk=period.pk)
    _check_version(period, expected_version)
    enterprise = period.enterprise
    _check_dates(enterprise=enterprise, entered_on=period.entered_on, left_on=left_on, exclude_pk=period.pk)
    changes = update_audited(
        period,
        actor=actor,
        values={"left_on": left_on, "note": note or period.note},
        fields=PERIOD_FIELDS,
        region=enterprise.region,
        update_fields=("left_on", "note"),
    )
    if not changes:
        return period
    _sync_flag(actor=actor, enterprise=enterprise)
    on_enterprise_changed(enterprise_id=enterprise.pk)
    return period
