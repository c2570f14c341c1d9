"""An administrator imports compliance data, sees a 专精特新 verdict change, compares criteria versions
and views the portal as a county staff member."""

import datetime

import pytest
from playwright.sync_api import expect

from enterprises.models import AnnualIndicator, ComplianceRecord, Enterprise
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import xlsx_bytes
from portal.models import AuditEvent
from tiers.models import CriteriaSet
from tiers.reference import load_tiers_and_ladders

pytestmark = pytest.mark.django_db(transaction=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_compliance_import_changes_the_verdict_and_view_as_is_read_only(
    login, live_server, users, region_tree, blocked_requests
):
    load_tiers_and_ladders()
    last_year = datetime.date.today().year - 1
    enterprise = EnterpriseFactory(name="中宁精细化工有限公司", region=region_tree["zhongning"])
    for year in (last_year - 1, last_year):
        AnnualIndicator.objects.create(
            enterprise=enterprise, year=year, operating_revenue=3000, main_business_revenue=2900, rd_expense=150
        )

    page = login("t_admin")
    ladder_url = f"{live_server.url}/tiers/enterprises/{enterprise.pk}/ladder/"
    page.goto(ladder_url)
    srdi = page.get_by_test_id("ladder-quality-sme").get_by_test_id("rung-srdi-sme")
    before = srdi.get_by_test_id("verdict").inner_text()

    page.goto(f"{live_server.url}/enterprises/compliance/imports/")
    page.select_option("#id_region", label="中宁县")
    rows = [
        ["企业名称", "统一社会信用代码", "类别", "列入日期", "移出日期", "决定机关", "文号", "事由"],
        [
            enterprise.name,
            enterprise.credit_code,
            "行政处罚-环境-重大",
            "2026-02-10",
            "",
            "中卫市生态环境局",
            "卫环罚〔2026〕5号",
            "超标排放",
        ],
    ]
    page.set_input_files(
        "#id_file", files=[{"name": "信用中国导出.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}]
    )
    page.get_by_test_id("compliance-upload-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("compliance-counts")).to_contain_text("新增 1 条")
    page.get_by_test_id("compliance-commit").click()
    expect(page.locator(".alert-success")).to_contain_text("中宁县 的合规信息已导入")
    assert ComplianceRecord.objects.filter(enterprise=enterprise, document_number="卫环罚〔2026〕5号").exists()

    page.goto(ladder_url)
    srdi = page.get_by_test_id("ladder-quality-sme").get_by_test_id("rung-srdi-sme")
    expect(srdi.get_by_test_id("verdict")).not_to_have_text(before)
    srdi.locator("summary").click()
    expect(srdi.get_by_test_id("gaps-srdi-sme")).to_contain_text("卫环罚〔2026〕5号")

    new_set = CriteriaSet.objects.get(code="srdi-sme-2026")
    page.goto(f"{live_server.url}/tiers/ladders/")
    page.get_by_role("link", name=new_set.name).click()
    page.get_by_test_id("compare-link").first.click()
    expect(page.get_by_test_id("compare-totals")).to_be_visible()
    expect(page.get_by_test_id("compare-regions")).to_contain_text("中宁县")
    with page.expect_download() as download:
        page.get_by_test_id("compare-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{live_server.url}/access/users/")
    page.get_by_test_id("user-link-t_zn_staff").click()
    expect(page.get_by_test_id("capability-import_compliance")).to_have_attribute("data-allowed", "no")
    page.get_by_test_id("view-as-start").click()
    banner = page.get_by_test_id("view-as-banner")
    expect(banner).to_contain_text("t_zn_staff")
    expect(banner).to_contain_text("只读")

    page.goto(f"{live_server.url}/enterprises/new/")
    count = Enterprise.objects.count()
    page.fill("#id_name", "不应保存的企业有限公司")
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page.get_by_test_id("view-as-refused")).to_contain_text("只读")
    assert Enterprise.objects.count() == count
    assert AuditEvent.objects.filter(action="view_as", changes__has_key="refused").exists()

    page.goto(f"{live_server.url}/enterprises/")
    page.get_by_test_id("view-as-stop").click()
    expect(page.get_by_test_id("view-as-banner")).to_have_count(0)
    assert blocked_requests == []
