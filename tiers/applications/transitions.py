"""The application's transition table: which action leaves which state, and what the user is told otherwise.

Each action is one service in tiers.applications.services; the services read
this table to guard state. Who may act is a separate question
(tiers.applications.permissions).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiers.applications.models import ApplicationState as S
from tiers.applications.models import ReviewAction

A = ReviewAction.Action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    # None: the target depends on the review chain (the first step, or recommended when no step has a reviewer).
    target: str | None
    refusal: Promise

    def fixed_target(self) -> str:
        """The state this action always leads to; only for actions whose target the table states."""
        if self.target is None:
            raise ValueError(f"The target of “{self.action}” depends on the review chain, not on the table.")
        return self.target


TRANSITIONS: dict[str, Transition] = {
    A.SUBMIT: Transition(
        A.SUBMIT,
        frozenset({S.DRAFT}),
        None,
        _("Only a draft can be submitted; this application is “%(state)s”."),
    ),
    A.RESUBMIT: Transition(
        A.RESUBMIT,
        frozenset({S.RETURNED}),
        None,
        _("Only an application returned for changes can be resubmitted; this one is “%(state)s”."),
    ),
    A.PASS: Transition(
        A.PASS,
        frozenset({S.IN_REVIEW}),
        S.IN_REVIEW,
        _("Only an application under review can be passed; this one is “%(state)s”."),
    ),
    A.RECOMMEND: Transition(
        A.RECOMMEND,
        frozenset({S.IN_REVIEW}),
        S.RECOMMENDED,
        _("Only an application at its last review step can be recommended; this one is “%(state)s”."),
    ),
    A.RETURN: Transition(
        A.RETURN,
        frozenset({S.IN_REVIEW}),
        S.RETURNED,
        _("Only an application under review can be returned for changes; this one is “%(state)s”."),
    ),
    A.REJECT: Transition(
        A.REJECT,
        frozenset({S.IN_REVIEW}),
        S.REJECTED,
        _("Only an application under review can be rejected; this one is “%(state)s”."),
    ),
    A.GRANT: Transition(
        A.GRANT,
        frozenset({S.RECOMMENDED}),
        S.GRANTED,
        _("Only an application that passed every review step can be granted; this one is “%(state)s”."),
    ),
    A.REFUSE: Transition(
        A.REFUSE,
        frozenset({S.RECOMMENDED}),
        S.NOT_GRANTED,
        _("Only an application that passed every review step can be refused; this one is “%(state)s”."),
    ),
}

# Actions that must say why.
ACTIONS_NEEDING_COMMENT = frozenset({A.RETURN, A.REJECT, A.REFUSE})

CONFLICT_MESSAGE = _(
    "This application has already been handled by someone else (current state: %(state)s). Please refresh and try again."
)
LAST_STEP_MESSAGE = _("“%(step)s” is the last review step: recommend the application instead of passing it on.")
NOT_LAST_STEP_MESSAGE = _("“%(step)s” is not the last review step: pass the application on to the next step.")
COMMENT_REQUIRED_MESSAGE = _("Please give a reason.")


def allowed_actions(state: str) -> list[str]:
    return [action for action, transition in TRANSITIONS.items() if state in transition.sources]


def decision_arguments(action: str, data: dict) -> dict:
    """The extra arguments a decision's service takes from a form's or a request's cleaned data."""
    if action == A.GRANT:
        return {
            "recognized_on": data.get("recognized_on"),
            "certificate_no": data.get("certificate_no") or "",
            "document_no": data.get("document_no") or "",
            "notice": data.get("notice"),
        }
    if action == A.REFUSE:
        return {
            "decided_on": data.get("recognized_on"),
            "document_no": data.get("document_no") or "",
            "notice": data.get("notice"),
        }
    return {}
