"""A province leader opens the dashboard, drills from the province to a city, a county and an enterprise,
and downloads a briefing prepared on the spot (Celery runs eagerly in tests)."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.models import Region
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(db):
    call_command("generate_demo", enterprises=200, seed=3, skip_eligibility=True, stdout=open("/dev/null", "w"))
    ningxia = Region.objects.get(code="640000")
    UserFactory(username="b_nx_leader", role="leader", region=ningxia, display_name="自治区领导")
    return ningxia


def test_leader_drills_down_and_downloads_the_briefing(login, live_server, province, blocked_requests):
    page = login("b_nx_leader")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("宁夏回族自治区")
    expect(page.locator("[data-testid=chart-regions] canvas").first).to_be_visible()
    expect(page.locator("[data-testid=chart-ladders] canvas").first).to_be_visible()
    assert page.get_by_test_id("kpi-card").count() > 0

    page.get_by_test_id("toggle-regions").click()
    page.locator("[data-table=regions]").get_by_role("link", name="中卫市").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("中卫市")
    page.get_by_test_id("toggle-regions").click()
    page.locator("[data-table=regions]").get_by_role("link", name="中宁县").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("中宁县")
    page.get_by_test_id("enterprise-list-link").click()
    first = page.locator("table a[href^='/enterprises/']").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(name)

    page.goto(f"{live_server.url}/briefings/?region={province.pk}")
    page.locator("input[name=as_of]").fill(str(datetime.date.today() - datetime.timedelta(days=1)))
    page.get_by_test_id("briefing-submit").click()
    expect(page.get_by_test_id("briefing-regions")).to_contain_text("中卫市")
    with page.expect_download() as download:
        page.get_by_test_id("briefing-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as download:
        page.get_by_test_id("briefing-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert blocked_requests == []
