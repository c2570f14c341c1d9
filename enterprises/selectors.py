"""Reads of the register, always scoped to the user's region."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from enterprises.models import AnnualIndicator, Enterprise
from portal.models import AuditEvent, User
from portal.selectors import regions_visible_to, scope_filter
from tiers.models import Recognition


@dataclass(frozen=True)
class EnterpriseFilters:
    q: str = ""
    region: int | None = None
    industry: str = ""
    size_class: str = ""
    tier: int | None = None
    is_above_scale: bool | None = None


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(scope_filter(user)).select_related("region", "service_commissioner")


def valid_recognitions() -> QuerySet[Recognition]:
    return Recognition.objects.filter(status=Recognition.Status.VALID).select_related("tier")


def enterprise_list(user: User, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    """The register as the list page, the export and the API show it."""
    qs = enterprises_visible_to(user)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(credit_code__icontains=filters.q.upper()))
    if filters.region:
        region_path = regions_visible_to(user).filter(pk=filters.region).values_list("path", flat=True).first()
        qs = qs.filter(region__path__startswith=region_path) if region_path else qs.none()
    if filters.industry:
        qs = qs.filter(industry_code__startswith=filters.industry.upper())
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    if filters.is_above_scale is not None:
        qs = qs.filter(is_above_scale=filters.is_above_scale)
    if filters.tier:
        qs = qs.filter(
            Exists(valid_recognitions().filter(enterprise=OuterRef("pk"), tier_id=filters.tier))
        )
    return qs.prefetch_related(Prefetch("recognitions", queryset=valid_recognitions(), to_attr="valid_recognitions"))


def enterprise_detail(user: User, pk: int) -> Enterprise | None:
    return (
        enterprises_visible_to(user)
        .prefetch_related(
            Prefetch("indicators", queryset=AnnualIndicator.objects.order_by("-year")),
            Prefetch("recognitions", queryset=Recognition.objects.select_related("tier").order_by("-recognized_on")),
        )
        .filter(pk=pk)
        .first()
    )


def indicator_rows(enterprise: Enterprise) -> list[tuple[int, AnnualIndicator | None]]:
    """(year, figures) for every year on record plus the last three fiscal years, newest first."""
    this_year = timezone.localdate().year
    by_year = {row.year: row for row in enterprise.indicators.all()}
    years = sorted(set(by_year) | {this_year - 1, this_year - 2, this_year - 3}, reverse=True)
    return [(year, by_year.get(year)) for year in years]


def enterprise_history(enterprise: Enterprise) -> QuerySet[AuditEvent]:
    """Every audited change to the enterprise, its yearly figures and its recognitions."""
    indicator_ids = [str(pk) for pk in enterprise.indicators.values_list("pk", flat=True)]
    recognition_ids = [str(pk) for pk in enterprise.recognitions.values_list("pk", flat=True)]
    return (
        AuditEvent.objects.filter(
            Q(object_type=Enterprise._meta.label_lower, object_id=str(enterprise.pk))
            | Q(object_type=AnnualIndicator._meta.label_lower, object_id__in=indicator_ids)
            | Q(object_type=Recognition._meta.label_lower, object_id__in=recognition_ids)
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
