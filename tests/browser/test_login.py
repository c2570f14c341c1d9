import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_logs_in_and_sees_their_scope_in_chinese(login, live_server, users, blocked_requests):
    """The login form works offline and the header shows the user's role and region in Chinese."""
    page = login("t_spt_staff")
    expect(page.get_by_test_id("user-scope")).to_contain_text("沙坡头区")
    expect(page.get_by_test_id("main-nav")).to_contain_text(re.compile("企业|Enterprises"))
    assert blocked_requests == []


def test_wrong_password_is_refused_with_a_message(page, live_server, users):
    """A wrong password keeps the user on the login page with an error."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "t_spt_staff")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".alert-danger")).to_be_visible()
    assert "/accounts/login/" in page.url
