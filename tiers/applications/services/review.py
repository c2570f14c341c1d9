"""The review chain's transitions. One service per transition; each locks the row and checks its version.

The table of which action leaves which state is tiers.applications.transitions.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import update_audited
from portal.exceptions import ActionRefused, ServiceError
from portal.models import AuditEvent, Region, Role, User
from portal.notifications import notify
from tiers.applications import permissions
from tiers.applications.models import (
    Application,
    ApplicationState,
    Attachment,
    Objection,
    ReviewAction,
    ReviewLevel,
    ReviewStep,
)
from tiers.applications.services.applications import (
    application_content,
    check_batch_open,
    content_changes,
    indicator_values,
    lock_application,
    store_attachment,
)
from tiers.applications.services.chains import ensure_review_chain, regions_by_level
from tiers.applications.services.depth import reviewed_score, site_check_refusal
from tiers.applications.transitions import (
    ACTIONS_NEEDING_COMMENT,
    COMMENT_REQUIRED_MESSAGE,
    LAST_STEP_MESSAGE,
    NOT_LAST_STEP_MESSAGE,
    TRANSITIONS,
    Transition,
)
from tiers.eligibility.application_snapshot import evaluate_for_application
from tiers.models import Recognition
from tiers.services import grant_recognition

A = ReviewAction.Action


@dataclass(frozen=True)
class Stop:
    """Where an application goes next: a review step and the region whose staff hold it."""

    step: ReviewStep | None
    region: Region | None


def next_stop(application: Application, after_position: int) -> Stop | None:
    """The next step after `after_position` that has a reviewing region; None after the last one.

    A step is skipped when the enterprise has no region at its level (an
    enterprise registered directly under a city has no county step).
    """
    chain = ensure_review_chain(tier=application.tier)
    regions = regions_by_level(application.region)
    for step in chain.steps.filter(position__gt=after_position).order_by("position"):
        if step.level in regions:
            return Stop(step, regions[step.level])
    return None


def decision_region(application: Application) -> Region | None:
    chain = ensure_review_chain(tier=application.tier)
    return regions_by_level(application.region).get(chain.decision_level)


def _check_state(application: Application, action: str) -> Transition:
    """The action's row of the transition table, once the application's state is one it leaves."""
    transition = TRANSITIONS[action]
    if application.state not in transition.sources:
        raise ServiceError(transition.refusal % {"state": application.state_label}, code="state")
    return transition


def _current_step(application: Application) -> ReviewStep:
    step = application.current_step
    assert step is not None  # an application in review waits at a step
    return step


def _check_actor(actor: User | None, application: Application) -> None:
    """The rules of who acts (leading department, separation of duties) hold for every caller, not only pages.

    A job or an import acts without a person (actor None) and is not refused here.
    """
    if actor is None:
        return
    refusal = permissions.review_refusal(actor, application)
    if refusal:
        raise ActionRefused(refusal)


def _require_comment(action: str, comment: str) -> str:
    comment = (comment or "").strip()
    if action in ACTIONS_NEEDING_COMMENT and not comment:
        raise ServiceError(str(COMMENT_REQUIRED_MESSAGE), code="comment")
    return comment


def _move(application: Application, *, state: str, stop: Stop | None = None) -> None:
    application.state = state
    application.current_step = stop.step if stop else None
    application.reviewing_region = stop.region if stop else None
    application.waiting_since = timezone.now()
    # Stored, not computed, so that "overdue" is one indexed comparison on every database.
    application.due_at = (
        application.waiting_since + datetime.timedelta(days=stop.step.time_limit_days) if stop and stop.step else None
    )


def _commit(
    *,
    actor: User | None,
    application: Application,
    action: str,
    before_label: str,
    step: ReviewStep | None,
    comment: str = "",
    changes: dict | None = None,
    extra_fields: tuple[str, ...] = (),
) -> ReviewAction:
    """Save the transition, append the review action and the audit event, notify whoever must act next."""
    after_label = application.state_label
    update_audited(
        application,
        actor=actor,
        values={},
        changes={"state": [before_label, after_label], "action": [None, action]},
        action=AuditEvent.Action.TRANSITION,
        region=application.region,
        note=comment,
        update_fields=(
            "state",
            "current_step",
            "reviewing_region",
            "waiting_since",
            "due_at",
            "updated_at",
            *extra_fields,
        ),
    )
    review_action = ReviewAction.objects.create(
        application=application,
        action=action,
        actor=actor,
        comment=comment,
        from_state=before_label,
        to_state=after_label,
        step=step,
        content=application_content(application),
        changes=changes or {},
    )
    application_id = application.pk
    transaction.on_commit(lambda: notify_next_actors(application_id=application_id, action=action))
    return review_action


def _snapshot_for_submission(application: Application) -> None:
    purpose = "review" if application.kind == Application.Kind.RE_REVIEW else "new"
    today = timezone.localdate()
    application.indicators_snapshot = {
        "year": application.indicator_year,
        "values": indicator_values(application.enterprise, application.indicator_year),
        "enterprise": {
            "registered_on": application.enterprise.registered_on.isoformat()
            if application.enterprise.registered_on
            else None,
            "industry_code": application.enterprise.industry_code,
            "size_class": application.enterprise.size_class,
            "is_above_scale": application.enterprise.is_above_scale,
        },
    }
    application.eligibility_snapshot = evaluate_for_application(
        enterprise=application.enterprise, tier=application.tier, on=today, purpose=purpose
    )
    application.submitted_at = timezone.now()


SNAPSHOT_FIELDS = ("indicators_snapshot", "eligibility_snapshot", "submitted_at", "submitted_by")


@transaction.atomic
def submit_application(*, actor: User, application: Application, expected_version: int | None = None) -> Application:
    """Send a draft into the review chain, with a snapshot of its figures and eligibility, while the batch is open."""
    locked = lock_application(application, expected_version)
    _check_state(locked, A.SUBMIT)
    check_batch_open(locked.batch)
    before = locked.state_label
    _snapshot_for_submission(locked)
    locked.submitted_by = actor
    stop = next_stop(locked, 0)
    if stop is None:
        _move(locked, state=ApplicationState.RECOMMENDED)
        locked.reviewing_region = decision_region(locked)
    else:
        _move(locked, state=ApplicationState.IN_REVIEW, stop=stop)
    _commit(
        actor=actor, application=locked, action=A.SUBMIT, before_label=before, step=None, extra_fields=SNAPSHOT_FIELDS
    )
    return locked


@transaction.atomic
def resubmit_application(
    *, actor: User, application: Application, comment: str = "", expected_version: int | None = None
) -> Application:
    """Send a corrected application back to the step that returned it; the action records what changed."""
    locked = lock_application(application, expected_version)
    _check_state(locked, A.RESUBMIT)
    last_return = locked.actions.filter(action=A.RETURN).order_by("-at", "-pk").first()
    changes = content_changes(last_return.content if last_return else {}, application_content(locked))
    before = locked.state_label
    _snapshot_for_submission(locked)
    locked.submitted_by = actor
    returned_from = locked.returned_from_step
    stop = next_stop(locked, returned_from.position - 1 if returned_from else 0)
    if stop is None:
        _move(locked, state=ApplicationState.RECOMMENDED)
        locked.reviewing_region = decision_region(locked)
    else:
        _move(locked, state=ApplicationState.IN_REVIEW, stop=stop)
    locked.returned_from_step = None
    _commit(
        actor=actor,
        application=locked,
        action=A.RESUBMIT,
        before_label=before,
        step=None,
        comment=(comment or "").strip(),
        changes=changes,
        extra_fields=(*SNAPSHOT_FIELDS, "returned_from_step"),
    )
    return locked


@transaction.atomic
def pass_application(
    *, actor: User, application: Application, comment: str = "", expected_version: int | None = None
) -> Application:
    """Pass the application from its current step to the next one."""
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.PASS)
    _check_actor(actor, locked)
    step = _current_step(locked)
    stop = next_stop(locked, step.position)
    if stop is None:
        raise ServiceError(LAST_STEP_MESSAGE % {"step": step.label}, code="last_step")
    _check_site_check(locked, step)
    before = locked.state_label
    _move(locked, state=transition.fixed_target(), stop=stop)
    _commit(actor=actor, application=locked, action=A.PASS, before_label=before, step=step, comment=comment.strip())
    return locked


@transaction.atomic
def recommend_application(
    *, actor: User, application: Application, comment: str = "", expected_version: int | None = None
) -> Application:
    """At the last review step: the application passed the chain and waits for the deciding level."""
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.RECOMMEND)
    _check_actor(actor, locked)
    step = _current_step(locked)
    if next_stop(locked, step.position) is not None:
        raise ServiceError(NOT_LAST_STEP_MESSAGE % {"step": step.label}, code="not_last_step")
    _check_site_check(locked, step)
    before = locked.state_label
    _move(locked, state=transition.fixed_target())
    locked.reviewing_region = decision_region(locked)
    # The recommendation carries the score as the reviewers confirmed or adjusted it, item by item.
    locked.reviewed_score = reviewed_score(locked)
    _commit(
        actor=actor,
        application=locked,
        action=A.RECOMMEND,
        before_label=before,
        step=step,
        comment=comment.strip(),
        extra_fields=("reviewed_score",),
    )
    return locked


def _check_site_check(application: Application, step: ReviewStep) -> None:
    refusal = site_check_refusal(application, step)
    if refusal:
        raise ServiceError(refusal, code="site_check")


def advance_application(
    *, actor: User, application: Application, comment: str = "", expected_version: int | None = None
) -> Application:
    """Pass on, or recommend at the last step: what the queue's "pass" button means."""
    if application.current_step is not None and next_stop(application, application.current_step.position) is None:
        return recommend_application(
            actor=actor, application=application, comment=comment, expected_version=expected_version
        )
    return pass_application(actor=actor, application=application, comment=comment, expected_version=expected_version)


