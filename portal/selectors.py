"""Reads of the site itself: regions, departments, users, audit, jobs — scoped."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from portal.models import AuditEvent, Department, Job, Notification, Region, User


def regions_visible_to(user: User) -> QuerySet[Region]:
    """The user's region and every region below it."""
    path = user.scope_path
    if path is None:
        return Region.objects.none()
    return Region.objects.filter(path__startswith=path)


def region_ids_visible_to(user: User) -> list[int]:
    return list(regions_visible_to(user).values_list("pk", flat=True))


def scope_filter(user: User, field: str = "region") -> Q:
    """A Q that keeps rows whose `field` region lies in the user's scope."""
    path = user.scope_path
    if path is None:
        return Q(pk__in=[])
    if path == "":
        return Q()
    # An IN over the (small) region table's ids, not a join on the path: the
    # database then uses the row table's region index for filtering and counting.
    return Q(**{f"{field}__in": Region.objects.filter(path__startswith=path).values("pk")})


def jurisdiction_filter(user: User, field: str = "region") -> Q:
    """A Q for reference data (rules, ladders, policies, batches) of the user's chain of jurisdictions.

    Kept: rows of no region (national), of the user's region and the regions above it (their province, their
    city), and of the regions below it (a city's counties). Administrators and users without a region see all.
    """
    if user.is_admin or (region := user.region) is None:
        return Q()
    return (
        Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__in": region.ancestors_and_self})
        | Q(**{f"{field}__in": Region.objects.filter(path__startswith=region.path).values("pk")})
    )


class Listing:
    """A queryset as Django's Paginator reads it, made cheap on a large register.

    The total comes from `count` (typically cached) instead of a COUNT(*) per
    page. A page first finds its rows' primary keys in `queryset` — an ordered,
    limited query that an index on the ordering columns answers alone — and then
    `rows` reads just those rows by key (a mapping of key to row, in any order):
    sorting every full row of a 10,000-row scope to keep 50 of them was the
    largest part of a list request's database time. `keys`, if given, finds a
    page's keys instead of `queryset` (one already compiled, say).
    """

    ordered = True

    def __init__(
        self,
        queryset: QuerySet | None,
        *,
        count: Callable[[], int],
        rows: Callable[[list[Any]], Mapping[Any, Any]],
        keys: Callable[[slice], list[Any]] | None = None,
    ) -> None:
        if queryset is None and keys is None:
            raise TypeError("A Listing needs a queryset or a way to find a page's keys.")
        self.queryset = queryset
        self._count = count
        self._rows = rows
        self._keys = keys

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Any]:
        if not isinstance(page, slice):
            raise TypeError("A Listing is read a page (a slice) at a time.")
        if self._keys is not None:
            keys = self._keys(page)
        else:
            assert self.queryset is not None
            keys = list(self.queryset.values_list("pk", flat=True)[page])
        found = self._rows(keys) if keys else {}
        return [found[key] for key in keys if key in found]


def users_visible_to(user: User) -> QuerySet[User]:
    """Active users of the user's scope: the people a record of that scope can be assigned to."""
    return User.objects.filter(scope_filter(user), is_active=True).order_by("username")


def departments_visible_to(user: User) -> QuerySet[Department]:
    return Department.objects.filter(scope_filter(user)).select_related("region")


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """Admins see the log of their scope; events with no region only at the top."""
    qs = AuditEvent.objects.select_related("actor", "region")
    if user.scope_path == "":
        return qs
    return qs.filter(scope_filter(user))


def audit_log(user: User, *, object_type: str = "", actor: str = "", action: str = "") -> QuerySet[AuditEvent]:
    """The admin log page: the user's scope, optionally one object type, one actor, one action.

    `actor` matches a username or display name, so "zw_staff" and "张三" both work.
    """
    events = audit_events_visible_to(user)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor:
        events = events.filter(Q(actor__username__iexact=actor) | Q(actor__display_name__icontains=actor))
    if action:
        events = events.filter(action=action)
    return events.order_by("-at", "-id")


def audit_object_types(user: User) -> list[str]:
    """The object types that occur in the user's part of the log, for the filter."""
    return sorted(set(audit_events_visible_to(user).order_by().values_list("object_type", flat=True).distinct()))


def audit_events_for(instance) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk)).select_related(
        "actor"
    )


def jobs_visible_to(user: User) -> QuerySet[Job]:
    qs = Job.objects.select_related("created_by")
    return qs if user.is_admin else qs.filter(created_by=user)


def region_choices_for(user: User) -> QuerySet[Region]:
    return regions_visible_to(user).order_by("path")


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("read_at", "-created_at")
