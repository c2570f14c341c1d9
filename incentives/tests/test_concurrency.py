"""Two workers at once never owe or pay anything twice (real threads, separate PostgreSQL connections)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from enterprises.tests.factories import EnterpriseFactory
from incentives import services
from incentives.models import Entitlement, EntitlementShare, Payment, ShareStatus
from incentives.tests.conftest import day
from portal.exceptions import ServiceError
from tiers.models import Recognition, Tier
from tiers.services import grant_recognition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets one writer at a time hold the database, so two connections cannot race on the "
            "insert; CI runs these on PostgreSQL (DATABASE_URL=postgres://…)."
        )


def run_at_once(*bodies) -> list:
    """Run each body in its own thread and connection, released together by a barrier; return results or errors."""
    barrier = threading.Barrier(len(bodies))
    results: list = [None] * len(bodies)

    def runner(position, body):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                results[position] = body()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread raised
            results[position] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(position, body)) for position, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_workers_computing_the_same_recognition_create_one_entitlement_per_rule(reward_rules, regions):
    """Two concurrent computations for one 西宁 高新 recognition leave exactly 10 + 30 万元 owed, with three shares."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    recognition = Recognition.objects.create(
        enterprise=enterprise, tier=Tier.objects.get(code="high-tech"), recognized_on=day(2024), year=2024
    )

    def compute():
        return services.compute_entitlements_for_recognition(recognition_id=recognition.pk)

    results = run_at_once(compute, compute, compute)
    assert not [result for result in results if isinstance(result, Exception)]
    assert sorted(len(result) for result in results) == [0, 0, 2]
    assert sorted(Entitlement.objects.filter(enterprise=enterprise).values_list("amount", flat=True)) == [
        Decimal("10"),
        Decimal("30"),
    ]
    assert EntitlementShare.objects.filter(entitlement__enterprise=enterprise).count() == 3


def test_two_requests_granting_the_same_recognition_owe_it_once(reward_rules, regions):
    """Two staff granting the same 博州 专精特新 at the same moment: one recognition, one 25 万元 entitlement."""
    enterprise = EnterpriseFactory(region=regions["bole"])
    tier = Tier.objects.get(code="srdi-sme")

    def grant_it():
        return grant_recognition(actor=None, enterprise=enterprise, tier=tier, recognized_on=day(2024))

    results = run_at_once(grant_it, grant_it)
    assert not [result for result in results if isinstance(result, Exception)]
    assert sorted(created for _recognition, created in results) == [False, True]
    services.compute_entitlements_for_rules()
    assert list(Entitlement.objects.filter(enterprise=enterprise).values_list("amount", flat=True)) == [Decimal("25")]


def test_two_workers_detecting_the_same_park_owe_it_once(reward_rules, regions):
    """Two nightly recomputes racing over a park with ten enterprises owe it 500 万元 once."""
    tier = Tier.objects.get(code="srdi-sme")
    for number in range(10):
        Recognition.objects.create(
            enterprise=EnterpriseFactory(region=regions["eeds_park"]),
            tier=tier,
            recognized_on=day(2024, 1, number + 1),
            year=2024,
        )

    def recompute():
        return services.compute_entitlements_for_rules()

    results = run_at_once(recompute, recompute)
    assert not [result for result in results if isinstance(result, Exception)]
    assert Entitlement.objects.filter(rule__code="ordos-park-demo").count() == 1
    assert Entitlement.objects.filter(rule__code="ordos-srdi").count() == 10


def test_two_clerks_paying_the_same_share_at_once_pay_it_once(
    reward_rules, regions, django_capture_on_commit_callbacks
):
    """Two payments of the full approved amount at once: one is recorded, the other refused with a message."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    recognition = Recognition.objects.create(
        enterprise=enterprise, tier=Tier.objects.get(code="high-tech"), recognized_on=day(2024), year=2024
    )
    services.compute_entitlements_for_recognition(recognition_id=recognition.pk)
    share = EntitlementShare.objects.get(entitlement__rule__code="xn-high-tech-province")
    services.approve_share(actor=None, share_id=share.pk)

    def pay(voucher):
        return lambda: services.record_payment(
            actor=None, share_id=share.pk, amount=Decimal("10"), paid_on=day(2024, 9), voucher_no=voucher
        )

    results = run_at_once(pay("PZ-A"), pay("PZ-B"))
    errors = [result for result in results if isinstance(result, ServiceError)]
    assert len(errors) == 1
    assert "此份额" in errors[0].message or "This share" in errors[0].message
    assert Payment.objects.filter(share=share).count() == 1
    share.refresh_from_db()
    assert share.status == ShareStatus.PAID and share.paid_amount == Decimal("10")