@transaction.atomic
def return_application(
    *, actor: User, application: Application, comment: str, expected_version: int | None = None
) -> Application:
    """Send the application back to its editor with a comment saying what to change."""
    comment = _require_comment(A.RETURN, comment)
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.RETURN)
    _check_actor(actor, locked)
    step = locked.current_step
    before = locked.state_label
    locked.returned_from_step = step
    _move(locked, state=transition.fixed_target())
    _commit(
        actor=actor,
        application=locked,
        action=A.RETURN,
        before_label=before,
        step=step,
        comment=comment,
        extra_fields=("returned_from_step",),
    )
    return locked


@transaction.atomic
def reject_application(
    *, actor: User, application: Application, comment: str, expected_version: int | None = None
) -> Application:
    """End the application at a review step, with the reason."""
    comment = _require_comment(A.REJECT, comment)
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.REJECT)
    _check_actor(actor, locked)
    step = locked.current_step
    before = locked.state_label
    _move(locked, state=transition.fixed_target())
    locked.decided_on = timezone.localdate()
    _commit(
        actor=actor,
        application=locked,
        action=A.REJECT,
        before_label=before,
        step=step,
        comment=comment,
        extra_fields=("decided_on",),
    )
    return locked


def publicity_refusal(application: Application, today: datetime.date) -> str | None:
    """Why the grant cannot become final yet because of publicity (公示), or None.

    Where the tier's chain requires publicity, the application must have been on a list whose period has ended.
    """
    chain = ensure_review_chain(tier=application.tier)
    lists = list(application.publicity_lists.all())
    if chain.requires_publicity and not any(publicity.has_ended_by(today) for publicity in lists):
        return _(
            "%(tier)s is granted only after publicity (公示): put the application on a publicity list "
            "and record the decision after the period has ended."
        ) % {"tier": application.tier.name}
    for publicity in lists:
        if today < publicity.starts_on or not publicity.has_ended_by(today):
            return _(
                "The publicity period “%(title)s” runs until %(end)s; the grant can become final after it ends."
            ) % {
                "title": publicity.title,
                "end": publicity.ends_on,
            }
    statuses = list(application.objections.values_list("status", flat=True))
    open_count = statuses.count(Objection.Status.OPEN)
    if open_count:
        return _("%(count)s objection(s) raised during publicity are still open; resolve them before granting.") % {
            "count": open_count
        }
    if Objection.Status.UPHELD in statuses:
        return _("An objection against this application was upheld; it cannot be granted.")
    return None


