"""Reads of the register, always scoped to the user's region."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from enterprises import industries
from enterprises.models import AnnualIndicator, Enterprise
from portal.models import AuditEvent, Region, User
from portal.selectors import regions_visible_to, scope_filter
from tiers.models import Recognition, Tier


@dataclass(frozen=True)
class EnterpriseFilters:
    """The filters of the list page, its export and the API list, parsed once."""

    q: str = ""
    region: int | None = None
    industry: str = ""
    size_class: str = ""
    tier: int | None = None
    is_above_scale: bool | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "EnterpriseFilters":
        def as_int(name: str) -> int | None:
            value = str(params.get(name, "")).strip()
            return int(value) if value.isdigit() else None

        size_class = params.get("size_class", "")
        return cls(
            q=params.get("q", "").strip()[:100],
            region=as_int("region"),
            industry=params.get("industry", "").strip()[:5],
            size_class=size_class if size_class in Enterprise.SizeClass.values else "",
            tier=as_int("tier"),
            is_above_scale={"1": True, "0": False}.get(params.get("above_scale", "")),
        )


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(scope_filter(user)).select_related("region", "service_commissioner")


def valid_recognitions() -> QuerySet[Recognition]:
    return Recognition.objects.filter(status=Recognition.Status.VALID).select_related("tier").order_by("tier__name")


def _industry_prefix(raw: str) -> str:
    """ "C39" stays, "39" becomes "C39": people type the division without its section."""
    code = industries.normalise(raw)
    if code.isdigit() and len(code) >= 2:
        letter = industries.section_of_division(int(code[:2]))
        return f"{letter}{code}" if letter else code
    return code


def enterprise_list(user: User, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    """The register as the list page, the export and the API show it."""
    qs = enterprises_visible_to(user)
    if filters.q:
        code_part = filters.q.upper().replace(" ", "")
        qs = qs.filter(Q(name__icontains=filters.q) | Q(credit_code__contains=code_part))
    if filters.region:
        region_path = regions_visible_to(user).filter(pk=filters.region).values_list("path", flat=True).first()
        qs = (
            qs.filter(region__in=Region.objects.filter(path__startswith=region_path).values("pk"))
            if region_path
            else qs.none()
        )
    if filters.industry:
        qs = qs.filter(industry_code__startswith=_industry_prefix(filters.industry))
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    if filters.is_above_scale is not None:
        qs = qs.filter(is_above_scale=filters.is_above_scale)
    if filters.tier:
        qs = qs.filter(Exists(valid_recognitions().filter(enterprise=OuterRef("pk"), tier_id=filters.tier)))
    return qs.prefetch_related(Prefetch("recognitions", queryset=valid_recognitions(), to_attr="valid_recognitions"))


def enterprise_detail(user: User, pk: int) -> Enterprise | None:
    """One enterprise of the user's scope with its figures and full recognition history, or None."""
    return (
        enterprises_visible_to(user)
        .prefetch_related(
            Prefetch("indicators", queryset=AnnualIndicator.objects.order_by("-year")),
            Prefetch(
                "recognitions",
                queryset=Recognition.objects.select_related("tier").order_by("-recognized_on", "-pk"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def tiers_for_filter() -> QuerySet[Tier]:
    return Tier.objects.order_by("level", "name")


def indicator_years(enterprise: Enterprise) -> list[tuple[int, AnnualIndicator | None]]:
    """(year, figures) for every year on record plus the last three fiscal years, newest first."""
    this_year = timezone.localdate().year
    by_year = {row.year: row for row in enterprise.indicators.all()}
    years = sorted(set(by_year) | {this_year - 1, this_year - 2, this_year - 3}, reverse=True)
    return [(year, by_year.get(year)) for year in years]


def indicator_matrix(enterprise: Enterprise) -> dict:
    """The figures as a table of indicators (rows) by years (columns), for the detail page."""
    years = indicator_years(enterprise)
    rows = []
    for name in AnnualIndicator.value_fields():
        field = AnnualIndicator._meta.get_field(name)
        rows.append(
            {
                "name": name,
                "label": field.verbose_name,
                "is_money": name in AnnualIndicator.MONEY_FIELDS,
                "values": [getattr(indicator, name) if indicator else None for _year, indicator in years],
            }
        )
    return {"years": years, "rows": rows}


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
