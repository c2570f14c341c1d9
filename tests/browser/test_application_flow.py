"""An application from entry to recognition, through the pages, as the people involved use them."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from portal.tests.factories import UserFactory
from tiers.applications.models import PublicityList
from tiers.applications.tests.factories import BatchFactory
from tiers.models import Level
from tiers.tests.factories import TierFactory

pytestmark = pytest.mark.django_db(transaction=True)

STATE = "[data-testid=application-state]"


@pytest.fixture
def setting(users, region_tree):
    tier = TierFactory(code="little-giant", name="专精特新“小巨人”企业", level=Level.NATIONAL, validity_years=3)
    batch = BatchFactory(tier=tier, name="2026年第一批")
    enterprise = EnterpriseFactory(name="沙坡头精密机械有限公司", region=region_tree["shapotou"])
    AnnualIndicatorFactory(enterprise=enterprise, year=timezone.localdate().year - 1)
    UserFactory(username="t_spt_reviewer", role="staff", region=region_tree["shapotou"])
    UserFactory(username="t_nx_staff", role="staff", region=region_tree["ningxia"])
    return {"enterprise": enterprise, "batch": batch}


def act_as(page, login, username: str):
    page.context.clear_cookies()
    return login(username)


def decide(page, action: str, comment: str = "") -> None:
    if comment:
        page.get_by_test_id("comment").fill(comment)
    page.get_by_test_id(f"action-{action}").click()
    page.wait_for_load_state()


def test_application_from_entry_through_return_review_and_publicity_to_recognition(page, login, live_server, setting):
    """County staff enter and submit; the county returns it; it is corrected and resubmitted (changes shown);
    county and city pass it; after publicity the province grants it and the enterprise shows the recognition."""
    enterprise = setting["enterprise"]

    page = act_as(page, login, "t_spt_staff")
    page.goto(f"{live_server.url}/applications/new/")
    page.select_option("#id_enterprise", str(enterprise.pk))
    page.select_option("#id_batch", str(setting["batch"].pk))
    page.fill("#id_statements", "企业近三年研发投入持续增长。")
    page.get_by_test_id("save").click()
    expect(page.locator(STATE)).to_contain_text(re.compile("草稿|Draft"))
    detail_url = page.url
    decide(page, "submit")
    expect(page.locator(STATE)).to_contain_text(re.compile("县级审核|County review"))

    page = act_as(page, login, "t_spt_reviewer")
    page.goto(detail_url)
    decide(page, "return", "请补充研发费用归集说明")
    expect(page.locator(STATE)).to_contain_text(re.compile("退回|Returned"))

    page = act_as(page, login, "t_spt_staff")
    page.goto(detail_url)
    page.get_by_test_id("edit-application").click()
    page.fill("#id_statements", "企业近三年研发投入持续增长，研发费用归集说明已补充。")
    page.get_by_test_id("save").click()
    decide(page, "resubmit")
    expect(page.locator(STATE)).to_contain_text(re.compile("县级审核|County review"))
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("企业声明")
    expect(changes).to_contain_text("研发费用归集说明已补充")

    page = act_as(page, login, "t_spt_reviewer")
    page.goto(detail_url)
    decide(page, "pass", "材料齐全，同意上报")
    expect(page.locator(STATE)).to_contain_text(re.compile("市级审核|City review"))

    page = act_as(page, login, "t_zw_staff")
    page.goto(detail_url)
    decide(page, "recommend", "同意推荐")
    expect(page.locator(STATE)).to_contain_text(re.compile("推荐|Recommended"))

    today = timezone.localdate()
    page.goto(f"{live_server.url}/applications/publicity/new/")
    page.fill("#id_title", "2026年专精特新“小巨人”推荐名单公示")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=7)).isoformat())
    page.locator("input[name=applications]").first.check()
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("publicity-applications")).to_contain_text(enterprise.name)

    page = act_as(page, login, "t_nx_staff")
    page.goto(detail_url)
    expect(page.get_by_test_id("publicity-refusal")).to_be_visible()
    decide(page, "grant")
    expect(page.locator(".alert-danger")).to_contain_text("2026年专精特新“小巨人”推荐名单公示")
    expect(page.locator(STATE)).to_contain_text(re.compile("推荐|Recommended"))

    # Seven days pass: the publicity period is over with no objection.
    PublicityList.objects.update(
        starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=1)
    )
    page.goto(detail_url)
    page.get_by_test_id("certificate-no").fill("GXJ-2026-0001")
    page.get_by_test_id("document-no").fill("工信部企业函〔2026〕88号")
    decide(page, "grant", "工信部公告2026年第一批")
    expect(page.locator(STATE)).to_contain_text(re.compile("已认定|Granted"))

    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    recognitions = page.get_by_test_id("recognitions")
    expect(recognitions).to_contain_text("专精特新“小巨人”企业")
    expect(recognitions).to_contain_text("2026年第一批")
    expect(recognitions).to_contain_text("GXJ-2026-0001")