def _decision_record(
    application: Application, *, document_no: str, notice: UploadedFile | None, actor: User | None
) -> str:
    """The document of a decision taken above the recording city: its number is required, the notice kept."""
    document_no = (document_no or "").strip()
    chain = ensure_review_chain(tier=application.tier)
    if chain.decision_level == ReviewLevel.PROVINCE and not document_no:
        raise ServiceError(
            _("Please give the number of the document that announced the decision (认定文件文号)."), code="document_no"
        )
    _keep_notice(application, notice=notice, actor=actor)
    return document_no


def _keep_notice(application: Application, *, notice: UploadedFile | None, actor: User | None) -> None:
    if notice is not None:
        store_attachment(
            actor=actor,
            application=application,
            upload=notice,
            description=str(_("Decision notice")),
            kind=Attachment.Kind.DECISION_NOTICE,
        )


@transaction.atomic
def grant_application(
    *,
    actor: User,
    application: Application,
    recognized_on: datetime.date | None = None,
    certificate_no: str = "",
    comment: str = "",
    document_no: str = "",
    notice: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Application:
    """Record the grant (认定): after any required publicity ended with every objection resolved, create the recognition.

    A provincial or national decision is recorded with the number of its document, its date and the notice.
    """
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.GRANT)
    _check_actor(actor, locked)
    today = timezone.localdate()
    refusal = publicity_refusal(locked, today)
    if refusal:
        raise ServiceError(refusal, code="publicity")
    locked.decision_document_no = _decision_record(locked, document_no=document_no, notice=notice, actor=actor)
    recognition, _created = grant_recognition(
        actor=actor,
        enterprise=locked.enterprise,
        tier=locked.tier,
        recognized_on=recognized_on or today,
        batch=locked.batch.name,
        certificate_no=certificate_no.strip(),
        source=Recognition.Source.APPLICATION,
    )
    before = locked.state_label
    _move(locked, state=transition.fixed_target())
    locked.decided_on = recognized_on or today
    locked.recognition = recognition
    _commit(
        actor=actor,
        application=locked,
        action=A.GRANT,
        before_label=before,
        step=None,
        comment=comment.strip(),
        extra_fields=("decided_on", "recognition", "decision_document_no"),
    )
    return locked


