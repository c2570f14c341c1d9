"""The enterprise list's counts are cached, and every way the register changes refreshes them.

These tests commit their writes (transaction=True), as production does: a cached
count is dropped when a change commits, and a transaction that changed the
register does not use the cache at all.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from enterprises import services
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.selectors import EnterpriseFilters, enterprise_count, forget_enterprise_counts
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import HEADER, code, roster_rows, xlsx_bytes
from tiers.tests.factories import RecognitionFactory, TierFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_counts():
    """The database is emptied after each test without signals: its cached counts must go with it."""
    forget_enterprise_counts()
    yield
    forget_enterprise_counts()


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_login(users["zw_staff"])
    return client


def listed(api: APIClient, **params) -> int:
    response = api.get("/api/v1/enterprises/", params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def counts_run(api: APIClient, **params) -> int:
    """How many COUNT queries one list request ran."""
    with CaptureQueriesContext(connection) as captured:
        listed(api, **params)
    return sum("COUNT(" in query["sql"] for query in captured.captured_queries)


def test_a_repeated_list_request_reuses_its_count(api, region_tree):
    """Each scope and set of filters is counted once, not on every page."""
    EnterpriseFactory.create_batch(3, region=region_tree["shapotou"])
    EnterpriseFactory(region=region_tree["zhongning"])

    assert counts_run(api) == 1
    assert counts_run(api) == 0
    assert counts_run(api, page_size=2, page=2) == 0
    assert listed(api) == 4
    assert counts_run(api, region=region_tree["zhongning"].pk) == 1
    assert listed(api, region=region_tree["zhongning"].pk) == 1


def test_the_register_page_shares_the_cached_count_and_shows_the_page(client, users, region_tree):
    """The HTML list pages through the same cached count; a new enterprise shows on the next request."""
    EnterpriseFactory.create_batch(3, region=region_tree["shapotou"], name="甲企业")
    client.force_login(users["zw_staff"])

    def page_counts() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/enterprises/")
        assert response.status_code == 200
        counted = sum(
            'COUNT(*) AS "__count" FROM "enterprises_enterprise"' in q["sql"] for q in captured.captured_queries
        )
        return counted, response.content.decode()

    first, _html = page_counts()
    again, html = page_counts()
    assert (first, again) == (1, 0)
    assert html.count("甲企业") == 3
    EnterpriseFactory(region=region_tree["zhongning"], name="乙企业")
    _counted, html = page_counts()
    assert "乙企业" in html and "共4家企业" in html


def test_counts_are_per_scope(users, region_tree):
    """A county's count is never served to its city, nor the other way round."""
    EnterpriseFactory(region=region_tree["shapotou"])
    EnterpriseFactory(region=region_tree["zhongning"])
    county, city = APIClient(), APIClient()
    county.force_login(users["spt_staff"])
    city.force_login(users["zw_staff"])

    assert listed(county) == 1
    assert listed(city) == 2
    assert listed(county) == 1


