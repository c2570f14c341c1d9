"""What waits for a user, counted per kind of work, each count linking to the list that shows those items.

Each item appears only for the roles whose work it is; an empty item says what to do next.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from incentives.models import ShareStatus
from incentives.permissions import is_finance_user
from incentives.selectors import shares_visible_to
from portal.models import User
from tasks import periods
from tasks.progress import BEHIND, compute_progress
from tasks.selectors import my_tasks, targets_visible_to
from tiers.applications import selectors as application_selectors
from tiers.applications.models import ApplicationState


@dataclass(frozen=True)
class TodoItem:
    key: str
    label: str
    count: int
    url: str
    empty_hint: str = ""


def _url(name: str, **params) -> str:
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def targets_behind(user: User, *, today: datetime.date) -> int:
    """Targets of the user's scope that are behind today: the one call into the targets' progress computation."""
    targets = list(targets_visible_to(user))
    return sum(1 for progress in compute_progress(targets, as_of=today).values() if progress.status == BEHIND)


def _staff_items(user: User, today: datetime.date) -> list[TodoItem]:
    applications = application_selectors.applications_visible_to(user)
    open_batches = application_selectors.open_batches(user, today).count()
    return [
        TodoItem(
            "review",
            _("Waiting for my review"),
            application_selectors.review_queue(user).count(),
            _url("applications:queue"),
            _("Nothing waits for your review."),
        ),
        TodoItem(
            "returned",
            _("Returned for changes"),
            applications.filter(state=ApplicationState.RETURNED).count(),
            _url("applications:list", state=ApplicationState.RETURNED),
            _("No application waits for corrections."),
        ),
        TodoItem(
            "batches",
            _("Open batches"),
            open_batches,
            _url("applications:batches"),
            application_selectors.no_batch_hint(user),
        ),
    ]


def _publicity_item(user: User, today: datetime.date) -> TodoItem:
    running = application_selectors.publicity_lists_visible_to(user).filter(starts_on__lte=today, ends_on__gte=today)
    return TodoItem(
        "publicity",
        _("In publicity"),
        running.count(),
        _url("applications:publicity-list"),
        _("No publicity list is running."),
    )


def _expiring_item(user: User) -> TodoItem:
    return TodoItem(
        "expiring",
        _("Recognitions expiring soon"),
        application_selectors.expiring_recognitions_for(user).count(),
        _url("applications:expiring"),
        _("No recognition expires soon."),
    )


def _finance_items(user: User) -> list[TodoItem]:
    shares = shares_visible_to(user)
    return [
        TodoItem(
            "to_approve",
            _("Rewards to approve"),
            shares.filter(status=ShareStatus.DUE).count(),
            _url("incentives:list", status=ShareStatus.DUE),
            _("No reward waits for approval."),
        ),
        TodoItem(
            "to_pay",
            _("Rewards to pay"),
            shares.filter(status__in=[ShareStatus.APPROVED, ShareStatus.PARTIALLY_PAID]).count(),
            _url("incentives:list", status=ShareStatus.APPROVED),
            _("No approved reward waits for payment."),
        ),
    ]


def _liaison_items(user: User, today: datetime.date) -> list[TodoItem]:
    pending = sum(1 for _measure, _lead, cell in my_tasks(user, today=today) if cell.state != periods.SUBMITTED)
    return [
        TodoItem(
            "reports",
            _("Reports to submit"),
            pending,
            _url("tasks:mine"),
            _("Every report of this period is submitted."),
        )
    ]


def todo_items(user: User, today: datetime.date | None = None) -> list[TodoItem]:
    """The to-do list of the user's role, in the order they work through it."""
    today = today or timezone.localdate()
    if user.region_id is None and not user.is_admin:
        return []
    if user.is_liaison:
        return _liaison_items(user, today)
    if user.is_leader:
        behind = TodoItem(
            "targets_behind",
            _("Targets behind"),
            targets_behind(user, today=today),
            _url("tasks:targets"),
            _("No target is behind."),
        )
        return [behind, _publicity_item(user, today), _expiring_item(user)]
    if is_finance_user(user):
        return _finance_items(user)
    if user.is_staff_member:
        return [*_staff_items(user, today), _publicity_item(user, today), _expiring_item(user)]
    return [_publicity_item(user, today), _expiring_item(user)]