@transaction.atomic
def refuse_application(
    *,
    actor: User,
    application: Application,
    comment: str,
    decided_on: datetime.date | None = None,
    document_no: str = "",
    notice: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Application:
    """Record that the deciding level did not grant the tier (未获认定), with the reason and, if any, the notice."""
    comment = _require_comment(A.REFUSE, comment)
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.REFUSE)
    _check_actor(actor, locked)
    before = locked.state_label
    _move(locked, state=transition.fixed_target())
    locked.decision_document_no = (document_no or "").strip()
    _keep_notice(locked, notice=notice, actor=actor)
    locked.decided_on = decided_on or timezone.localdate()
    _commit(
        actor=actor,
        application=locked,
        action=A.REFUSE,
        before_label=before,
        step=None,
        comment=comment,
        extra_fields=("decided_on", "decision_document_no"),
    )
    return locked


# action -> service, for the pages and the API that take the action by name. Which states each action leaves is
# tiers.applications.transitions.TRANSITIONS.
TRANSITION_SERVICES: dict[str, Callable[..., Application]] = {
    A.SUBMIT: submit_application,
    A.RESUBMIT: resubmit_application,
    A.PASS: pass_application,
    A.RECOMMEND: recommend_application,
    A.RETURN: return_application,
    A.REJECT: reject_application,
    A.GRANT: grant_application,
    A.REFUSE: refuse_application,
}


def reviewers_of(region: Region | None):
    if region is None:
        return User.objects.none()
    return User.objects.filter(region=region, role=Role.STAFF, is_active=True)


def notify_next_actors(*, application_id: int, action: str) -> None:
    """Tell whoever must act next: the reviewers now holding it, or the editor of a returned application."""
    application = Application.objects.select_related("enterprise", "tier", "reviewing_region").get(pk=application_id)
    url = f"/applications/{application.pk}/"
    if action == A.RETURN:
        last = application.actions.filter(action=A.RETURN).order_by("-at", "-pk").first()
        recipients = {user for user in [application.created_by] if user is not None}
        message = _("Application %(application)s was returned for changes: %(comment)s") % {
            "application": application,
            "comment": last.comment if last else "",
        }
    elif application.state in (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED):
        # Only those who may act: the leading department's staff, not the person who submitted it.
        recipients = {
            user
            for user in reviewers_of(application.reviewing_region).select_related("department", "region")
            if permissions.review_refusal(user, application) is None
        }
        message = _("Application %(application)s waits for you: %(state)s.") % {
            "application": application,
            "state": application.state_label,
        }
    else:
        return
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind="application",
            message=message,
            url=url,
            dedupe_key=f"application:{application.pk}:v{application.version}",
        )
