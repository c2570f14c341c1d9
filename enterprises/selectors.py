"""Reads of the register, always scoped to the user's region."""

import dataclasses
import datetime
import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, F, Lookup, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.utils import timezone

from enterprises import industries, search
from enterprises.holdings import holdings
from enterprises.models import ENTERPRISE_FIELDS, AnnualIndicator, Enterprise
from portal import params as query
from portal.cache import bump_namespace, versioned_read, versioned_reads
from portal.models import AuditEvent, Region, User
from portal.selectors import Listing, regions_visible_to, scope_filter
from portal.statements import Statement


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
            return query.integer(params, name)

        return cls(
            q=params.get("q", "").strip()[:100],
            region=as_int("region"),
            industry=params.get("industry", "").strip()[:5],
            size_class=query.choice(params, "size_class", Enterprise.SizeClass.values),
            tier=as_int("tier"),
            is_above_scale=query.flag(params, "above_scale"),
        )


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(scope_filter(user)).select_related("region", "service_commissioner")


def valid_recognitions() -> QuerySet:
    return holdings().valid()


def _industry_prefix(raw: str) -> str:
    """ "C39" stays, "39" becomes "C39": people type the division without its section."""
    code = industries.normalise(raw)
    if code.isascii() and code.isdigit() and len(code) >= 2:
        letter = industries.section_of_division(int(code[:2]))
        return f"{letter}{code}" if letter else code
    return code


# Stands for the region's id in _REGION_STATEMENTS (no region has it); scopes are few.
_REGION_ID = -1
_REGION_STATEMENTS: dict[str | None, Statement | None] = {}


def _region_path(user: User, region_id: int) -> str | None:
    """The path of the region `region_id` if it lies in the user's scope, else None.

    Asked on every list request with a region filter: its statement is compiled
    once per scope (_REGION_STATEMENTS), as compiling cost more than running it.
    """
    scope_path = user.scope_path
    if scope_path not in _REGION_STATEMENTS:
        regions = regions_visible_to(user).filter(pk=_REGION_ID).values_list("path", flat=True)[:1]
        try:
            _REGION_STATEMENTS[scope_path] = Statement.of(regions)
        except EmptyResultSet:  # a scope of no region
            _REGION_STATEMENTS[scope_path] = None
    statement = _REGION_STATEMENTS[scope_path]
    if statement is None:
        return None
    rows = statement.rows(_REGION_ID, region_id)
    return rows[0][0] if rows else None


# _filtered's default: look the region's path up.
_LOOK_UP = "look up"


def _in_scope_or_region(user: User, region_id: int | None, region_path: str | None = _LOOK_UP) -> QuerySet[Enterprise]:
    """The user's scope, or only the region `region_id` and below if it lies in the scope (else nothing).

    A region of the scope has its whole subtree in the scope, so its subtree alone
    is the filter: with both conditions the planner misjudged how many rows match
    and sorted the whole scope for every page.
    """
    if not region_id:
        return Enterprise.objects.filter(scope_filter(user))
    if region_path == _LOOK_UP:
        region_path = _region_path(user, region_id)
    if region_path is None:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(region__in=Region.objects.filter(path__startswith=region_path).values("pk"))


