"""Every API error's `fields` is a mapping of field to a list of sentences, as the schema documents."""

import pytest
from rest_framework.test import APIClient

from portal.api.exceptions import _messages
from tiers.models import Tier


def test_errors_of_list_items_and_mapping_keys_are_flattened_naming_where_they_are():
    assert _messages({"0": ["提交的是空文件。"], "3": ["提交的是空文件。"]}) == [
        "0: 提交的是空文件。",
        "3: 提交的是空文件。",
    ]
    assert _messages(["请填写合法的数字。"]) == ["请填写合法的数字。"]
    assert _messages({"市": {"比例": ["请填写合法的数字。"]}}) == ["市: 比例: 请填写合法的数字。"]


@pytest.mark.django_db
def test_a_draft_comparison_for_a_tier_without_criteria_is_not_found(users):
    """Found by schemathesis: a tier with no criteria set answered 500."""
    tier = Tier.objects.create(code="no-criteria", name="无标准层级", level="city")
    client = APIClient()
    client.force_authenticate(users["admin"])
    response = client.post(f"/api/v1/tiers/{tier.code}/comparison/draft/", {"thresholds": {}}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
