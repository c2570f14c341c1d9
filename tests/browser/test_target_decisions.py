"""西宁's 80 vs 70 专精特新: both targets read 待确认 until an administrator adopts one on the decisions page;
then the other reads 未采用, and the inferred lead units stay marked 推定."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from enterprises.tests.factories import EnterpriseFactory
from portal.models import AuditEvent, Region
from portal.reference import load_regions_and_departments
from portal.tests.factories import UserFactory
from tasks.models import Policy, TargetConflict
from tasks.policies import load_policies
from tiers.models import Tier
from tiers.reference import TIERS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def xining(db):
    load_regions_and_departments()
    regions = {region.code: region for region in Region.objects.all()}
    for code, name, level, region_code, validity, is_manual in TIERS:
        Tier.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "issuing_region": regions.get(region_code),
                      "validity_years": validity, "is_manual": is_manual},
        )  # fmt: skip
    load_policies()
    EnterpriseFactory(region=regions["630102"])
    UserFactory(username="b_admin", role="admin", region=None, is_superuser=True)
    return Policy.objects.get(code="xining-2023-32")


def test_an_administrator_adopts_one_of_two_contradicting_figures(login, live_server, xining, blocked_requests):
    page = login("b_admin")
    policy_url = f"{live_server.url}{reverse('tasks:policy', args=[xining.pk])}?as_of=2026-12-07"
    page.goto(policy_url)
    goal, measure4 = page.get_by_test_id("target-xn-goal-srdi").first, page.get_by_test_id("target-xn-4-srdi").first
    expect(goal.get_by_test_id("status")).to_have_text("待确认")
    expect(measure4.get_by_test_id("status")).to_have_text("待确认")
    expect(page.get_by_test_id("task-row-1").get_by_test_id("lead-inferred")).to_have_text("推定")

    page.goto(f"{live_server.url}{reverse('tasks:decisions')}")
    conflict = TargetConflict.objects.get(first__key="xn-goal-srdi")
    card = page.get_by_test_id(f"conflict-{conflict.pk}")
    card.get_by_label("采用 80户（总体目标）").check()
    card.get_by_label("原因").fill("以总体目标为准，经市政府办确认")
    card.get_by_role("button", name="记录决定").click()
    expect(page.get_by_test_id(f"conflict-{conflict.pk}").get_by_test_id("conflict-state")).to_contain_text(
        "以总体目标为准"
    )

    page.goto(policy_url)
    expect(page.get_by_test_id("target-xn-4-srdi").first.get_by_test_id("status")).to_have_text("未采用")
    expect(page.get_by_test_id("target-xn-goal-srdi").first.get_by_test_id("status")).not_to_have_text("待确认")
    assert AuditEvent.objects.filter(object_type="tasks.targetconflict").exists()
    assert blocked_requests == []
