"""What reviewers record besides moving an application: scores item by item, on-site checks, 会签 opinions."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.exceptions import ActionRefused, ServiceError
from portal.models import AuditEvent, Department, Role, User
from portal.notifications import notify
from tiers.applications import permissions
from tiers.applications.models import (
    Application,
    ApplicationState,
    Attachment,
    Opinion,
    ReviewStep,
    ScoreReview,
    SiteCheck,
)
from tiers.applications.responsibility import department_leads
from tiers.applications.services.applications import store_attachment

MAX_SITE_CHECK_FILES = 10


@dataclass(frozen=True)
class ScoreItem:
    """One item of the tier's score table as computed at submission, and as the reviewers last set it."""

    code: str
    label: str
    maximum: Decimal
    computed: Decimal | None
    reviewed: ScoreReview | None

    @property
    def points(self) -> Decimal | None:
        return self.reviewed.points if self.reviewed else self.computed


def _score_table(node: dict) -> dict | None:
    if node.get("kind") == "score_table":
        return node
    for child in node.get("children", ()) or ():
        found = _score_table(child)
        if found:
            return found
    return None


def score_items(application: Application) -> list[ScoreItem]:
    """The items of the score table in the eligibility snapshot (empty for tiers without one), with reviews."""
    table = None
    for detail in (application.eligibility_snapshot or {}).get("details", []):
        table = _score_table(detail)
        if table:
            break
    if table is None:
        return []
    latest = {review.item_code: review for review in application.score_reviews.order_by("at", "pk")}
    items = []
    for item in table.get("items", []):
        low, high = item.get("points_min"), item.get("points_max")
        computed = Decimal(str(low)) if low is not None and low == high else None
        items.append(
            ScoreItem(
                code=item["code"],
                label=item["label"],
                maximum=Decimal(str(item.get("max", 0))),
                computed=computed,
                reviewed=latest.get(item["code"]),
            )
        )
    return items


def reviewed_score(application: Application) -> Decimal | None:
    """The total the recommendation carries: each item's reviewed points, or its computed points; None without a table
    or while an item has neither (the computation could not decide it and no reviewer has scored it)."""
    items = score_items(application)
    points = [item.points for item in items if item.points is not None]
    if not items or len(points) < len(items):
        return None
    return sum(points, Decimal(0))


