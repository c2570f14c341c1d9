import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tiers.models import Level
from tiers.tests.factories import TierFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_opens_a_batch_from_the_navigation(login, users, blocked_requests):
    """The batch page is reached from the applications menu; a new batch appears there, open today."""
    tier = TierFactory(code="little-giant", name="专精特新“小巨人”企业", level=Level.NATIONAL)
    today = timezone.localdate()
    page = login("t_admin")
    nav = page.get_by_test_id("main-nav")
    nav.get_by_role("button", name="申报审核").click()
    nav.get_by_role("link", name="申报批次").click()
    expect(page.locator("h1")).to_have_text("申报批次")

    page.get_by_test_id("new-batch").click()
    page.select_option("#id_tier", str(tier.pk))
    page.fill("#id_name", "2026年第二批")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + datetime.timedelta(days=30)).isoformat())
    page.get_by_test_id("save").click()

    expect(page.locator(".alert-success")).to_contain_text("2026年第二批")
    row = page.get_by_test_id("batch-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("专精特新“小巨人”企业")
    expect(row.get_by_test_id("batch-status")).to_have_text("申报中")
    assert blocked_requests == []
