"""A liaison of 市科技局 files a quarterly report on 中卫 task 2; the lead view shows it, a leader
gives an instruction, and a liaison of a department outside the task cannot edit it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.models import Department, Region
from portal.reference import load_regions_and_departments
from portal.tests.factories import UserFactory
from tasks.models import Measure
from tasks.policies import load_policies
from tiers.models import Tier
from tiers.reference import TIERS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def zhongwei(db):
    load_regions_and_departments()
    regions = {region.code: region for region in Region.objects.all()}
    for code, name, level, region_code, validity, is_manual in TIERS:
        Tier.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "issuing_region": regions.get(region_code),
                      "validity_years": validity, "is_manual": is_manual},
        )  # fmt: skip
    load_policies()
    city = regions["640500"]
    departments = Department.objects.filter(region=city)
    UserFactory(username="b_kj", role="liaison", region=city, department=departments.get(name="市科技局"))
    UserFactory(username="b_dsj", role="liaison", region=city, department=departments.get(name="市云计算和大数据局"))
    UserFactory(username="b_leader", role="leader", region=city, display_name="张市长")
    return Measure.objects.get(policy__code="zhongwei-task-list", number="2")


def test_liaison_files_a_quarterly_report_and_a_leader_comments(login, live_server, zhongwei, blocked_requests):
    task_url = f"{live_server.url}{reverse('tasks:measure', args=[zhongwei.pk])}"
    page = login("b_kj")
    page.goto(task_url)
    page.get_by_test_id("report-link").click()
    expect(page.get_by_test_id("report-form")).to_be_visible()
    assert page.locator("#id_period").input_value().endswith(("Q1", "Q2", "Q3", "Q4"))
    page.fill("#id_narrative", "本季度新增国家高新技术企业2家，完成年度目标的40%。")
    page.fill("#id_figures", "新增高新技术企业: 2")
    page.get_by_test_id("report-save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("report-grid")).to_contain_text("市科技局")
    expect(page.locator("[data-testid^=report-]").filter(has_text="本季度新增国家高新技术企业2家")).to_be_visible()

    page.context.clear_cookies()
    page = login("b_leader")
    page.goto(task_url)
    expect(page.get_by_text("本季度新增国家高新技术企业2家")).to_be_visible()
    page.fill("#id_text", "抓紧落实，年底前完成新增9家。")
    page.get_by_test_id("comment-submit").click()
    expect(page.get_by_test_id("comments")).to_contain_text("抓紧落实，年底前完成新增9家。")

    page.context.clear_cookies()
    page = login("b_kj")
    page.goto(task_url)
    expect(page.get_by_test_id("comments")).to_contain_text("张市长")

    page.context.clear_cookies()
    page = login("b_dsj")
    response = page.goto(task_url)
    assert response.status == 404
    response = page.goto(f"{live_server.url}{reverse('tasks:report', args=[zhongwei.pk])}")
    assert response.status == 404
    assert blocked_requests == []
