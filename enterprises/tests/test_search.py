"""Name and credit-code search: substring matches in Chinese, within the user's scope, served by
indexes on PostgreSQL (a scan on SQLite gives the same rows)."""

import pytest
from django.db import connection, transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises import search
from enterprises.credit_codes import with_check_character
from enterprises.models import Enterprise
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.selectors import EnterpriseFilters, _walked_page_ids, enterprise_list
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import HEADER, roster_rows, xlsx_bytes

is_postgresql = connection.vendor == "postgresql"


@pytest.fixture
def named(region_tree):
    return {
        "spt": EnterpriseFactory(name="中卫枸杞红酒有限公司", region=region_tree["shapotou"]),
        "zn": EnterpriseFactory(name="中宁枸杞红酒有限公司", region=region_tree["zhongning"]),
        "other": EnterpriseFactory(name="沙坡头光伏科技有限公司", region=region_tree["shapotou"]),
    }


def _found(user, q: str) -> set[str]:
    return set(enterprise_list(user, EnterpriseFilters(q=q)).values_list("name", flat=True))


def test_a_substring_of_a_chinese_name_or_a_credit_code_finds_only_what_the_scope_holds(users, named):
    assert _found(users["zw_leader"], "枸杞红酒") == {"中卫枸杞红酒有限公司", "中宁枸杞红酒有限公司"}
    assert _found(users["spt_staff"], "枸杞红酒") == {"中卫枸杞红酒有限公司"}
    code = named["other"].credit_code
    assert _found(users["spt_staff"], code[-8:].lower()) == {"沙坡头光伏科技有限公司"}
    assert _found(users["spt_staff"], "红") == {"中卫枸杞红酒有限公司"}
    assert _found(users["zw_leader"], "枸杞") == {"中卫枸杞红酒有限公司", "中宁枸杞红酒有限公司"}
    assert _found(users["zw_leader"], "卫枸") == {"中卫枸杞红酒有限公司"}
    assert _found(users["zw_leader"], "光科") == set()  # both characters, never side by side


def _plan(user, q: str) -> str:
    """The plan of the list's page query, with the planner kept off whole-table reads a tiny table invites."""
    sql, params = enterprise_list(user, EnterpriseFilters(q=q)).values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(not is_postgresql, reason="the search's indexes are PostgreSQL's")
@pytest.mark.parametrize("q", ["枸", "枸杞", "9"])
def test_a_search_too_short_for_a_trigram_is_planned_on_the_characters_index(users, named, q):
    """The query spells the index's expression exactly: else the planner could not use it and would read the scope."""
    plan = _plan(users["admin"], q)
    assert search.CHARACTERS_INDEX in plan, plan
    assert "trgm" not in plan, plan


@pytest.mark.skipif(not is_postgresql, reason="the search's indexes are PostgreSQL's")
def test_a_chinese_search_reads_the_characters_index_once(users, named):
    """The code's side looks up the same characters as the name's: PostgreSQL folds it away while planning."""
    plan = _plan(users["admin"], "枸杞")
    assert plan.count(f"Bitmap Index Scan on {search.CHARACTERS_INDEX}") == 1, plan


@pytest.mark.skipif(not is_postgresql, reason="the search's indexes are PostgreSQL's")
def test_a_longer_search_is_planned_on_the_trigram_indexes(users, named):
    plan = _plan(users["admin"], "枸杞红酒")
    assert "enterprise_name_trgm" in plan and "enterprise_code_trgm" in plan, plan
    assert search.CHARACTERS_INDEX not in plan, plan


# A few characters, so that random one- and two-character queries often match and often do not;
# lower- and upper-case letters (case is ignored in names, not in credit codes), a space (dropped
# from a query's code part) and LIKE's wildcards, which must match only themselves.
ALPHABET = "宁夏科技中卫枸杞有限公司aAbB9 %_"
CODE_ALPHABET = "0123456789ABDM"
names = st.text(alphabet=ALPHABET, min_size=1, max_size=10).map(str.strip).filter(bool)
queries = st.text(alphabet=ALPHABET + "X", min_size=1, max_size=4)


