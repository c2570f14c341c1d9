"""Five demo accounts open their main pages at desktop (1440 px) and phone (390 px) width:
no error page, no English or raw identifier, nothing wider than the phone; on the phone the
menu folds behind one button. Each page is saved as a screenshot under test-results/screenshots/
so a reviewer sees what users see."""

import io
import pathlib

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from enterprises.models import Enterprise
from seed.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tasks.models import MeasureUnit
from tests.crawl.checker import check_html
from tests.crawl.seed import seed_one_of_each
from tiers.applications.models import Application

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
USERNAMES = frozenset(account.username for account in DEMO_ACCOUNTS)


@pytest.fixture
def main_pages(db):
    """The demo site, and each account's main pages (name, path)."""
    for command in ("load_policies", "load_demo"):
        call_command(command, stdout=io.StringIO())
    seed_one_of_each()
    enterprise = Enterprise.objects.filter(region__name="沙坡头区").order_by("pk").first()
    application = Application.objects.order_by("-pk").first()
    liaison_task = MeasureUnit.objects.filter(department__name="市科技局", department__region__name="中卫市").first()
    return {
        "admin": [("home", "/"), ("audit", "/audit/"), ("admin", "/admin/")],
        "zw_leader": [("home", "/"), ("dashboard", "/dashboard/"), ("enterprises", "/enterprises/")],
        "zw_staff": [
            ("enterprises", "/enterprises/"),
            ("enterprise", f"/enterprises/{enterprise.pk}/"),
            ("application", f"/applications/{application.pk}/"),
        ],
        "spt_staff": [("home", "/"), ("applications", "/applications/"), ("pool", "/tiers/pool/")],
        "zw_kjj_liaison": [
            ("my-tasks", "/tasks/mine/"),
            ("report", f"/tasks/measures/{liaison_task.measure_id}/report/"),
        ],
    }


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_main_pages_read_right_on_desktop_and_phone(page, live_server, main_pages, blocked_requests):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for username, pages in main_pages.items():
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1440, "height": 900})
        sign_in(page, live_server, username)
        for width_name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            for name, path in pages:
                response = page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(SCREENSHOTS / f"{username}-{width_name}-{name}.png"), full_page=True)
                where = f"[{username} {width_name} {width}px] {path}"
                if response.status >= 400:
                    problems.append(f"{where}: answered {response.status}")
                problems.extend(
                    f"{where}: {finding}"
                    for finding in check_html(page.content(), allowed=USERNAMES, admin=path.startswith("/admin/"))
                )
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 1:
                    problems.append(f"{where}: the page is {overflow}px wider than the screen")
        if username == "zw_staff":
            # On the phone the menu is one button; tapping it shows the navigation.
            page.goto(f"{live_server.url}/")
            expect(page.get_by_test_id("main-nav")).to_be_hidden()
            page.get_by_test_id("menu-toggle").click()
            expect(page.get_by_test_id("main-nav")).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / f"{username}-phone-menu.png"))
    assert not problems, "\n".join(problems)
    assert blocked_requests == []
