"""Service follow-up: visits are logged, and 博州's quarterly rule shows met or missed."""

import datetime

import pytest
from django.urls import reverse

from enterprises.tests.factories import EnterpriseFactory
from portal.tests.factories import UserFactory
from tasks import periods, services
from tasks.selectors.visits import quarterly_visit_compliance
from tiers.tests.factories import RecognitionFactory, TierFactory


def test_quarterly_visits_met_or_missed_per_county_and_commissioner(region_tree, users, client):
    """Two cultivated enterprises in 沙坡头区 (one visited this quarter) and one in 中宁县 (visited last quarter)."""
    srdi = TierFactory(code="srdi-sme", name="专精特新中小企业")
    other = TierFactory(code="high-tech", name="高新技术企业")
    commissioner = UserFactory(username="zy", role="staff", region=region_tree["zhongwei"], display_name="王专员")
    visited = EnterpriseFactory(name="甲公司", region=region_tree["shapotou"], service_commissioner=commissioner)
    missed = EnterpriseFactory(name="乙公司", region=region_tree["shapotou"], service_commissioner=commissioner)
    late = EnterpriseFactory(name="丙公司", region=region_tree["zhongning"])
    not_cultivated = EnterpriseFactory(name="丁公司", region=region_tree["zhongning"])
    for enterprise in (visited, missed, late):
        RecognitionFactory(
            enterprise=enterprise,
            tier=srdi,
            recognized_on=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2028, 1, 1),
        )
    RecognitionFactory(enterprise=not_cultivated, tier=other)
    services.log_visit(
        actor=commissioner, enterprise=visited, visited_on=datetime.date(2026, 5, 3), problems_raised="用地紧张"
    )
    services.log_visit(
        actor=users["zw_staff"], enterprise=late, visited_on=datetime.date(2026, 3, 30), commissioner=commissioner
    )
    quarter = periods.period_from_label("quarterly", "2026-Q2")
    by_region, by_commissioner = quarterly_visit_compliance(users["zw_leader"], quarter=quarter)
    tallies = {t.name: (t.enterprises, t.visited, t.is_met) for t in by_region}
    assert tallies == {"沙坡头区": (2, 1, False), "中宁县": (1, 0, False)}
    assert {t.name: (t.enterprises, t.visited) for t in by_commissioner} == {"王专员": (2, 1), "—": (1, 0)}
    client.force_login(users["zw_leader"])
    page = client.get(reverse("tasks:visits"), {"as_of": "2026-05-10"}).content.decode()
    assert "乙公司" in page and "用地紧张" in page


def test_a_visit_cannot_be_logged_in_the_future(region_tree, users):
    from portal.exceptions import ServiceError

    enterprise = EnterpriseFactory(region=region_tree["shapotou"])
    with pytest.raises(ServiceError, match="走访日期不能晚于今天"):
        services.log_visit(actor=users["zw_staff"], enterprise=enterprise, visited_on=datetime.date(2999, 1, 1))
