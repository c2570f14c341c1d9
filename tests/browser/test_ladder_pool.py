"""Bureau staff open an enterprise's ladders, read what it misses, and put it in a cultivation pool."""

import datetime

import pytest
from playwright.sync_api import expect

from enterprises.models import AnnualIndicator
from enterprises.tests.factories import EnterpriseFactory
from tiers.models import PoolEntry
from tiers.reference import load_tiers_and_ladders

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_go_from_the_ladder_page_to_the_gaps_and_add_the_enterprise_to_a_pool(
    login, live_server, users, region_tree, blocked_requests
):
    load_tiers_and_ladders()
    last_year = datetime.date.today().year - 1
    enterprise = EnterpriseFactory(name="中卫新材料科技有限公司", region=region_tree["shapotou"])
    for year in (last_year - 2, last_year - 1, last_year):
        AnnualIndicator.objects.create(
            enterprise=enterprise,
            year=year,
            operating_revenue=3000,
            main_business_revenue=2800,
            rd_expense=63,
            total_assets=2000,
            total_liabilities=800,
            employees=100,
            tech_staff=12,
            rd_staff=8,
            ip_class2_count=2,
        )

    page = login("t_spt_staff")
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    page.get_by_test_id("ladder-link").click()
    ladder = page.get_by_test_id("ladder-quality-sme")
    expect(ladder.get_by_test_id("next")).to_have_text("创新型中小企业")

    srdi = ladder.get_by_test_id("rung-srdi-sme")
    srdi.locator("summary").click()
    gaps = srdi.get_by_test_id("gaps-srdi-sme")
    # 63 / 3000 = 2.1%: 0.9 percentage points (about 27 万元) short of the 3% line.
    expect(gaps).to_contain_text("2.1%")
    expect(gaps).to_contain_text("27 万元")

    srdi.get_by_test_id("add-to-pool-srdi-sme").click()
    page.select_option("#id_stage", "cultivate")
    page.fill("#id_reason", "研发投入差0.9个百分点，重点培育")
    page.get_by_test_id("pool-add-form").locator("button[type=submit]").click()

    expect(page.get_by_test_id("reason")).to_have_text("研发投入差0.9个百分点，重点培育")
    entry = PoolEntry.objects.get(enterprise=enterprise)
    assert (entry.tier.code, entry.stage, entry.origin) == ("srdi-sme", "cultivate", "manual")
    page.goto(f"{live_server.url}/tiers/enterprises/{enterprise.pk}/ladder/")
    expect(page.get_by_test_id("ladder-quality-sme").get_by_test_id("in-pool-srdi-sme")).to_be_visible()
    assert blocked_requests == []
