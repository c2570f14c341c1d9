"""Bulk review from a queue. Each item is its own transaction: one stale or refused item does not
undo the others, and the reviewer gets one outcome line per application."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.exceptions import ServiceError
from portal.models import User
from tiers.applications.models import Application, ReviewAction
from tiers.applications.services.review import advance_application, return_application


@dataclass(frozen=True)
class BulkOutcome:
    application_id: int
    label: str
    is_ok: bool
    message: str


def bulk_review(
    *, actor: User, applications: list[tuple[Application, int]], action: str, comment: str = ""
) -> list[BulkOutcome]:
    """Pass (or recommend at the last step) or return each (application, version it was shown at)."""
    outcomes = []
    for application, version in applications:
        try:
            if action == ReviewAction.Action.RETURN:
                result = return_application(
                    actor=actor, application=application, comment=comment, expected_version=version
                )
            else:
                result = advance_application(
                    actor=actor, application=application, comment=comment, expected_version=version
                )
        except ServiceError as error:
            outcomes.append(BulkOutcome(application.pk, str(application), False, error.message))
        else:
            outcomes.append(
                BulkOutcome(application.pk, str(application), True, _("Now: %(state)s") % {"state": result.state_label})
            )
    return outcomes
