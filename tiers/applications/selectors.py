"""Reads about applications, always scoped to the user's region (outside it is a 404, like missing)."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from portal import params as query
from portal.models import Region, Role, User
from portal.selectors import jurisdiction_filter, scope_filter
from tiers.applications import permissions
from tiers.applications.models import (
    Application,
    ApplicationState,
    Batch,
    DepartmentLine,
    Objection,
    PublicityList,
    Responsibility,
    ReviewAction,
    ReviewLevel,
    ReviewStep,
)
from tiers.applications.responsibility import tiers_out_of_reach, unit_name
from tiers.applications.services.depth import opinion_departments, reviewed_score, score_items, site_check_refusal
from tiers.applications.services.reminders import expiry_notice_days
from tiers.models import Recognition, Tier

WAITING_STATES = (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED)


def applications_visible_to(user: User) -> QuerySet[Application]:
    return Application.objects.filter(scope_filter(user)).select_related(
        "enterprise", "tier", "batch", "current_step", "reviewing_region", "region"
    )


@dataclass(frozen=True)
class ApplicationFilters:
    q: str = ""
    state: str = ""
    tier: int | None = None
    batch: int | None = None
    enterprise: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "ApplicationFilters":
        def as_int(name: str) -> int | None:
            return query.integer(params, name)

        return cls(
            q=str(params.get("q", "")).strip()[:100],
            state=query.choice(params, "state", ApplicationState.values),
            tier=as_int("tier"),
            batch=as_int("batch"),
            enterprise=as_int("enterprise"),
        )


def application_list(user: User, filters: ApplicationFilters) -> QuerySet[Application]:
    qs = applications_visible_to(user)
    if filters.q:
        qs = qs.filter(
            Q(enterprise__name__icontains=filters.q) | Q(enterprise__credit_code__contains=filters.q.upper())
        )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.tier:
        qs = qs.filter(tier_id=filters.tier)
    if filters.batch:
        qs = qs.filter(batch_id=filters.batch)
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    return qs.order_by("-created_at", "-pk")


def application_detail(user: User, pk: int) -> Application | None:
    """One application of the user's scope with its log, attachments, publicity and objections; or None."""
    return (
        applications_visible_to(user)
        .select_related("recognition", "returned_from_step", "created_by")
        .prefetch_related(
            Prefetch("actions", queryset=ReviewAction.objects.select_related("actor", "step").order_by("at", "pk")),
            "attachments",
            "publicity_lists",
            Prefetch("objections", queryset=Objection.objects.select_related("publicity_list", "resolved_by")),
        )
        .filter(pk=pk)
        .first()
    )


def review_queue(user: User) -> QuerySet[Application]:
    """What waits for this user to act: steps their region holds for a tier their department leads there, on work
    they did not enter or submit themselves; and the decisions they record (their region decides, or, as the
    recommending city, records a provincial decision)."""
    if not user.is_staff_member or user.region is None:
        return Application.objects.none()
    decisions = Q(state=ApplicationState.RECOMMENDED, reviewing_region_id=user.region_id)
    if user.region.kind == Region.Kind.CITY:
        decisions |= Q(state=ApplicationState.RECOMMENDED, region__path__startswith=user.region.path)
    own_work = Q(created_by=user) | Q(submitted_by=user)
    steps = Q(state=ApplicationState.IN_REVIEW, reviewing_region_id=user.region_id) & ~(
        own_work & Q(tier__review_chain__separates_duties=True)
    )
    return (
        applications_visible_to(user)
        .filter(steps | decisions)
        .exclude(tier_id__in=tiers_out_of_reach(user))
        .order_by("waiting_since", "pk")
    )


def _deadline_passed(now: datetime.datetime) -> Q:
    return Q(state=ApplicationState.IN_REVIEW, due_at__lt=now)


@dataclass
class BoardRow:
    region: Region | None
    level: str | None
    step_label: str
    waiting: int
    oldest_days: int
    overdue: int
    time_limit_days: int | None
    holders: list[str]


STEP_LABEL_ORDER: dict[str | None, int] = {ReviewLevel.COUNTY: 0, ReviewLevel.CITY: 1, ReviewLevel.PROVINCE: 2, None: 3}