def _parse_points(points, maximum: Decimal) -> Decimal:
    try:
        value = Decimal(str(points)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as error:
        raise ServiceError(_("Points must be a number."), code="points") from error
    if not Decimal(0) <= value <= maximum:
        raise ServiceError(_("Points must lie between 0 and %(max)s for this item.") % {"max": maximum}, code="points")
    return value


def _check_work(actor: User, application: Application) -> None:
    refusal = permissions.work_refusal(actor, application)
    if refusal:
        raise ActionRefused(refusal)


@transaction.atomic
def review_score_item(
    *, actor: User, application: Application, item_code: str, points, reason: str = ""
) -> ScoreReview:
    """Confirm (same points, no reason needed) or adjust (a reason required) one score item at the current step."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _check_work(actor, locked)
    item = next((item for item in score_items(locked) if item.code == item_code), None)
    if item is None:
        raise ServiceError(_("This tier's score table has no such item."), code="item_code")
    value = _parse_points(points, item.maximum)
    reason = (reason or "").strip()
    if value != item.computed and not reason:
        raise ServiceError(
            _("“%(item)s”: please give the reason for the points (computed: %(computed)s).")
            % {"item": item.label, "computed": item.computed if item.computed is not None else "—"},
            code="reason",
        )
    review = ScoreReview.objects.create(
        application=locked,
        step=locked.current_step,
        item_code=item.code,
        item_label=item.label,
        computed_points=item.computed,
        points=value,
        reason=reason,
        actor=actor,
    )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=review,
        region=locked.region,
        changes={"item": [None, item.label], "points": [str(item.computed), str(value)]},
        note=reason,
    )
    return review


def site_check_refusal(application: Application, step: ReviewStep) -> str | None:
    """Why the step cannot be passed yet: its chain requires an on-site check and none is recorded for it."""
    if not step.requires_site_check or application.site_checks.filter(step=step).exists():
        return None
    return _("“%(step)s” requires an on-site check (实地核查); record it before passing the application on.") % {
        "step": step.label
    }


@transaction.atomic
def record_site_check(
    *,
    actor: User,
    application: Application,
    checked_on: datetime.date,
    people: str,
    findings: str,
    conclusion: str,
    files: Sequence[UploadedFile] = (),
) -> SiteCheck:
    """Attach an on-site check to the current review step, with its record files (PDF or images)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _check_work(actor, locked)
    if not (people or "").strip():
        raise ServiceError(_("Please say who carried out the on-site check."), code="people")
    if not (findings or "").strip():
        raise ServiceError(_("Please write down what the on-site check found."), code="findings")
    if conclusion not in SiteCheck.Conclusion.values:
        raise ServiceError(_("Please choose the conclusion of the on-site check."), code="conclusion")
    if len(files) > MAX_SITE_CHECK_FILES:
        raise ServiceError(
            _("At most %(count)s files can be attached to one on-site check.") % {"count": MAX_SITE_CHECK_FILES},
            code="files",
        )
    check = SiteCheck.objects.create(
        application=locked,
        step=locked.current_step,
        checked_on=checked_on,
        people=people.strip()[:200],
        findings=findings.strip(),
        conclusion=conclusion,
        recorded_by=actor,
    )
    for upload in files:
        store_attachment(
            actor=actor,
            application=locked,
            upload=upload,
            description=str(_("On-site check record")),
            kind=Attachment.Kind.SITE_CHECK,
            site_check=check,
        )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=check,
        region=locked.region,
        changes={"checked_on": [None, str(checked_on)], "conclusion": [None, conclusion]},
        note=check.findings,
    )
    return check


def opinion_departments(application: Application) -> list[Department]:
    """Departments that may be asked for a 会签 opinion: those of the region holding the application."""
    if application.reviewing_region_id is None:
        return []
    bureaus = Department.objects.filter(
        region_id=application.reviewing_region_id, kind=Department.Kind.BUREAU
    ).select_related("region")
    return [department for department in bureaus.order_by("name") if not department_leads(department, application.tier)]


@transaction.atomic
def request_opinion(*, actor: User, application: Application, department: Department) -> int:
    """Ask another department of the holding region for its 会签 opinion: its staff are notified; audited.

    Returns how many people were notified.
    """
    refusal = permissions.review_refusal(actor, application)
    if refusal or application.state not in (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED):
        raise ActionRefused(refusal or _("Opinions are given while the application is under review."))
    if department not in opinion_departments(application):
        raise ServiceError(_("Please choose another department of the reviewing region."), code="department")
    record_event(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=application,
        region=application.region,
        changes={"opinion_requested_from": [None, department.name]},
    )
    message = _("%(actor)s asks your department for a countersigned opinion (会签) on %(application)s.") % {
        "actor": actor,
        "application": application,
    }
    recipients = list(User.objects.filter(department=department, role=Role.STAFF, is_active=True))
    url = f"/applications/{application.pk}/"
    key = f"opinion:{application.pk}:{department.pk}:v{application.version}"
    transaction.on_commit(
        lambda: [
            notify(recipient=user, kind="application", message=message, url=url, dedupe_key=key) for user in recipients
        ]
    )
    return len(recipients)


@transaction.atomic
def record_opinion(*, actor: User, application: Application, text: str) -> Opinion:
    """Record a 会签 opinion of the actor's department on the application; it moves nothing."""
    refusal = permissions.opinion_refusal(actor, application)
    if refusal:
        raise ActionRefused(refusal)
    if not (text or "").strip():
        raise ServiceError(_("Please write the opinion."), code="text")
    department = actor.department
    assert department is not None  # opinion_refusal refuses whoever has no department
    opinion = Opinion.objects.create(application=application, department=department, text=text.strip(), actor=actor)
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=opinion,
        region=application.region,
        changes={"department": [None, str(actor.department)]},
        note=opinion.text,
    )
    return opinion
