"""Revoking a recognition reaches the money at once, not only at the nightly run."""

import pytest

from enterprises.tests.factories import EnterpriseFactory
from incentives.models import EntitlementShare, ShareStatus
from incentives.tests.conftest import day
from tiers.services import revoke_recognition

pytestmark = pytest.mark.django_db


def test_revoking_cancels_the_unpaid_reward_immediately(
    reward_rules, regions, grant, django_capture_on_commit_callbacks
):
    """博州: a 专精特新 recognized in 2024 is owed 25 万元; revoked, its unpaid share is cancelled at once, with the reason."""
    recognition = grant(EnterpriseFactory(region=regions["bole"]), "srdi-sme", day(2024))
    share = EntitlementShare.objects.get(entitlement__recognition=recognition)
    assert share.status == ShareStatus.DUE

    with django_capture_on_commit_callbacks(execute=True):
        revoke_recognition(actor=None, recognition=recognition, reason="复核不合格")

    share.refresh_from_db()
    assert share.status == ShareStatus.CANCELLED
    assert "复核不合格" in share.note
