"""Writes of briefings: requesting one, generating it once, and the monthly round."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from overview.briefings.headlines import headline_sentences
from overview.briefings.pdf import briefing_pdf
from overview.dashboard.exports import figures_workbook
from overview.dashboard.selectors import dashboard_figures
from portal.audit import record_event
from portal.exceptions import ServiceError
from portal.models import AuditEvent, Briefing, Region, Role, User
from portal.services import queue_job

GENERATE_JOB = "portal.briefings.jobs.generate_briefing"
STEPS = 4


def request_briefing(
    *, actor: User | None, region: Region, as_of: datetime.date, kind: str = Briefing.Kind.ON_DEMAND
) -> Briefing:
    """Record the request and queue the job that freezes the figures. The figures are computed by the job."""
    if as_of > timezone.localdate():
        raise ServiceError(_("A briefing cannot be dated after today."), code="as_of")
    with transaction.atomic():
        briefing = Briefing.objects.create(region=region, as_of=as_of, kind=kind, created_by=actor)
        briefing.job = queue_job(kind=GENERATE_JOB, actor=actor, params={"briefing_id": briefing.pk}, total=STEPS)
        briefing.save(update_fields=["job"])
        record_event(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=briefing,
            region=region,
            changes={"as_of": [None, as_of.isoformat()], "kind": [None, kind]},
        )
    return briefing


def _cover(briefing: Briefing) -> list[tuple[str, str]]:
    return [
        (_("Region"), briefing.region.name),
        (_("As of"), briefing.as_of.isoformat()),
        (_("Requested by"), str(briefing.created_by) if briefing.created_by else _("Monthly schedule")),
        (_("Generated at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


def _previous_figures(briefing: Briefing) -> dict | None:
    """The figures of the region's latest ready briefing dated before this one: what changed since."""
    earlier = (
        Briefing.objects.filter(region=briefing.region, status=Briefing.Status.READY, as_of__lt=briefing.as_of)
        .order_by("-as_of", "-generated_at")
        .values_list("figures", flat=True)
        .first()
    )
    return earlier or None


def generate_briefing(*, briefing_id: int, progress: Callable[[int, int], None] | None = None) -> Briefing | None:
    """Compute the figures as of the briefing's date, write the workbook and the PDF, store all three. Once.

    A briefing already generated is left exactly as it is: running the job again changes nothing.
    """
    progress = progress or (lambda done, total: None)
    briefing = Briefing.objects.select_related("region", "created_by").filter(pk=briefing_id).first()
    if briefing is None or briefing.is_ready:
        return briefing
    with translation.override(settings.LANGUAGE_CODE):
        figures = dashboard_figures(briefing.region, as_of=briefing.as_of)
        previous = _previous_figures(briefing)
        figures["previous_as_of"] = previous["as_of"] if previous else None
        figures["headlines"] = headline_sentences(figures, previous=previous)
        progress(1, STEPS)
        cover = _cover(briefing)
        workbook = figures_workbook(figures, cover=cover, headlines=figures["headlines"])
        progress(2, STEPS)
        pdf = briefing_pdf(figures, cover=cover)
        progress(3, STEPS)
    with transaction.atomic():
        locked = Briefing.objects.select_for_update().get(pk=briefing_id)
        if locked.is_ready:
            return locked
        locked.figures = figures
        locked.xlsx.save("briefing.xlsx", ContentFile(workbook), save=False)
        locked.pdf.save("briefing.pdf", ContentFile(pdf), save=False)
        locked.status = Briefing.Status.READY
        locked.generated_at = timezone.now()
        locked.error = ""
        locked.save()
        record_event(
            actor=None,
            action=AuditEvent.Action.TRANSITION,
            instance=locked,
            region=locked.region,
            changes={"status": [Briefing.Status.QUEUED, Briefing.Status.READY]},
        )
    progress(4, STEPS)
    return locked


def mark_briefing_failed(*, briefing_id: int, error: str) -> None:
    Briefing.objects.filter(pk=briefing_id).exclude(status=Briefing.Status.READY).update(
        status=Briefing.Status.FAILED, error=error[:2000]
    )


def briefing_result(briefing_id: int) -> dict:
    """What the job records, so that the progress box offers a link to the briefing."""
    return {"briefing_id": briefing_id, "redirect": reverse("briefings:detail", args=[briefing_id])}


def queue_monthly_briefings(*, today: datetime.date) -> list[int]:
    """The monthly round: one briefing as of the last day of last month for every region a leader sits in.

    A region's monthly briefing exists once (a unique constraint), so a second run or a second beat adds nothing.
    """
    as_of = today.replace(day=1) - datetime.timedelta(days=1)
    regions = Region.objects.filter(users__role=Role.LEADER, users__is_active=True).distinct().order_by("path")
    queued = []
    for region in regions:
        if Briefing.objects.filter(region=region, as_of=as_of, kind=Briefing.Kind.MONTHLY).exists():
            continue
        try:
            queued.append(request_briefing(actor=None, region=region, as_of=as_of, kind=Briefing.Kind.MONTHLY).pk)
        except IntegrityError:
            continue
    return queued
