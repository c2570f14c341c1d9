"""A recognition is granted on the enterprise page, its reward appears, finance approves and pays, the budget moves."""

import pytest
from playwright.sync_api import expect

from enterprises.tests.factories import EnterpriseFactory
from incentives.services.rule_loader import load_reward_rules
from incentives.tests.conftest import XINING, make_policy, make_tiers
from portal.tests.factories import DepartmentFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def xining_world(db):
    qinghai = RegionFactory(name="青海省", code="630000", kind="province", parent=None)
    xining = RegionFactory(name="西宁市", code="630100", kind="city", parent=qinghai)
    chengdong = RegionFactory(name="城东区", code="630102", kind="county", parent=xining)
    make_tiers({"xining": xining, "ordos": None})
    make_policy(XINING, xining, "西宁市工业中小企业梯度培育发展和建设中小企业特色产业集群的若干措施")
    load_reward_rules()
    UserFactory(
        username="t_xn_industry",
        role="staff",
        region=xining,
        department=DepartmentFactory(name="市工业和信息化局", region=xining),
    )
    UserFactory(
        username="t_xn_finance",
        role="staff",
        region=xining,
        department=DepartmentFactory(name="市财政局", region=xining),
    )
    enterprise = EnterpriseFactory(region=chengdong, name="城东光伏科技有限公司")
    return {"enterprise": enterprise, "xining": xining}


def test_granted_recognition_is_owed_approved_paid_and_budgeted(login, live_server, xining_world, blocked_requests):
    enterprise, xining = xining_world["enterprise"], xining_world["xining"]

    page = login("t_xn_industry")
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    page.locator("summary", has_text="recognition").or_(page.locator("summary", has_text="认定")).first.click()
    form = page.get_by_test_id("recognition-form")
    form.locator("select[name=tier]").select_option(label="高新技术企业")
    form.locator("input[name=recognized_on]").fill("2024-06-01")
    form.locator("button[type=submit]").click()
    rewards = page.get_by_test_id("enterprise-rewards")
    expect(rewards).to_contain_text("新认定高新技术企业奖励（市级）")
    expect(rewards).to_contain_text("新认定高新技术企业奖励（省级）")
    expect(page.get_by_test_id("rewards-owed")).to_have_text("40.00")
    page.locator("form[action$='/accounts/logout/'] button").click()

    page = login("t_xn_finance")
    page.goto(f"{live_server.url}/incentives/budget/")
    row = page.get_by_test_id(f"budget-row-{xining.pk}-2024")
    expect(row.get_by_test_id("outstanding")).to_have_text("15.00")
    expect(row.get_by_test_id("paid")).to_have_text("0.00")

    page.goto(f"{live_server.url}/incentives/")
    table = page.get_by_test_id("entitlement-table")
    expect(table).not_to_contain_text("青海省")  # the province's share is not the city's business
    table.get_by_role("link", name="城东光伏科技有限公司").click()
    expect(page.get_by_test_id("basis")).to_contain_text("依据《西宁市工业中小企业")
    page.get_by_test_id("approve-630100").click()
    # Approval is what opens the payment form.
    expect(page.get_by_test_id("pay-form-630100")).to_be_visible()
    page.get_by_test_id("pay-form-630100").locator("input[name$=voucher_no]").fill("XN-2024-088")
    page.get_by_test_id("pay-630100").click()
    expect(page.get_by_test_id("share-630100").get_by_test_id("paid")).to_have_text("15.00")
    expect(page.get_by_test_id("share-630100")).to_contain_text("XN-2024-088")

    page.goto(f"{live_server.url}/incentives/budget/")
    row = page.get_by_test_id(f"budget-row-{xining.pk}-2024")
    expect(row.get_by_test_id("paid")).to_have_text("15.00")
    expect(row.get_by_test_id("outstanding")).to_have_text("0.00")
    assert blocked_requests == []
