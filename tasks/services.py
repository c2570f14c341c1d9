"""Writes of the tasks app: reports, attachments, leaders' instructions, visits, reminders. All audited."""

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.audit import record_creation, record_event, update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, Department, User
from portal.notifications import notify
from tasks import periods
from tasks.models import LeaderComment, Measure, MeasureUnit, ReportAttachment, ServiceVisit, TaskReport

REPORT_FIELDS = ("narrative", "figures", "status")
VISIT_FIELDS = ("enterprise", "commissioner", "visited_on", "problems_raised", "problems_solved", "policy_notes")
ATTACHMENT_MAX_BYTES = getattr(settings, "TASK_REPORT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Extension → the bytes such a file starts with. Office Open XML files are ZIP archives.
ATTACHMENT_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}


def _unit_link(measure: Measure, department: Department) -> MeasureUnit:
    link = MeasureUnit.objects.filter(measure=measure, department=department).first()
    if link is None:
        raise ServiceError(
            _("%(unit)s is not a responsible unit of task %(number)s.")
            % {"unit": department.name, "number": measure.number},
            code="department",
        )
    return link


def _lead_liaisons(measure: Measure) -> list[User]:
    lead_ids = MeasureUnit.objects.filter(measure=measure, is_lead=True).values_list("department_id", flat=True)
    return list(User.objects.filter(role="liaison", department_id__in=lead_ids, is_active=True))


def _task_url(measure: Measure) -> str:
    return reverse("tasks:measure", args=[measure.pk])


def clean_figures(figures: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    cleaned = []
    for item in figures or []:
        label = str(item.get("label", "")).strip()
        value = str(item.get("value", "")).strip()
        if label or value:
            if not label:
                raise ServiceError(_("Every figure needs a label."), code="figures")
            cleaned.append({"label": label[:100], "value": value[:100]})
    return cleaned


@transaction.atomic
def save_report(
    *,
    actor: User,
    measure: Measure,
    department: Department,
    period: str,
    narrative: str,
    figures: list[dict[str, Any]] | None = None,
    submit: bool = False,
    expected_version: int | None = None,
) -> TaskReport:
    """Create or update a unit's report on a task for a period; the lead unit's report is the consolidated one.

    Refused if someone saved the report after the user opened it (`expected_version`).
    """
    link = _unit_link(measure, department)
    reporting_period = periods.period_from_label(measure.cycle, period)
    if reporting_period is None:
        raise ServiceError(
            _("“%(period)s” is not a reporting period of this task.") % {"period": period}, code="period"
        )
    if not narrative.strip():
        raise ServiceError(_("Describe the progress made in the period."), code="narrative")
    values = {
        "narrative": narrative.strip(),
        "figures": clean_figures(figures),
        "status": TaskReport.Status.SUBMITTED if submit else TaskReport.Status.DRAFT,
    }
    report = (
        TaskReport.objects.select_for_update().filter(measure=measure, department=department, period=period).first()
    )
    if report is None:
        if expected_version not in (None, 0):
            raise ConcurrentEditError(_("This report was deleted or never saved. Reload the page."))
        report = TaskReport.objects.create(
            measure=measure,
            department=department,
            period=reporting_period.label,
            period_start=reporting_period.start,
            period_end=reporting_period.end,
            due_on=reporting_period.due_on,
            is_consolidated=link.is_lead,
            created_by=actor,
            updated_by=actor,
            submitted_at=timezone.now() if submit else None,
            **values,
        )
        record_creation(report, actor=actor, fields=REPORT_FIELDS, region=department.region)
    else:
        if expected_version is not None and report.version != expected_version:
            raise ConcurrentEditError(
                _(
                    "This report was changed by someone else after you opened it. Reload the page to see their changes, then apply yours again."
                )
            )
        if report.status == TaskReport.Status.SUBMITTED and not submit:
            values["status"] = TaskReport.Status.SUBMITTED

        def stamp_report(changes: dict[str, Any]) -> None:
            if submit and report.submitted_at is None:
                report.submitted_at = timezone.now()
            report.updated_by = actor

        changes = update_audited(
            report,
            actor=actor,
            values=values,
            fields=REPORT_FIELDS,
            region=department.region,
            before_save=stamp_report,
        )
        if not changes:
            return report
    if submit and not link.is_lead:
        message = _("%(unit)s submitted its %(period)s report on task %(number)s.") % {
            "unit": department.name,
            "period": report.period,
            "number": measure.number,
        }
        for liaison in _lead_liaisons(measure):
            notify(
                recipient=liaison,
                kind="report_submitted",
                message=message,
                url=_task_url(measure),
                dedupe_key=f"task-report-submitted:{report.pk}:{report.version}",
            )
    return report


@transaction.atomic
def file_report(
    *,
    actor: User,
    measure: Measure,
    department: Department,
    period: str,
    narrative: str,
    figures: list[dict[str, Any]] | None = None,
    submit: bool = False,
    expected_version: int | None = None,
    attachment: UploadedFile | None = None,
) -> TaskReport:
    """What a liaison's report form does: save the report and its attachment together, or neither.

    The attachment is checked before anything is written, so a refused file leaves the
    report as it was, unannounced, and the same form can be sent again with another file.
    """
    if attachment is not None:
        _check_attachment(attachment)
    report = save_report(
        actor=actor,
        measure=measure,
        department=department,
        period=period,
        narrative=narrative,
        figures=figures,
        submit=submit,
        expected_version=expected_version,
    )
    if attachment is not None:
        attach_file(actor=actor, report=report, upload=attachment)
    return report


def _check_attachment(upload: UploadedFile) -> tuple[str, str]:
    name = Path(upload.name or "").name
    extension = Path(name).suffix.lower()
    if extension not in ATTACHMENT_SIGNATURES:
        raise ServiceError(
            _("Attach PDF, Word, Excel, PNG or JPEG files only; “%(name)s” is not one of them.") % {"name": name},
            code="file",
        )
    if (upload.size or 0) > ATTACHMENT_MAX_BYTES:
        raise ServiceError(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            code="file",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_SIGNATURES[extension]):
        raise ServiceError(
            _("“%(name)s” is not really a %(type)s file.") % {"name": name, "type": extension[1:].upper()}, code="file"
        )
    return name, ATTACHMENT_TYPES[extension]


@transaction.atomic
def attach_file(*, actor: User, report: TaskReport, upload: UploadedFile) -> ReportAttachment:
    """Store a file with a report after checking its size, extension and first bytes."""
    name, content_type = _check_attachment(upload)
    attachment = ReportAttachment(
        report=report, original_name=name[:200], size=upload.size or 0, content_type=content_type, uploaded_by=actor
    )
    attachment.file.save(f"{report.pk}{Path(name).suffix.lower()}", upload, save=False)
    attachment.save()
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=attachment,
        region=report.department.region,
        changes={"report": [None, str(report)], "file": [None, name]},
    )
    return attachment