def review_board(user: User, now: datetime.datetime | None = None) -> list[BoardRow]:
    """Per holding region and step: how many wait, the longest wait, how many are past the step's limit, who holds them.

    Three queries whatever the number of applications: the grouped counts, the
    regions, the reviewers.
    """
    from tiers.applications.models import REVIEW_STEP_LABELS

    now = now or timezone.now()
    groups = list(
        Application.objects.filter(scope_filter(user), state__in=WAITING_STATES)
        .values("reviewing_region_id", "current_step__level", "current_step__time_limit_days", "state")
        .annotate(
            waiting=Count("pk"),
            oldest=Min("waiting_since"),
            overdue=Count("pk", filter=_deadline_passed(now)),
        )
    )
    region_ids = {row["reviewing_region_id"] for row in groups if row["reviewing_region_id"]}
    regions = Region.objects.in_bulk(region_ids)
    holders: dict[int, list[str]] = {}
    for reviewer in User.objects.filter(region_id__in=region_ids, role=Role.STAFF, is_active=True).order_by("username"):
        if reviewer.region_id is not None:
            holders.setdefault(reviewer.region_id, []).append(str(reviewer))
    rows = []
    for row in groups:
        level = row["current_step__level"]
        label = REVIEW_STEP_LABELS[level] if level else ApplicationState.RECOMMENDED.label
        rows.append(
            BoardRow(
                region=regions.get(row["reviewing_region_id"]),
                level=level,
                step_label=str(label),
                waiting=row["waiting"],
                oldest_days=(now - row["oldest"]).days if row["oldest"] else 0,
                overdue=row["overdue"],
                time_limit_days=row["current_step__time_limit_days"],
                holders=holders.get(row["reviewing_region_id"], []),
            )
        )
    rows.sort(key=lambda r: (r.region.path if r.region else "~", STEP_LABEL_ORDER[r.level]))
    return rows


def batches_for(user: User, *, show_all: bool = False) -> QuerySet[Batch]:
    """Batches of the user's chain of jurisdictions (national calls, their province, city, county and below);
    `show_all` lists every region's, as the documents are public."""
    qs = Batch.objects.select_related("tier", "region").order_by("-year", "tier__name", "name")
    if show_all:
        return qs
    return qs.filter(jurisdiction_filter(user, "region"), jurisdiction_filter(user, "tier__issuing_region"))


def tiers_user_opens(user: User) -> QuerySet[Tier]:
    """The tiers whose batches the user may open: those their department leads at their level (all for admins)."""
    qs = Tier.objects.order_by("name")
    return qs if user.is_admin else qs.exclude(pk__in=tiers_out_of_reach(user))


def no_batch_hint(user: User) -> str:
    """What an empty batch list tells the user to do: ask the department that opens batches for their city."""
    ancestors = user.region.ancestors_and_self if user.region is not None else []
    city = Region.objects.filter(pk__in=ancestors, kind=Region.Kind.CITY).first()
    unit = unit_name(city, DepartmentLine.INDUSTRY) if city else _("the responsible department")
    return _("No batches yet: ask %(unit)s to open an application batch.") % {"unit": unit}


def open_batches(user: User, today: datetime.date | None = None) -> QuerySet[Batch]:
    """Batches of the user's chain that accept applications today."""
    today = today or timezone.localdate()
    return batches_for(user).filter(opens_on__lte=today, closes_on__gte=today).order_by("tier__name", "name")


class BatchStatus(TextChoices):
    OPEN = "open", pgettext_lazy("batch status", "Open")
    UPCOMING = "upcoming", pgettext_lazy("batch status", "Upcoming")
    CLOSED = "closed", pgettext_lazy("batch status", "Closed")


def batch_status(batch: Batch, today: datetime.date) -> BatchStatus:
    if today < batch.opens_on:
        return BatchStatus.UPCOMING
    return BatchStatus.OPEN if batch.is_open_on(today) else BatchStatus.CLOSED


