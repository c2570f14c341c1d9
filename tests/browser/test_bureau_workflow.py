"""The bureau's division of work through the pages: the county starts from its to-do list, a colleague passes what
another entered, the city's industry bureau publishes, recommends and records the province's decision."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from portal.tests.factories import DepartmentFactory, UserFactory
from tiers.applications import services
from tiers.applications.models import Application
from tiers.applications.tests.factories import BatchFactory
from tiers.models import Level
from tiers.tests.factories import TierFactory

pytestmark = pytest.mark.django_db(transaction=True)

STATE = "[data-testid=application-state]"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def county(users, region_tree):
    zhongning = region_tree["zhongning"]
    bureau = DepartmentFactory(name="县工业和信息化局", region=zhongning)
    tier = TierFactory(code="srdi-sme", name="专精特新中小企业", level=Level.PROVINCIAL, validity_years=3)
    services.load_responsibilities()
    batch = BatchFactory(tier=tier, name="2026年第一批", region=region_tree["zhongwei"])
    enterprise = EnterpriseFactory(name="中宁枸杞智能装备有限公司", region=zhongning)
    AnnualIndicatorFactory(enterprise=enterprise, year=timezone.localdate().year - 1)
    for username in ("t_zn_entry", "t_zn_reviewer"):
        UserFactory(username=username, role="staff", region=zhongning, department=bureau)
    return {"enterprise": enterprise, "batch": batch}


def act_as(page, login, username: str):
    page.context.clear_cookies()
    return login(username)


def decide(page, action: str, comment: str = "") -> None:
    if comment:
        page.get_by_test_id("comment").fill(comment)
    page.get_by_test_id(f"action-{action}").click()
    page.wait_for_load_state()


def test_county_enters_a_colleague_passes_the_city_publishes_recommends_and_records_the_decision(
    page, login, live_server, county, tmp_path
):
    enterprise = county["enterprise"]

    page = act_as(page, login, "t_zn_entry")
    batches = page.get_by_test_id("todo-batches")
    expect(batches.get_by_test_id("todo-count")).to_have_text("1")
    batches.locator("a").click()
    expect(page.get_by_test_id(f"batch-{county['batch'].pk}")).to_contain_text("专精特新中小企业")
    page.goto(f"{live_server.url}/applications/new/")
    page.select_option("#id_enterprise", str(enterprise.pk))
    page.select_option("#id_batch", str(county["batch"].pk))
    page.fill("#id_statements", "企业主导产品市场占有率位居全区前列。")
    page.get_by_test_id("save").click()
    detail_url = page.url
    decide(page, "submit")
    expect(page.locator(STATE)).to_contain_text("县级审核")
    # The person who submitted it is told why they cannot pass it.
    expect(page.get_by_test_id("review-refusal")).to_contain_text("请由本部门其他同事审核")
    expect(page.get_by_test_id("action-pass")).to_have_count(0)

    page = act_as(page, login, "t_zn_reviewer")
    expect(page.get_by_test_id("todo-review").get_by_test_id("todo-count")).to_have_text("1")
    page.goto(detail_url)
    decide(page, "pass", "材料齐全，同意上报")
    expect(page.locator(STATE)).to_contain_text("市级审核")

    page = act_as(page, login, "t_zw_staff")
    today = timezone.localdate()
    page.goto(f"{live_server.url}/applications/publicity/new/")
    page.fill("#id_title", "2026年专精特新中小企业拟推荐名单公示")
    page.fill("#id_starts_on", (today - datetime.timedelta(days=8)).isoformat())
    page.fill("#id_ends_on", (today - datetime.timedelta(days=1)).isoformat())
    page.locator("input[name=applications]").first.check()
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("publicity-applications")).to_contain_text(enterprise.name)

    page.goto(detail_url)
    decide(page, "recommend", "公示期满无异议，同意推荐")
    expect(page.locator(STATE)).to_contain_text(re.compile("推荐"))

    notice = tmp_path / "认定通知.pdf"
    notice.write_bytes(PDF)
    page.goto(detail_url)
    page.get_by_test_id("document-no").fill("宁工信企业发〔2026〕31号")
    page.get_by_test_id("notice").set_input_files(str(notice))
    decide(page, "grant", "自治区公告认定")
    expect(page.locator(STATE)).to_contain_text("已认定")
    expect(page.get_by_test_id("decision-document")).to_contain_text("宁工信企业发〔2026〕31号")
    expect(page.get_by_test_id("attachments")).to_contain_text("认定通知.pdf")

    application = Application.objects.get(enterprise=enterprise)
    decider = application.actions.get(action="grant").actor
    assert decider.username == "t_zw_staff" and not decider.is_admin
