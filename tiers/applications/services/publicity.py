"""公示: publicity lists and the objections received while they run."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record_event, update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, Region, User
from tiers.applications.models import Application, ApplicationState, Objection, PublicityList
from tiers.applications.services.moves import next_stop


@transaction.atomic
def create_publicity_list(
    *,
    actor: User,
    region: Region,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    applications: Sequence[Application] = (),
) -> PublicityList:
    if ends_on < starts_on:
        raise ServiceError(_("Publicity cannot end before it starts."), code="ends_on")
    publicity = PublicityList.objects.create(
        region=region, title=title.strip(), starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=publicity,
        region=region,
        changes={
            "title": [None, publicity.title],
            "starts_on": [None, str(starts_on)],
            "ends_on": [None, str(ends_on)],
        },
    )
    if applications:
        add_to_publicity_list(actor=actor, publicity_list=publicity, applications=applications)
    return publicity


@transaction.atomic
def add_to_publicity_list(*, actor: User, publicity_list: PublicityList, applications: Sequence[Application]) -> None:
    """Put applications on the list: those at their last review step (to be recommended) or awaiting the decision."""
    ids = [application.pk for application in applications]
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("enterprise", "region", "current_step", "tier")
    )
    for application in locked:
        at_last_step = (
            application.state == ApplicationState.IN_REVIEW
            and application.current_step is not None
            and next_stop(application, application.current_step.position) is None
        )
        if application.state != ApplicationState.RECOMMENDED and not at_last_step:
            raise ServiceError(
                _(
                    "%(application)s is “%(state)s”; only applications at their last review step or awaiting "
                    "the decision go on publicity."
                )
                % {"application": application, "state": application.state_label},
                code="state",
            )
        if not application.region.path.startswith(publicity_list.region.path):
            raise ServiceError(
                _("%(application)s lies outside %(region)s.")
                % {"application": application, "region": publicity_list.region},
                code="region",
            )
    publicity_list.applications.add(*locked)
    record_event(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=publicity_list,
        region=publicity_list.region,
        changes={"applications": [None, [str(application) for application in locked]]},
    )


@transaction.atomic
def record_objection(
    *,
    actor: User,
    publicity_list: PublicityList,
    application: Application,
    text: str,
    objector: str = "",
    received_on: datetime.date | None = None,
) -> Objection:
    """Record an objection received during the publicity period, against one listed application."""
    received_on = received_on or timezone.localdate()
    if not publicity_list.applications.filter(pk=application.pk).exists():
        raise ServiceError(
            _("%(application)s is not on “%(title)s”.") % {"application": application, "title": publicity_list.title},
            code="application",
        )
    if not publicity_list.starts_on <= received_on <= publicity_list.ends_on:
        raise ServiceError(
            _("Objections are received from %(start)s to %(end)s; %(day)s lies outside the publicity period.")
            % {"start": publicity_list.starts_on, "end": publicity_list.ends_on, "day": received_on},
            code="received_on",
        )
    if not text.strip():
        raise ServiceError(_("Please write down the objection."), code="text")
    objection = Objection.objects.create(
        publicity_list=publicity_list,
        application=application,
        received_on=received_on,
        objector=objector.strip()[:100],
        text=text.strip(),
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=objection,
        region=application.region,
        changes={"text": [None, objection.text], "received_on": [None, str(received_on)]},
    )
    return objection


@transaction.atomic
def resolve_objection(
    *, actor: User, objection: Objection, status: str, resolution: str, expected_version: int | None = None
) -> Objection:
    """Close an objection as dismissed or upheld, saying how it was resolved."""
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    expected = objection.version if expected_version is None else expected_version
    if locked.version != expected:
        raise ConcurrentEditError(
            _("This objection was changed by someone else (now: %(status)s). Please refresh and try again.")
            % {"status": locked.get_status_display()}
        )
    if locked.status != Objection.Status.OPEN:
        raise ServiceError(
            _("This objection is already resolved (%(status)s).") % {"status": locked.get_status_display()},
            code="status",
        )
    if status not in (Objection.Status.DISMISSED, Objection.Status.UPHELD):
        raise ServiceError(_("An objection is resolved as dismissed or upheld."), code="status")
    if not resolution.strip():
        raise ServiceError(_("Please say how the objection was resolved."), code="resolution")
    update_audited(
        locked,
        actor=actor,
        values={
            "status": status,
            "resolution": resolution.strip(),
            "resolved_by": actor,
            "resolved_at": timezone.now(),
        },
        changes={"status": [str(Objection.Status.OPEN.label), str(Objection.Status(status).label)]},
        region=locked.application.region,
        note=resolution.strip(),
        update_fields=("status", "resolution", "resolved_by", "resolved_at"),
    )
    return locked
