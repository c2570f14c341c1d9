"""The nightly recompute: a durable job that owes what was missed and applies revocations made elsewhere."""

from decimal import Decimal

import pytest

from enterprises.tests.factories import EnterpriseFactory
from incentives import jobs
from incentives.models import Entitlement, EntitlementShare, ShareStatus
from incentives.tests.conftest import day
from portal.models import Job
from tiers.models import Recognition, Tier

pytestmark = pytest.mark.django_db


def test_recompute_job_owes_missed_recognitions_and_cancels_revoked_ones(reward_rules, regions):
    """A recognition written without hooks is owed by the job; a revoked one's unpaid shares are cancelled; twice is harmless."""
    missed = Recognition.objects.create(
        enterprise=EnterpriseFactory(region=regions["bole"]),
        tier=Tier.objects.get(code="srdi-sme"),
        recognized_on=day(2024),
        year=2024,
    )
    job = Job.objects.create(kind="incentives.jobs.recompute_entitlements")
    jobs.recompute_entitlements(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"entitlements_created": 1, "shares_changed_by_revocation": 0}
    assert Entitlement.objects.get(recognition=missed).amount == Decimal("25")

    Recognition.objects.filter(pk=missed.pk).update(status=Recognition.Status.REVOKED)
    again = Job.objects.create(kind="incentives.jobs.recompute_entitlements")
    jobs.recompute_entitlements(again.pk)
    again.refresh_from_db()
    assert again.result == {"entitlements_created": 0, "shares_changed_by_revocation": 1}
    assert EntitlementShare.objects.get(entitlement__recognition=missed).status == ShareStatus.CANCELLED