@transaction.atomic
def comment_on_measure(*, actor: User, measure: Measure, text: str) -> LeaderComment:
    """Record a leader's instruction (批示) and tell the lead unit's liaisons."""
    if not text.strip():
        raise ServiceError(_("Write the instruction."), code="text")
    comment = LeaderComment.objects.create(measure=measure, author=actor, text=text.strip())
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=comment,
        region=measure.policy.region,
        changes={"text": [None, comment.text]},
    )
    message = _("%(leader)s gave an instruction on task %(number)s: %(text)s") % {
        "leader": actor,
        "number": measure.number,
        "text": comment.text[:200],
    }
    for liaison in _lead_liaisons(measure):
        notify(
            recipient=liaison,
            kind="leader_comment",
            message=message,
            url=_task_url(measure),
            dedupe_key=f"task-comment:{comment.pk}",
        )
    return comment


@transaction.atomic
def log_visit(
    *,
    actor: User,
    enterprise: Enterprise,
    visited_on: datetime.date,
    problems_raised: str = "",
    problems_solved: str = "",
    policy_notes: str = "",
    commissioner: User | None = None,
) -> ServiceVisit:
    """Record a service commissioner's visit to an enterprise (一企一策)."""
    if visited_on > timezone.localdate():
        raise ServiceError(_("A visit cannot be logged for a future date."), code="visited_on")
    visit = ServiceVisit.objects.create(
        enterprise=enterprise,
        commissioner=commissioner or actor,
        visited_on=visited_on,
        problems_raised=problems_raised.strip(),
        problems_solved=problems_solved.strip(),
        policy_notes=policy_notes.strip(),
        created_by=actor,
    )
    record_creation(visit, actor=actor, fields=VISIT_FIELDS, region=enterprise.region)
    return visit


def send_report_reminders(*, today: datetime.date) -> dict[str, int]:
    """Remind liaisons of reports due within the warning window and of overdue ones. Idempotent:
    each (unit, task, period, kind) reminder is sent once, so the job may run many times a day."""
    sent = {"due_soon": 0, "overdue": 0}
    links = MeasureUnit.objects.select_related("measure__policy", "department")
    liaisons: dict[int, list[User]] = {}
    for user in User.objects.filter(role="liaison", is_active=True, department__isnull=False):
        if user.department_id is not None:
            liaisons.setdefault(user.department_id, []).append(user)
    filed = set(
        TaskReport.objects.filter(
            status=TaskReport.Status.SUBMITTED, due_on__gte=today - datetime.timedelta(days=120)
        ).values_list("measure_id", "department_id", "period")
    )
    for link in links.filter(department_id__in=liaisons):
        measure = link.measure
        period = periods.period_to_report(measure.cycle, today)
        if (measure.pk, link.department_id, period.label) in filed:
            continue
        state = periods.report_state(period, None, today)
        if state not in (periods.DUE_SOON, periods.OVERDUE):
            continue
        if state == periods.DUE_SOON:
            message = _("The %(period)s report on task %(number)s (%(policy)s) is due on %(due)s.")
        else:
            message = _("The %(period)s report on task %(number)s (%(policy)s) was due on %(due)s and is overdue.")
        message = message % {
            "period": period.label,
            "number": measure.number,
            "policy": measure.policy,
            "due": period.due_on,
        }
        for liaison in liaisons[link.department_id]:
            with transaction.atomic():
                created = notify(
                    recipient=liaison,
                    kind=f"report_{state}",
                    message=message,
                    url=_task_url(measure),
                    dedupe_key=f"task-report-{state}:{measure.pk}:{period.label}",
                )
            if created is not None:
                sent[state] += 1
    return sent


# The decisions on contradictions and inferences live in their own module; this stays the one door for writes.
from tasks.decisions import decide_inference, record_target_results, resolve_target_conflict  # noqa: E402, F401
