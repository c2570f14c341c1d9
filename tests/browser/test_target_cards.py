"""中卫's leader reads the target cards of the demo: 合计 or 新增 on each, the enterprises a card counts,
and the 名录不全 explanation where the register holds fewer than the document's baseline."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "Portal-Demo-2026"


@pytest.fixture
def demo(db):
    with open("/dev/null", "w") as quiet:
        call_command("load_policies", stdout=quiet)
        call_command("load_demo", stdout=quiet)


def test_leader_reads_a_cards_basis_opens_its_enterprises_and_sees_why_the_register_falls_short(
    login, live_server, demo, blocked_requests
):
    page = login("zw_leader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    total = page.locator("[data-testid=kpi-card][data-key='zw-2-2027-total']")
    expect(total.get_by_test_id("card-basis")).to_have_text("合计")
    expect(
        page.locator("[data-testid=kpi-card][data-key='zw-2-2027-again']").get_by_test_id("card-basis")
    ).to_have_text("2026年起新增")
    expect(total.get_by_test_id("register-incomplete")).to_have_text("名录不全")
    expect(total.get_by_test_id("card-baseline")).to_contain_text("文件推算基数 55 家，名录中 18 家")
    total.get_by_text("计算口径").click()
    expect(total.get_by_test_id("card-how")).to_be_visible()

    total.get_by_test_id("card-enterprises").click()
    expect(page.get_by_test_id("enterprises-title")).to_contain_text("国家高新技术企业")
    expect(page.get_by_test_id("enterprises-basis")).to_have_text("合计")
    expect(page.get_by_test_id("card-baseline")).to_contain_text("名录不全")
    rows = page.locator("[data-testid=enterprises-table] tbody tr")
    assert rows.count() >= 18
    with page.expect_download() as download:
        page.get_by_test_id("enterprises-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{live_server.url}/dashboard/")
    behind = page.locator("[data-testid=kpi-card][data-key='zw-1-2027-total']")
    behind.get_by_test_id("path-link").click()
    expect(page.get_by_test_id("path-needed")).to_have_text("26")
    expect(page.get_by_test_id("path-lead")).to_contain_text("科技局")
    assert blocked_requests == []