def _expected(enterprises, q: str) -> set[int]:
    """The search's rule, in plain Python: the name holds q, case ignored, or the code holds q's code part."""
    return {
        e.pk for e in enterprises if q.upper() in e.name.upper() or search.code_part(q) in e.credit_code
    }  # fmt: skip


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    first=st.lists(names, min_size=1, max_size=30),
    renamed=st.lists(names, max_size=12),
    codes=st.lists(st.text(alphabet=CODE_ALPHABET, min_size=9, max_size=9), min_size=30, max_size=30, unique=True),
    typed=st.lists(queries, min_size=1, max_size=12),
)
def test_the_indexed_search_finds_exactly_the_enterprises_holding_the_query(users, first, renamed, codes, typed):
    """On random Chinese names, the list's search equals a plain substring filter, in the scope and out of it.

    The rows are written by every path the register has — bulk_create (the importer's and the
    demo generator's kind of write), a save, a queryset update and bulk_update — so that an index
    left behind by any of them answers differently from the filter. On PostgreSQL the planner is
    kept off the table scans a small table invites: the answers come from the indexes.
    """
    regions = [users["spt_staff"].region, users["zn_staff"].region]
    with transaction.atomic():
        enterprises = Enterprise.objects.bulk_create(
            Enterprise(
                name=name, credit_code=with_check_character(f"91640{code}DM0"), region=regions[index % 2]
            )
            for index, (name, code) in enumerate(zip(first, codes, strict=False))
        )  # fmt: skip
        enterprises = list(Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]).order_by("pk"))
        by_bulk_update = []
        for index, name in enumerate(renamed):
            enterprise = enterprises[index % len(enterprises)]
            enterprise.name = name
            if index % 3 == 0:
                enterprise.save()
            elif index % 3 == 1:
                Enterprise.objects.filter(pk=enterprise.pk).update(name=name)
            else:
                by_bulk_update.append(enterprise)
        Enterprise.objects.bulk_update(by_bulk_update, ["name"])
        if is_postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
        pieces = [e.name[i : i + n] for e in enterprises[:4] for n in (1, 2, 3) for i in (0, len(e.name) // 2)]
        pieces += [e.credit_code[5:7] for e in enterprises[:2]] + [e.credit_code[5:9].lower() for e in enterprises[:2]]
        in_spt = [e for e in enterprises if e.region_id == regions[0].pk]
        for typed_q in [*typed, *pieces]:
            filters = EnterpriseFilters.from_params({"q": typed_q})
            if not filters.q:
                continue
            found = set(enterprise_list(users["admin"], filters).values_list("pk", flat=True))
            assert found == _expected(enterprises, filters.q), filters.q
            if is_postgresql:
                listed = list(enterprise_list(users["admin"], filters).values_list("pk", flat=True))
                walked = _walked_page_ids(users["admin"], filters, None, slice(0, 100), 128)
                assert walked == listed, f"{filters.q} (walking the list's order)"
            found = set(enterprise_list(users["spt_staff"], filters).values_list("pk", flat=True))
            assert found == _expected(in_spt, filters.q), filters.q
        transaction.set_rollback(True)


@pytest.mark.parametrize("q", ["ß", "ss", "ǰ", "ŉ", "İ", "i"])
def test_a_character_whose_capital_is_longer_is_found_as_icontains_finds_it(region_tree, users, q):
    """Where Python's capitals and the database's differ, the search still answers as a plain icontains does."""
    for name in ("Straße科技", "STRASSE科技", "ǰ光伏", "ŉ工贸", "İstanbul", "imax"):
        EnterpriseFactory(name=name, region=region_tree["shapotou"])
    plain = Enterprise.objects.filter(Q(name__icontains=q) | Q(credit_code__contains=search.code_part(q)))
    assert _found(users["admin"], q) == set(plain.values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_enterprises_the_roster_importer_writes_are_found_by_a_short_search(users):
    """The importer inserts with COPY and renames with UPDATE … FROM (VALUES …): the index follows both."""
    rows = roster_rows(3)
    renamed = [[rows[0][0], "宁夏枸杞1有限公司", *rows[0][2:]]]
    for sheet in (rows, renamed):
        roster = upload_roster(actor=users["admin"], file_name="名单.xlsx", data=xlsx_bytes([HEADER, *sheet]))
        commit_roster(actor=users["admin"], roster_import=roster)
    with transaction.atomic():
        if is_postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
        assert _found(users["admin"], "杞") == {"宁夏枸杞1有限公司"}
        assert _found(users["admin"], "测试") == {"宁夏测试2有限公司", "宁夏测试3有限公司"}


def _numbered(name: str, count: int, region, *, first: int = 0) -> None:
    """`count` enterprises of `region` named `name` with their number, each with its own valid credit code."""
    Enterprise.objects.bulk_create(
        Enterprise(name=name.format(index), credit_code=with_check_character(f"91640{index:09d}DM0"), region=region)
        for index in range(first, first + count)
    )


def _page_queries(api, q: str, page_size: int) -> list[str]:
    """The statements of one list request's search that read enterprises' ids (not the count's, not the rows')."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/enterprises/", {"q": q, "page_size": page_size})
    assert response.status_code == 200, response.content
    return [
        query["sql"] for query in captured.captured_queries
        if query["sql"].startswith(('SELECT "enterprises_enterprise"."id" AS "pk"', 'SELECT walked."pk"'))
        and "LIMIT" in query["sql"]
    ]  # fmt: skip


@pytest.mark.skipif(not is_postgresql, reason="the choice is between PostgreSQL's indexes")
def test_a_search_with_many_matches_walks_the_list_order_and_one_with_few_reads_the_index(users, region_tree):
    """The list counts the matches before it reads a page: many matches for the rows searched, and the page is
    looked for by walking the list's order (no index of matches); few, and through the characters' index. Both
    answer the same page."""
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    _numbered("{:02d}号科技有限公司", 24, region_tree["shapotou"])
    EnterpriseFactory(name="沙坡头光伏电站", region=region_tree["shapotou"])
    api = APIClient()
    api.force_login(users["spt_staff"])

    (walked,) = _page_queries(api, "科技", page_size=3)
    assert walked.startswith('SELECT walked."pk"') and search.CHARACTERS_INDEX not in walked, walked
    (indexed,) = _page_queries(api, "光伏", page_size=3)
    assert search.CHARACTERS_INDEX in indexed, indexed

    page = api.get("/api/v1/enterprises/", {"q": "科技", "page_size": 3, "page": 2}).json()
    assert [row["name"] for row in page["results"]] == ["03号科技有限公司", "04号科技有限公司", "05号科技有限公司"]
    assert page["count"] == 24


@pytest.mark.skipif(not is_postgresql, reason="the choice is between PostgreSQL's indexes")
def test_few_matches_far_along_the_name_order_are_read_through_the_index_never_by_walking_the_names(users, region_tree):
    """When the planner would walk the name index for a LIMIT (here: sorting made to look dear, as a misjudged
    count of matches does), a search known to have few matches still reads them through its index and sorts
    them: the walk would read every name before them. The page is the list's order all the same."""
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    _numbered("甲{:04d}有限公司", 400, region_tree["shapotou"])
    for index in (3, 1, 2, 0):
        EnterpriseFactory(name=f"乙{index}号光伏电站", region=region_tree["shapotou"])
    api = APIClient()
    api.force_login(users["spt_staff"])
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE enterprises_enterprise")
            cursor.execute("SET LOCAL enable_sort = off")
        (statement,) = _page_queries(api, "光伏", page_size=3)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {statement}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        page = api.get("/api/v1/enterprises/", {"q": "光伏", "page_size": 3, "page": 2}).json()
    assert search.CHARACTERS_INDEX in plan and "Index Scan using enterprises_enterprise_name" not in plan, plan
    assert [row["name"] for row in page["results"]] == ["乙3号光伏电站"]
    assert page["count"] == 4


@pytest.mark.skipif(not is_postgresql, reason="the walk is PostgreSQL's")
def test_many_matches_that_lie_far_along_the_name_order_are_read_through_the_index_once_the_walk_s_budget_is_spent(
    users, region_tree
):
    """Names begin with their county: a county's name matches thousands that all lie after the other counties'.
    The walk along the list's order reads its budget of rows (half the matches), finds no page, and the page is
    read through the index: the same page a walk of every row would give."""
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    _numbered("A{:04d}科技有限公司", 120, region_tree["shapotou"])
    _numbered("Z{:04d}号光伏电站", 40, region_tree["shapotou"], first=1000)
    api = APIClient()
    api.force_login(users["spt_staff"])

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE enterprises_enterprise")
        walked, indexed = _page_queries(api, "光伏", page_size=1)
        page = api.get("/api/v1/enterprises/", {"q": "光伏", "page_size": 1}).json()
    # 40 matches among 160 rows: a walk of 16 rows (half the matches, a power of two) would find the first page
    # if the matches were spread; it finds none, and the index reads them.
    assert walked.startswith('SELECT walked."pk"') and "LIMIT 16)" in walked, walked
    assert search.CHARACTERS_INDEX in indexed, indexed
    assert [row["name"] for row in page["results"]] == ["Z1000号光伏电站"]
    assert page["count"] == 40
