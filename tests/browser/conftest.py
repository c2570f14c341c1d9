"""Browser tests: Playwright driving Debian's chromium against a live server.

Every request that does not go to the live server is aborted, so a page that
reaches for a CDN fails here exactly as it would on a government intranet.
In CI (CI=true) a missing chromium fails the run; elsewhere the tests skip.
"""

import os
import shutil
from urllib.parse import urlparse

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
PASSWORD = "demo-pass-2026"


def pytest_collection_modifyitems(config, items):
    browser_dir = os.path.dirname(__file__)
    available = shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)
    for item in items:
        if not str(item.fspath).startswith(browser_dir):
            continue
        item.add_marker(pytest.mark.browser)
        if not available and os.environ.get("CI") != "true":
            item.add_marker(pytest.mark.skip(reason=f"chromium not found at {CHROMIUM}; `apt-get install chromium`"))


@pytest.fixture
def blocked_requests():
    """URLs the guard refused; a test can assert it stayed empty."""
    return []


@pytest.fixture(autouse=True)
def _offline_guard(context, blocked_requests):
    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.set_default_timeout(30_000)
    yield


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def login(page, live_server):
    """Log a user in through the real login form."""

    def _login(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=main-nav]")
        return page

    return _login
