"""A finance user plans with the budget: enters an allocation, approves and pays a reward in two tranches,
and sees "available" fall with each approval."""

import datetime

import pytest
from playwright.sync_api import expect

from enterprises.tests.factories import EnterpriseFactory
from incentives.models import RewardRule
from incentives.services.rule_loader import load_reward_rules
from incentives.tests.conftest import XINING, make_policy, make_tiers
from portal.tests.factories import DepartmentFactory, RegionFactory, UserFactory
from tiers.models import Tier
from tiers.services import grant_recognition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def xining_high_tech(db):
    """西宁 城东区 高新技术企业 of 2024: the city owes 15 万元 (市 50 % of 30)."""
    qinghai = RegionFactory(name="青海省", code="630000", kind="province", parent=None)
    xining = RegionFactory(name="西宁市", code="630100", kind="city", parent=qinghai)
    chengdong = RegionFactory(name="城东区", code="630102", kind="county", parent=xining)
    make_tiers({"xining": xining, "ordos": None})
    make_policy(XINING, xining, "西宁市工业中小企业梯度培育发展和建设中小企业特色产业集群的若干措施")
    load_reward_rules()
    UserFactory(
        username="t_xn_finance",
        role="staff",
        region=xining,
        department=DepartmentFactory(name="市财政局", region=xining),
    )
    enterprise = EnterpriseFactory(region=chengdong, name="城东光伏科技有限公司")
    grant_recognition(
        actor=None,
        enterprise=enterprise,
        tier=Tier.objects.get(code="high-tech"),
        recognized_on=datetime.date(2024, 6, 1),
    )
    return {"xining": xining, "rule": RewardRule.objects.get(code="xn-high-tech-city")}


def test_allocation_two_tranches_and_available(login, live_server, xining_high_tech, blocked_requests):
    xining, rule = xining_high_tech["xining"], xining_high_tech["rule"]
    page = login("t_xn_finance")

    # The city's finance bureau pays its 市级 rewards in two halves.
    page.goto(f"{live_server.url}/incentives/rules/{rule.pk}/funding/")
    page.get_by_test_id("tranches-form").locator("input[name$=tranches]").fill("50,50")
    page.get_by_test_id("save-tranches").click()
    expect(page.get_by_test_id("tranches")).to_contain_text("50%")

    page.goto(f"{live_server.url}/incentives/budget/")
    form = page.get_by_test_id("allocation-form")
    form.locator("input[name=year]").fill("2024")
    form.locator("input[name=amount]").fill("50")
    page.get_by_test_id("save-allocation").click()
    row = page.get_by_test_id(f"budget-row-{xining.pk}-2024")
    expect(row.get_by_test_id("allocated")).to_have_text("50.00")
    expect(row.get_by_test_id("available")).to_have_text("50.00")

    def open_reward():
        page.goto(f"{live_server.url}/incentives/")
        page.get_by_test_id("entitlement-table").get_by_role("link", name="城东光伏科技有限公司").click()
        expect(page.get_by_test_id("recipient")).to_contain_text("城东光伏科技有限公司")

    def pay(voucher: str, paid: str):
        share = page.get_by_test_id("share-630100")
        page.get_by_test_id("pay-form-630100").locator("input[name$=voucher_no]").fill(voucher)
        page.get_by_test_id("pay-630100").click()
        expect(share.get_by_test_id("paid")).to_have_text(paid)

    def available_is(amount: str):
        page.goto(f"{live_server.url}/incentives/budget/")
        expect(page.get_by_test_id(f"budget-row-{xining.pk}-2024").get_by_test_id("available")).to_have_text(amount)

    open_reward()
    page.get_by_test_id("approve-630100").click()
    pay("XN-2024-101", "7.50")
    available_is("42.50")

    open_reward()
    page.get_by_test_id("approve-form-630100").locator("input[name$=condition]").fill("2025年绩效评价合格")
    page.get_by_test_id("approve-630100").click()
    pay("XN-2025-017", "15.00")
    expect(page.get_by_test_id("share-630100")).to_contain_text("XN-2025-017")
    available_is("35.00")
    expect(page.get_by_test_id(f"budget-row-{xining.pk}-2024").get_by_test_id("paid")).to_have_text("15.00")
    assert blocked_requests == []
