"""The way to a target as a leader reads it: the page, the API and the Excel shortlist agree, within the region."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tasks.tests.path_world import AS_OF, add_history, build_world


@pytest.fixture
def world(users, region_tree):
    world = build_world(region_tree)
    add_history(world)
    return world


def _login(client, users, name="zw_leader"):
    client.force_login(users[name])
    return client


def test_the_page_shows_the_gap_the_sources_with_their_rates_and_the_shortlist(client, users, world):
    """Two holders plus the two of the history recognized since: 4 of 5, 1 needed; expected
    4 + 1×75% + 1×100% + 1×50% = 6.25 → 6.3."""
    key = world["target"].key
    response = _login(client, users).get(reverse("dashboard:target-path", args=[key]), {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="path-needed">1<' in page
    assert 'data-testid="path-expected">6.3<' in page
    assert "75.0%（4 个中 3 个，中卫市）" in page
    for name in ("申报丙", "达标丁", "差两项戊", "库中己"):
        assert name in page
    for name in ("持有甲", "差三项庚", "西宁辛"):
        assert name not in page


def test_the_api_gives_the_same_path_and_candidates(client, users, world):
    key = world["target"].key
    response = _login(client, users).get(
        reverse("api-target-path", args=[key]), {"as_of": AS_OF.isoformat()}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["path"]["needed"] == 1
    assert body["path"]["counts"] == {"application": 1, "eligible": 1, "near": 1, "pool": 1}
    assert body["path"]["expected"] == 6.3
    assert [item["name"] for item in body["candidates"]] == ["申报丙", "达标丁", "差两项戊", "库中己"]
    assert body["candidates"][2]["standing"] == "差 2 项"


def test_the_shortlist_exports_to_excel(client, users, world):
    key = world["target"].key
    response = _login(client, users).get(
        reverse("dashboard:target-path-export", args=[key]), {"as_of": AS_OF.isoformat()}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    shortlist = workbook.worksheets[1]
    names = [row[0] for row in shortlist.iter_rows(min_row=2, values_only=True)]
    assert names == ["申报丙", "达标丁", "差两项戊", "库中己"]
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert summary["仍需"] == 1


def test_a_county_reader_cannot_open_the_citys_path_and_a_liaison_reads_no_path(client, users, world):
    url = reverse("dashboard:target-path", args=[world["target"].key])
    assert _login(client, users, "spt_staff").get(url).status_code == 404
    assert _login(client, users, "zw_liaison").get(url).status_code == 403


def test_the_path_and_enterprise_pages_cost_the_same_queries_however_many_candidates(client, users, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprises.tests.factories import EnterpriseFactory
    from tasks.tests.path_world import aware
    from tiers.models import PoolEntry, Recognition

    key = world["target"].key
    world["target"].value = 100  # unmet however many holders are added: the path is worked out each time
    world["target"].save()
    client.force_login(users["zw_leader"])
    urls = [
        reverse("dashboard:target-path", args=[key]),
        reverse("dashboard:target-enterprises", args=[key]),
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, {"as_of": AS_OF.isoformat()}).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    counts()
    before = counts()
    for index in range(6):
        candidate = EnterpriseFactory(region=world["zhongning"], name=f"新入库{index}")
        PoolEntry.objects.create(
            enterprise=candidate,
            tier=world["tier"],
            region=world["zhongning"],
            origin="manual",
            reason="重点培育",
            entered_at=aware(AS_OF),
        )
        holder = EnterpriseFactory(region=world["zhongning"], name=f"新持有{index}")
        Recognition.objects.create(enterprise=holder, tier=world["tier"], recognized_on=AS_OF, year=AS_OF.year)
    assert counts() == before
