"""An administrator imports a roster through the dry-run and commit screens."""

import pytest
from playwright.sync_api import expect

from enterprises.tests.roster_files import HEADER, code, roster_rows, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_admin_uploads_checks_and_commits_a_roster(login, live_server, users, blocked_requests):
    """The dry run shows the detected columns, new and rejected rows; after commit the register lists them."""
    rows = [
        ["2024年企业名单"],
        HEADER,
        *roster_rows(2),
        [3, "格式错误有限公司", code(3)[:17], "沙坡头区", "C3911", "2015-05-01", 10, 1],
    ]
    page = login("t_admin")
    page.goto(f"{live_server.url}/enterprises/rosters/")
    page.set_input_files("#id_file", files=[{"name": "名单.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}])
    page.get_by_test_id("roster-upload-form").locator("button[type=submit]").click()

    mapping = page.get_by_test_id("roster-mapping")
    expect(mapping).to_contain_text("营业收入（万元）")
    expect(mapping).to_contain_text("统一社会信用代码")
    expect(page.get_by_test_id("count-create")).to_have_text("2")
    expect(page.get_by_test_id("count-reject")).to_have_text("1")
    table = page.get_by_test_id("roster-rows")
    expect(table).to_contain_text("宁夏测试1有限公司")
    expect(table).to_contain_text("第 5 行「统一社会信用代码」：长度应为 18 位，实际 17 位")

    page.get_by_test_id("roster-commit").click()
    expect(page.get_by_test_id("roster-status")).to_have_attribute("data-status", "committed")

    page.goto(f"{live_server.url}/enterprises/?q=宁夏测试")
    expect(page.locator("#enterprise-table")).to_contain_text("宁夏测试1有限公司")
    expect(page.locator("#enterprise-table")).to_contain_text("宁夏测试2有限公司")
    expect(page.locator("#enterprise-table")).not_to_contain_text("格式错误有限公司")
    assert blocked_requests == []
