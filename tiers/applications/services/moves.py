"""How a review transition moves an application: where it goes next (the chain's next stop, the deciding
region), the checks every transition makes (state, actor, comment), the move itself, and its record: the saved
application, the review action, the audit event and the notice to whoever must act next.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import update_audited
from portal.exceptions import ActionRefused, ServiceError
from portal.models import AuditEvent, Region, Role, User
from portal.notifications import notify
from tiers.applications import permissions
from tiers.applications.models import Application, ApplicationState, ReviewAction, ReviewStep
from tiers.applications.services.applications import application_content
from tiers.applications.services.chains import ensure_review_chain, regions_by_level
from tiers.applications.transitions import ACTIONS_NEEDING_COMMENT, COMMENT_REQUIRED_MESSAGE, TRANSITIONS, Transition

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
