"""Name and credit-code search: substring matches in Chinese, within the user's scope, served by
trigram indexes on PostgreSQL (a scan on SQLite gives the same rows)."""

import pytest
from django.db import connection

from enterprises.selectors import EnterpriseFilters, enterprise_list
from enterprises.tests.factories import EnterpriseFactory


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
    assert _found(users["spt_staff"], "红") == {"中卫枸杞红酒有限公司"}  # shorter than a trigram: a scan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_search_is_planned_on_the_trigram_indexes(users, named):
    """With a table too small to prefer them on its own, the planner can still serve the search by the indexes."""
    qs = enterprise_list(users["admin"], EnterpriseFilters(q="枸杞红酒")).order_by()
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "enterprise_name_trgm" in plan and "enterprise_code_trgm" in plan, plan
