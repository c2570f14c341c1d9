"""Reward rules are listed for the reader's own chain of jurisdictions, with a filter to see the others."""

import pytest
from django.urls import reverse

from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_user(regions):
    return UserFactory(username="t_cd_staff", role="staff", region=regions["chengdong"])


def test_a_county_user_sees_only_their_chains_reward_rules_on_the_page(client, reward_rules, county_user):
    client.force_login(county_user)
    rules = list(client.get(reverse("incentives:rules")).context["rules"])
    assert rules and {rule.policy.region.name for rule in rules} == {"西宁市"}
    every = list(client.get(reverse("incentives:rules"), {"scope": "all"}).context["rules"])
    assert {"西宁市", "鄂尔多斯市", "博尔塔拉蒙古自治州"} <= {rule.policy.region.name for rule in every}


def test_a_county_user_sees_only_their_chains_reward_rules_through_the_api(client, reward_rules, county_user):
    client.force_login(county_user)
    mine = client.get("/api/v1/incentives/rules/", {"page_size": 500}).json()["results"]
    every = client.get("/api/v1/incentives/rules/", {"scope": "all", "page_size": 500}).json()["results"]
    assert 0 < len(mine) < len(every)
    codes = {row["code"] for row in mine}
    assert all(code.startswith("xn") for code in codes), codes