def test_adding_an_enterprise_refreshes_the_count(api, users, region_tree):
    EnterpriseFactory(region=region_tree["shapotou"])
    assert listed(api) == 1

    response = api.post(
        "/api/v1/enterprises/",
        {"credit_code": code(77), "name": "中卫新建有限公司", "region": region_tree["zhongning"].pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert listed(api) == 2
    assert listed(api, region=region_tree["zhongning"].pk) == 1


def test_moving_an_enterprise_refreshes_both_regions_counts(api, users, region_tree):
    moving = EnterpriseFactory(region=region_tree["shapotou"])
    EnterpriseFactory(region=region_tree["shapotou"])
    assert listed(api, region=region_tree["shapotou"].pk) == 2
    assert listed(api, region=region_tree["zhongning"].pk) == 0

    services.update_enterprise(actor=users["zw_staff"], enterprise=moving, region=region_tree["zhongning"])

    assert listed(api, region=region_tree["shapotou"].pk) == 1
    assert listed(api, region=region_tree["zhongning"].pk) == 1


def test_renaming_an_enterprise_refreshes_a_searched_count(api, users, region_tree):
    renamed = EnterpriseFactory(name="中卫甲有限公司", region=region_tree["shapotou"])
    assert listed(api, q="枸杞") == 0

    services.update_enterprise(actor=users["zw_staff"], enterprise=renamed, name="中卫枸杞有限公司")

    assert listed(api, q="枸杞") == 1


def test_deleting_an_enterprise_refreshes_the_count(api, region_tree):
    doomed = EnterpriseFactory(region=region_tree["shapotou"])
    EnterpriseFactory(region=region_tree["shapotou"])
    assert listed(api) == 2

    doomed.delete()

    assert listed(api) == 1


def test_a_committed_roster_refreshes_the_count(api, users, region_tree):
    """The importer writes with plain SQL, which sends no model signals; its commit still refreshes counts."""
    EnterpriseFactory(region=region_tree["zhongning"])
    assert listed(api) == 1
    assert listed(api, region=region_tree["shapotou"].pk) == 0

    roster = upload_roster(actor=users["admin"], file_name="名单.xlsx", data=xlsx_bytes([HEADER, *roster_rows(3)]))
    commit_roster(actor=users["admin"], roster_import=roster)

    assert listed(api) == 4
    assert listed(api, region=region_tree["shapotou"].pk) == 3


def test_a_roster_that_moves_enterprises_refreshes_the_count(api, users, region_tree):
    EnterpriseFactory(credit_code=code(1), name="宁夏测试1有限公司", region=region_tree["zhongning"])
    assert listed(api, region=region_tree["shapotou"].pk) == 0

    roster = upload_roster(actor=users["admin"], file_name="名单.xlsx", data=xlsx_bytes([HEADER, *roster_rows(1)]))
    assert roster.updated_count == 1
    commit_roster(actor=users["admin"], roster_import=roster)

    assert listed(api, region=region_tree["shapotou"].pk) == 1
    assert listed(api, region=region_tree["zhongning"].pk) == 0


def test_moving_a_region_refreshes_the_counts_of_the_scopes_it_leaves(users, region_tree):
    """A county moved to another city takes its enterprises out of the first city's scope."""
    EnterpriseFactory(region=region_tree["zhongning"])
    city = APIClient()
    city.force_login(users["zw_leader"])
    assert listed(city) == 1

    county = region_tree["zhongning"]
    county.parent = region_tree["xining"]
    county.save()

    assert listed(city) == 0


def test_a_transaction_that_changed_the_register_counts_its_own_rows(users, region_tree):
    """Inside the writing transaction the count includes its rows; a rollback leaves the cached count right."""
    EnterpriseFactory(region=region_tree["shapotou"])
    user, everything = users["zw_staff"], EnterpriseFilters()
    assert enterprise_count(user, everything) == 1

    with transaction.atomic():
        EnterpriseFactory(region=region_tree["shapotou"])
        assert enterprise_count(user, everything) == 2
        transaction.set_rollback(True)

    assert enterprise_count(user, everything) == 1


def test_counts_filtered_by_tier_follow_new_recognitions(api, region_tree):
    """Recognitions change in the tiers app, which does not refresh cached counts: such counts are not cached."""
    enterprise = EnterpriseFactory(region=region_tree["shapotou"])
    tier = TierFactory(code="high-tech")
    assert listed(api, tier=tier.pk) == 0

    RecognitionFactory(enterprise=enterprise, tier=tier)

    assert listed(api, tier=tier.pk) == 1


def test_counts_by_region_are_kept_until_an_enterprise_is_added_or_moves(region_tree):
    """The dashboard's coverage reads these: kept between views, counted again once the register changes."""
    from enterprises.selectors import counts_by_region

    shapotou, zhongning = region_tree["shapotou"], region_tree["zhongning"]
    moving = EnterpriseFactory(region=shapotou)
    EnterpriseFactory(region=shapotou)
    regions = [shapotou.pk, zhongning.pk]

    assert counts_by_region(regions) == {shapotou.pk: 2}
    with CaptureQueriesContext(connection) as captured:
        assert counts_by_region(list(reversed(regions))) == {shapotou.pk: 2}
    assert not captured.captured_queries

    moving.region = zhongning
    moving.save()
    assert counts_by_region(regions) == {shapotou.pk: 1, zhongning.pk: 1}
    EnterpriseFactory(region=zhongning)
    assert counts_by_region(regions) == {shapotou.pk: 1, zhongning.pk: 2}