@dataclass(frozen=True)
class BatchFilters:
    tier: int | None = None
    year: int | None = None
    show_all: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "BatchFilters":
        def as_int(name: str) -> int | None:
            return query.integer(params, name)

        return cls(tier=as_int("tier"), year=as_int("year"), show_all=query.choice(params, "scope", ["all"]) == "all")

    def apply(self, qs: QuerySet[Batch]) -> QuerySet[Batch]:
        if self.tier:
            qs = qs.filter(tier_id=self.tier)
        if self.year:
            qs = qs.filter(year=self.year)
        return qs


def application_counts(user: User, batches: list[Batch]) -> dict[int, int]:
    """Applications of the user's region and below, per batch: one grouped query for a whole page."""
    if not batches:
        return {}
    return dict(
        applications_visible_to(user)
        .filter(batch__in=batches)
        .order_by()
        .values("batch")
        .annotate(count=Count("pk"))
        .values_list("batch", "count")
    )


@dataclass(frozen=True)
class ReviewDepth:
    """What the application page shows and offers around the decision."""

    score_items: list
    score_total: object
    can_work: bool
    site_checks: list
    site_check_missing: bool
    opinions: list
    can_opine: bool
    askable_departments: list


def review_depth(user: User, application: Application) -> ReviewDepth:
    step = application.current_step if application.state == ApplicationState.IN_REVIEW else None
    return ReviewDepth(
        score_items=score_items(application),
        score_total=application.reviewed_score
        if application.reviewed_score is not None
        else reviewed_score(application),
        can_work=permissions.work_refusal(user, application) is None,
        site_checks=list(application.site_checks.select_related("recorded_by").prefetch_related("attachments")),
        site_check_missing=bool(step and site_check_refusal(application, step)),
        opinions=list(application.opinions.select_related("department", "actor")),
        can_opine=permissions.opinion_refusal(user, application) is None,
        askable_departments=opinion_departments(application)
        if application.state in WAITING_STATES and permissions.review_refusal(user, application) is None
        else [],
    )


def publishable_applications(user: User) -> QuerySet[Application]:
    """What can go on a 公示 list: applications at their last review step (the list of those to be recommended)
    and those that passed every step and await the decision."""
    last_position = (
        ReviewStep.objects.filter(chain=OuterRef("current_step__chain")).order_by("-position").values("position")[:1]
    )
    return applications_visible_to(user).filter(
        Q(state=ApplicationState.RECOMMENDED)
        | Q(state=ApplicationState.IN_REVIEW, current_step__position=Subquery(last_position))
    )


def publicity_lists_visible_to(user: User) -> QuerySet[PublicityList]:
    """Lists published in the user's scope, and those of the regions above them (a city's list concerns its counties)."""
    path = user.scope_path
    if path is None:
        return PublicityList.objects.none()
    ancestors = user.region.ancestors_and_self if user.region is not None else []
    return (
        PublicityList.objects.filter(Q(region__path__startswith=path) | Q(region_id__in=ancestors))
        .select_related("region")
        .annotate(
            application_count=Count("applications", distinct=True),
            open_objections=Count("objections", filter=Q(objections__status=Objection.Status.OPEN), distinct=True),
        )
        .order_by("-starts_on", "-pk")
    )


def publicity_detail(user: User, pk: int) -> PublicityList | None:
    return (
        publicity_lists_visible_to(user)
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.filter(scope_filter(user)).select_related("enterprise", "tier", "batch"),
            ),
            Prefetch("objections", queryset=Objection.objects.select_related("application__enterprise", "resolved_by")),
        )
        .filter(pk=pk)
        .first()
    )


def recognitions_visible_to(user: User) -> QuerySet[Recognition]:
    return Recognition.objects.filter(scope_filter(user, "enterprise__region")).select_related(
        "enterprise", "enterprise__region", "tier"
    )


def expiring_recognitions_for(user: User, days: int | None = None, today: datetime.date | None = None):
    """Valid recognitions of the user's scope whose validity ends within `days` (the setting by default)."""
    today = today or timezone.localdate()
    days = expiry_notice_days() if days is None else days
    return (
        recognitions_visible_to(user)
        .filter(
            status=Recognition.Status.VALID,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
        )
        .order_by("valid_until", "pk")
    )


def responsibilities() -> QuerySet[Responsibility]:
    return Responsibility.objects.select_related("tier").order_by("tier__name", "level")