def enterprise_list(user: User, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    """The register as the list page, the export and the API show it.

    Its rows depend on the user's scope path and the filters only: enterprise_count
    caches counts under those two, so anything else this comes to depend on must
    join that key.
    """
    return with_list_columns(_filtered(user, filters))


def _filtered(
    user: User, filters: EnterpriseFilters, region_path: str | None = _LOOK_UP, *, through_index: bool = False
) -> QuerySet[Enterprise]:
    """enterprise_list's rows, without the columns a row shows beyond the enterprise (`region_path`: if looked up).

    `through_index`: the search's matches are to be read through its index, then sorted (search.SORTED_AFTER_
    READING), never found by walking the name index; without it the planner chooses.
    """
    qs = _in_scope_or_region(user, filters.region, region_path)
    if filters.q:
        qs = qs.filter(search.matching(filters.q))
        if through_index:
            qs = qs.order_by(*search.SORTED_AFTER_READING)
    if filters.industry:
        qs = qs.filter(industry_code__startswith=_industry_prefix(filters.industry))
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    if filters.is_above_scale is not None:
        qs = qs.filter(is_above_scale=filters.is_above_scale)
    if filters.tier:
        qs = qs.filter(Exists(valid_recognitions().filter(enterprise=OuterRef("pk"), tier_id=filters.tier)))
    return qs


def with_list_columns(qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """What a row of the list shows beyond the enterprise itself: its region's name and its valid tiers."""
    return qs.select_related("region").prefetch_related(
        Prefetch("recognitions", queryset=valid_recognitions(), to_attr="valid_recognitions")
    )


# Counts of the enterprise list, cached per scope and filters until an enterprise or a
# region changes (forget_enterprise_counts). The timeout bounds how long a write that
# bypasses the models and the roster importer (raw SQL, a bulk load) goes unseen.
COUNTS = "enterprise-counts"
COUNT_TIMEOUT = 60


def enterprise_listing(user: User, filters: EnterpriseFilters) -> Listing:
    """enterprise_list for a paginator: a cached count, and pages of list_rows.

    The pages' ids and the count need only the filtered rows: list_rows reads the
    columns, so the select_related and prefetch of enterprise_list would be built
    on every request for nothing. A page's ids come from a statement compiled once
    per process for its scope, filters and bounds (_page_ids).
    """
    # Read on every request, not compiled in: a region may move, or leave the user's scope.
    region_path = _region_path(user, filters.region) if filters.region else None
    # A search also counts the rows it searches (the same filters without it), to choose how to find a page:
    # both counts are kept, and read together.
    among = dataclasses.replace(filters, q="") if filters.q and not filters.tier else None
    wanted = [filters] if among is None else [filters, among]
    counts = functools.cache(lambda: _counts(user, {each: _counter(user, each, region_path) for each in wanted}))

    def keys(page: slice) -> list[int]:
        if among is None:
            return _page_ids(user, filters, region_path, page)
        budget = _walk_budget(page, counts()[filters], counts()[among])
        if budget:
            found = _walked_page_ids(user, filters, region_path, page, budget)
            if len(found) == page.stop - page.start:
                return found
        return _page_ids(user, filters, region_path, page, through_index=True)

    return Listing(None, keys=keys, count=lambda: counts()[filters], rows=list_rows)


def _counter(user: User, filters: EnterpriseFilters, region_path: str | None) -> Callable[[], int]:
    return lambda: _filtered(user, filters, region_path).count()


# A search's page is first looked for by walking the list's order (search.walk) for a budget of rows of at
# most half its matches, when a walk through matches spread evenly would find the page within half that
# budget: it reads about (the page's end) × (rows ÷ matches) rows. A walk that finds the page stops there; one
# that does not (the matches lie far along the order: names begin with their county) has cost less than
# reading the matches through the index, which comes next. Measured on 100,000 enterprises, a row walked
# and a match read through the index cost about the same (康: 23,000 rows walked in 42 ms, its 1,476 matches
# read and sorted in 7 ms; 海原: 23,333 matches read in 50 ms, 77,000 rows walked before the first in 206 ms).
WALK_BUDGET_SHARE = 0.5


def _walk_budget(page: slice, matches: int, among: int) -> int:
    """The rows a walk may read for the page (a power of two: few statements), or 0 when it is not worth one.

    Decided by the matches' count, which the list has just read (kept), and the count of the rows
    searched (the same filters without the search: the list's own count, kept too). Not with a tier
    filter, whose counts are not kept: counting again for the choice would cost more than it saves.
    PostgreSQL only: SQLite reads the scope's rows whatever the way.
    """
    if not matches or connection.vendor != "postgresql":
        return 0
    budget = 1 << (max(1, int(matches * WALK_BUDGET_SHARE)).bit_length() - 1)  # at most the share
    return budget if 2 * (page.stop or 0) * among <= budget * matches else 0


def _walked_page_ids(
    user: User, filters: EnterpriseFilters, region_path: str | None, page: slice, budget: int
) -> list[int]:
    """The page's ids found by walking the first `budget` rows searched in the list's order (search.walk)."""

    def compile_walk() -> Statement:
        rows = _filtered(user, dataclasses.replace(filters, q=""), region_path).order_by("name", "pk")[:budget]
        sql, params = search.walk(rows, filters.q, page)
        return Statement(sql, params, (), 1, rows.db)

    return _run_page_statement(
        (user.scope_path, region_path, filters, page.start, page.stop, "walk", budget), compile_walk
    )


# Compiled statements of pages' ids by what decides their text: the scope's path, the
# region filter's path, the filters and the page's bounds (enterprise_list depends on
# nothing else). Compiling cost more than running the statement. Emptied when full.
_PAGE_STATEMENTS: dict[tuple, Statement | None] = {}
_PAGE_STATEMENTS_KEPT = 2000


def _page_ids(
    user: User, filters: EnterpriseFilters, region_path: str | None, page: slice, *, through_index: bool = False
) -> list[int]:
    def compile_page() -> Statement:
        ids = _filtered(user, filters, region_path, through_index=through_index).values_list("pk", flat=True)
        return Statement.of(ids[page])

    key = (user.scope_path, region_path, filters, page.start, page.stop, through_index)
    return _run_page_statement(key, compile_page)


def _run_page_statement(key: tuple, compile_statement: Callable[[], Statement]) -> list[int]:
    """The ids a page's statement reads, the statement compiled on its key's first use in the process."""
    if key not in _PAGE_STATEMENTS:
        if len(_PAGE_STATEMENTS) >= _PAGE_STATEMENTS_KEPT:
            _PAGE_STATEMENTS.clear()
        try:
            _PAGE_STATEMENTS[key] = compile_statement()
        except EmptyResultSet:  # a scope or region filter that holds nothing
            _PAGE_STATEMENTS[key] = None
    statement = _PAGE_STATEMENTS[key]
    return [] if statement is None else [pk for (pk,) in statement.rows()]


def enterprise_page_listing(user: User, filters: EnterpriseFilters) -> Listing:
    """enterprise_list for the HTML page's paginator: the same cached count, pages of model instances."""
    qs = enterprise_list(user, filters)
    return Listing(qs, count=lambda: enterprise_count(user, filters, qs), rows=qs.in_bulk)


LIST_COLUMNS = (
    "id",
    *(field.attname for field in Enterprise._meta.concrete_fields if field.name in ENTERPRISE_FIELDS),
    "is_credit_code_flagged",
    "region__name",
    "version",
)


def list_rows(ids: list[int]) -> dict[int, dict]:
    """The list's columns of these enterprises as plain values, by id, each with its valid `tiers`.

    Plain values rather than model instances: building 50 enterprises, their
    regions and a prefetch of their recognitions cost as much as the rest of an
    API list request. Call it only with ids already scoped to the reader.
    """
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        return _rows_in_one_statement(ids)
    return _rows_in_two_statements(ids)


def _rows_in_two_statements(ids: list[int]) -> dict[int, dict]:
    rows = {
        row["id"]: {**row, "tiers": []}
        for row in Enterprise.objects.filter(pk__in=ids).order_by().values(*LIST_COLUMNS)
    }
    held = valid_recognitions().filter(enterprise_id__in=ids)
    for recognition in held.values("enterprise_id", *HELD_COLUMNS):
        enterprise_id = recognition.pop("enterprise_id")
        if enterprise_id in rows:  # not if the enterprise went between the two queries
            rows[enterprise_id]["tiers"].append(recognition)
    return rows


HELD_COLUMNS = ("tier__name", "tier__code", "recognized_on", "valid_until")


class _AnyOf(Lookup):
    """`column = ANY(%s)` with the list as one array parameter: the statement's text is the same for every page."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


# Stands for the page's ids in the statement compiled once; replaced by them at each call.
_PAGE_IDS = [-1]


@functools.cache
def _one_statement() -> Statement:
    """The rows with their valid recognitions as an array of JSON objects, compiled once per process.

    Compiling the two querysets of _rows_in_two_statements took about as long as
    running them, and the second statement cost a round trip and another plan.
    """
    held = (
        valid_recognitions().filter(enterprise=OuterRef("pk")).values(held=JSONObject(**{c: c for c in HELD_COLUMNS}))
    )
    qs = (
        Enterprise.objects.filter(_AnyOf(F("pk"), _PAGE_IDS))
        .order_by()
        .values(*LIST_COLUMNS, tiers=ArraySubquery(held))
    )
    return Statement.of(qs)


def _rows_in_one_statement(ids: list[int]) -> dict[int, dict]:
    rows = {}
    for values in _one_statement().rows(_PAGE_IDS, ids):
        row = dict(zip(LIST_COLUMNS, values[:-1], strict=True))
        row["tiers"] = [_held(held) for held in values[-1]]
        rows[row["id"]] = row
    return rows


def _held(recognition: dict) -> dict:
    """A recognition read as JSON with its dates as values() gives them."""
    valid_until = recognition["valid_until"]
    return {
        **recognition,
        "recognized_on": datetime.date.fromisoformat(recognition["recognized_on"]),
        "valid_until": datetime.date.fromisoformat(valid_until) if valid_until else None,
    }


def enterprise_count(user: User, filters: EnterpriseFilters, qs: QuerySet[Enterprise] | None = None) -> int:
    """How many enterprises enterprise_list(user, filters) holds (`qs`, if already built).

    Cached until the register changes, so that paging through a province's
    enterprises does not count them all again for every page. Except with a tier
    filter: recognitions are granted and expire in the tiers app, which does not
    tell this cache.
    """
    built = qs
    return _count(user, filters, lambda: (enterprise_list(user, filters) if built is None else built).count())


def _count(user: User, filters: EnterpriseFilters, count: Callable[[], int]) -> int:
    return _counts(user, {filters: count})[filters]


def _counts(user: User, counts: dict[EnterpriseFilters, Callable[[], int]]) -> dict[EnterpriseFilters, int]:
    """Each count, kept per scope and filters (in one round trip to the cache); counted each time with a tier."""
    scope = user.scope_path
    kept = {
        (scope, hashlib.sha256(repr(filters).encode()).hexdigest()[:32]): (filters, count)
        for filters, count in counts.items()
        if not filters.tier and scope is not None
    }
    found = (
        versioned_reads(COUNTS, {parts: count for parts, (_f, count) in kept.items()}, COUNT_TIMEOUT) if kept else {}
    )
    result = {filters: found[parts] for parts, (filters, _c) in kept.items()}
    return {filters: result[filters] if filters in result else count() for filters, count in counts.items()}


def counts_by_region(region_ids: list[int]) -> dict[int, int]:
    """Region id → how many enterprises are registered in that very region, for `region_ids`.

    Cached with the list's counts (COUNTS): a dashboard's coverage reads every
    region of a province, and counting a province's enterprises again for each
    first view after a change that was not to the register grew with the province.
    """
    ids = sorted(region_ids)

    def count() -> dict[int, int]:
        rows = Enterprise.objects.filter(region_id__in=ids).values_list("region_id").annotate(n=Count("pk"))
        return dict(rows.order_by())

    return versioned_read(
        COUNTS, ("regions", hashlib.sha256(repr(ids).encode()).hexdigest()[:32]), count, COUNT_TIMEOUT
    )


def forget_enterprise_counts(**_signal_arguments) -> None:
    """Drop the cached counts once the current transaction commits.

    Connected to the saving and deletion of enterprises and regions (a region that
    moves changes what a scope holds), and called by writers that bypass the
    models' signals, such as the roster importer.
    """
    bump_namespace(COUNTS)


def enterprise_detail(user: User, pk: int) -> Enterprise | None:
    """One enterprise of the user's scope with its figures and full recognition history, or None."""
    return (
        enterprises_visible_to(user)
        .prefetch_related(
            Prefetch("indicators", queryset=AnnualIndicator.objects.order_by("-year")),
            Prefetch("recognitions", queryset=holdings().history()),
        )
        .filter(pk=pk)
        .first()
    )


def tiers_for_filter() -> QuerySet:
    return holdings().tiers()


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
    fields = {field.name: field for field in AnnualIndicator._meta.concrete_fields}
    for name in AnnualIndicator.value_fields():
        field = fields[name]
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
            | Q(object_type=holdings().label, object_id__in=recognition_ids)
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
