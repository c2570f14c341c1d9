"""The review chain's transitions. One service per transition; each locks the row and checks its version.

The table of which action leaves which state is tiers.applications.transitions.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from portal.exceptions import ServiceError
from portal.models import User
from tiers.applications.models import Application, ApplicationState, ReviewStep
from tiers.applications.services.applications import (
    application_content,
    check_batch_open,
    content_changes,
    indicator_values,
    lock_application,
)
from tiers.applications.services.decisions import grant_application, refuse_application
from tiers.applications.services.depth import reviewed_score, site_check_refusal
from tiers.applications.services.moves import (
    A,
    _check_actor,
    _check_state,
    _commit,
    _current_step,
    _move,
    _require_comment,
    decision_region,
    next_stop,
)
from tiers.applications.transitions import LAST_STEP_MESSAGE, NOT_LAST_STEP_MESSAGE
from tiers.eligibility.application_snapshot import evaluate_for_application


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
