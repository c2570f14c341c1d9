"""Bureau staff find an enterprise, correct one year's figure, and see the change in its history."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_finds_an_enterprise_edits_an_indicator_and_sees_it_in_the_history(
    login, live_server, users, region_tree, blocked_requests
):
    year = datetime.date.today().year - 1
    target = EnterpriseFactory(name="中卫葡萄酒有限公司", region=region_tree["shapotou"])
    AnnualIndicatorFactory(enterprise=target, year=year, operating_revenue=5000)
    EnterpriseFactory(name="沙坡头钢铁制品有限公司", region=region_tree["shapotou"])
    EnterpriseFactory(name="中宁枸杞科技有限公司", region=region_tree["zhongning"])  # outside the user's county

    page = login("t_spt_staff")
    # Staff see the register as one menu entry (roster imports are for administrators).
    page.get_by_test_id("main-nav").get_by_role("link", name=re.compile("企业|Enterprises")).first.click()
    table = page.get_by_test_id("enterprise-table")
    expect(table).to_contain_text("沙坡头钢铁制品有限公司")
    expect(table).not_to_contain_text("中宁枸杞科技有限公司")

    # The search refreshes the table in place (htmx) and puts the query in the address bar.
    page.fill("#q", "葡萄酒")
    page.get_by_test_id("search-button").click()
    expect(table).not_to_contain_text("沙坡头钢铁制品有限公司")
    expect(page).to_have_url(re.compile(r"/enterprises/\?q=%E8%91%A1%E8%90%84%E9%85%92"))
    page.get_by_role("link", name="中卫葡萄酒有限公司").click()
    expect(page.get_by_test_id("enterprise-name")).to_have_text("中卫葡萄酒有限公司")
    expect(page.get_by_test_id("indicator-operating_revenue")).to_contain_text("5000.00")

    page.get_by_test_id(f"edit-indicators-{year}").click()
    page.fill("#id_operating_revenue", "5600.50")
    page.get_by_role("button", name="保存").or_(page.get_by_role("button", name="Save")).click()

    expect(page.get_by_role("alert").first).to_contain_text(str(year))
    expect(page.get_by_test_id("indicator-operating_revenue")).to_contain_text("5600.50")
    change = page.get_by_test_id("history").get_by_test_id("audit-event").first
    expect(change).to_contain_text("t_spt_staff")
    expect(change).to_contain_text("127.0.0.1")
    expect(change.locator(".diff-before")).to_have_text("5000.00 万元")
    expect(change.locator(".diff-after")).to_have_text("5600.50 万元")
    assert blocked_requests == []
