"""Reads of briefings, scoped to the user's region."""

from django.db.models import QuerySet

from overview.dashboard.permissions import can_view_dashboards
from portal.models import Briefing, User
from portal.selectors import scope_filter


def briefings_visible_to(user: User) -> QuerySet[Briefing]:
    if not can_view_dashboards(user):
        return Briefing.objects.none()
    return Briefing.objects.filter(scope_filter(user)).select_related("region", "created_by", "job")


def briefing_list(user: User, *, region_path: str | None = None) -> QuerySet[Briefing]:
    qs = briefings_visible_to(user)
    if region_path:
        qs = qs.filter(region__path__startswith=region_path)
    return qs.order_by("-as_of", "-created_at", "-pk")


def briefing_for(user: User, pk: int) -> Briefing | None:
    return briefings_visible_to(user).filter(pk=pk).first()
