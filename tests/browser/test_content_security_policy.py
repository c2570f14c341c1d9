"""Under the Content-Security-Policy every page still works and the browser reports no violation:
the dashboard's ECharts charts draw, htmx requests run, the API docs load."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.models import Region
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def leader(db):
    call_command("generate_demo", enterprises=60, seed=5, skip_eligibility=True, stdout=open("/dev/null", "w"))
    return UserFactory(username="b_csp_leader", role="leader", region=Region.objects.get(code="640000"))


def test_pages_work_under_the_policy_without_a_violation(page, login, live_server, leader, blocked_requests):
    page.add_init_script(COLLECT_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    login("b_csp_leader")
    violations = []
    for path in [
        "/",
        "/dashboard/",
        "/enterprises/",
        "/tiers/pool/",
        "/applications/",
        "/incentives/",
        "/api/v1/docs/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        if path == "/dashboard/":
            expect(page.locator("[data-testid=chart-regions] canvas").first).to_be_visible()
        if path == "/api/v1/docs/":
            expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")
        violations += [f"{path}: {text}" for text in page.evaluate("window.__cspViolations")]
    assert violations == []
    assert [text for text in console if "Content Security Policy" in text] == []
    assert blocked_requests == []


def test_the_language_switch_still_submits_itself(page, login, live_server, leader):
    """The language menu's inline onchange became a data-autosubmit the portal's own script honours."""
    login("b_csp_leader")
    page.goto(f"{live_server.url}/")
    page.select_option("[data-testid=language-switcher] select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
