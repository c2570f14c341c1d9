"""The payment workflow of a funder's share: approve, pay, tranches, caps, holds, audit."""

from decimal import Decimal

import pytest

from enterprises.tests.factories import EnterpriseFactory
from incentives import services
from incentives.models import EntitlementShare, Payment, RewardRule, ShareStatus
from incentives.tests.conftest import day
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_share(reward_rules, regions, grant):
    """The 青海 share (10 万元) of a 西宁 高新技术企业 recognised in 2024."""
    grant(EnterpriseFactory(region=regions["chengdong"]), "high-tech", day(2024))
    return EntitlementShare.objects.get(entitlement__rule__code="xn-high-tech-province")


def test_due_approved_paid_with_voucher(province_share, finance_users):
    """A share is approved, then paid with voucher, date and amount; each step is audited."""
    actor = finance_users["qh_finance"]
    services.approve_share(actor=actor, share_id=province_share.pk, note="2024年第一批")
    payment = services.record_payment(
        actor=actor, share_id=province_share.pk, amount=Decimal("10"), paid_on=day(2024, 10), voucher_no="QH-2024-001"
    )
    share = EntitlementShare.objects.get(pk=province_share.pk)
    assert (share.status, share.approved_amount, share.paid_amount) == (ShareStatus.PAID, Decimal("10"), Decimal("10"))
    assert payment.voucher_no == "QH-2024-001" and payment.tranche == 1
    events = AuditEvent.objects.filter(object_type="incentives.entitlementshare", object_id=str(share.pk))
    assert [event.changes["status"] for event in events.order_by("at", "pk")] == [
        ["due", "approved"],
        ["approved", "paid"],
    ]
    assert events.filter(actor=actor).count() == 2


def test_partial_payments_until_paid(province_share):
    """Two payments of 4 and 6 万元 settle a 10 万元 share; a third is refused with the amount left."""
    services.approve_share(actor=None, share_id=province_share.pk)
    services.record_payment(
        actor=None, share_id=province_share.pk, amount=Decimal("4"), paid_on=day(2024, 9), voucher_no="A"
    )
    assert EntitlementShare.objects.get(pk=province_share.pk).status == ShareStatus.PARTIALLY_PAID
    services.record_payment(
        actor=None, share_id=province_share.pk, amount=Decimal("6"), paid_on=day(2024, 10), voucher_no="B"
    )
    assert EntitlementShare.objects.get(pk=province_share.pk).status == ShareStatus.PAID
    with pytest.raises(ServiceError, match="not possible now"):
        services.record_payment(
            actor=None, share_id=province_share.pk, amount=Decimal("1"), paid_on=day(2024, 10), voucher_no="C"
        )


def test_paying_more_than_approved_or_the_same_voucher_twice_is_refused(province_share):
    services.approve_share(actor=None, share_id=province_share.pk)
    with pytest.raises(ServiceError, match="at most the approved, unpaid 10"):
        services.record_payment(
            actor=None, share_id=province_share.pk, amount=Decimal("11"), paid_on=day(2024, 9), voucher_no="A"
        )
    services.record_payment(
        actor=None, share_id=province_share.pk, amount=Decimal("3"), paid_on=day(2024, 9), voucher_no="A"
    )
    with pytest.raises(ServiceError, match="Voucher A is already recorded"):
        services.record_payment(
            actor=None, share_id=province_share.pk, amount=Decimal("3"), paid_on=day(2024, 9), voucher_no="A"
        )
    assert Payment.objects.count() == 1


def test_tranches_pay_half_first_and_the_rest_after_the_performance_check(reward_rules, regions, grant):
    """A rule with tranches [50, 50] (the national 小巨人 fund): each approval releases one half, the second on a recorded condition."""
    RewardRule.objects.filter(code="xn-little-giant-province").update(tranche_percents=[50, 50])
    grant(EnterpriseFactory(region=regions["chengdong"]), "little-giant", day(2024))
    share = EntitlementShare.objects.get(entitlement__rule__code="xn-little-giant-province")
    services.approve_share(actor=None, share_id=share.pk)
    share.refresh_from_db()
    assert share.approved_amount == Decimal("50")
    with pytest.raises(ServiceError):
        services.record_payment(
            actor=None, share_id=share.pk, amount=Decimal("100"), paid_on=day(2024, 9), voucher_no="T1"
        )
    services.record_payment(actor=None, share_id=share.pk, amount=Decimal("50"), paid_on=day(2024, 9), voucher_no="T1")
    share.refresh_from_db()
    assert share.status == ShareStatus.PARTIALLY_PAID
    with pytest.raises(ServiceError, match="Tranche 2 is released only on a recorded condition"):
        services.approve_share(actor=None, share_id=share.pk)
    services.approve_share(actor=None, share_id=share.pk, condition="绩效评价合格")
    assert AuditEvent.objects.filter(object_id=str(share.pk), note__contains="绩效评价合格").exists()
    second = services.record_payment(
        actor=None, share_id=share.pk, amount=Decimal("50"), paid_on=day(2025, 9), voucher_no="T2"
    )
    share.refresh_from_db()
    assert (share.status, second.tranche) == (ShareStatus.PAID, 2)


def test_a_capped_reward_can_be_decided_below_the_cap_but_a_fixed_one_cannot(
    province_share, reward_rules, regions, grant
):
    """ "不高于50万元": the funder records 40 at the first approval; the fixed 高新 10 万元 cannot be lowered."""
    with pytest.raises(ServiceError, match="不高于"):
        services.approve_share(actor=None, share_id=province_share.pk, decided_amount=Decimal("5"))
    grant(EnterpriseFactory(region=regions["chengdong"]), "srdi-sme", day(2024))
    capped = EntitlementShare.objects.get(entitlement__rule__code="xn-srdi-province")
    with pytest.raises(ServiceError, match="at most 50"):
        services.approve_share(actor=None, share_id=capped.pk, decided_amount=Decimal("60"))
    services.approve_share(actor=None, share_id=capped.pk, decided_amount=Decimal("40"))
    capped.refresh_from_db()
    assert (capped.amount, capped.approved_amount) == (Decimal("40"), Decimal("40"))


def test_hold_and_release(province_share):
    """A held share can be neither approved nor paid; releasing it restores the earlier status."""
    services.approve_share(actor=None, share_id=province_share.pk)
    with pytest.raises(ServiceError, match="reason"):
        services.hold_share(actor=None, share_id=province_share.pk, reason=" ")
    services.hold_share(actor=None, share_id=province_share.pk, reason="材料待核实")
    with pytest.raises(ServiceError, match="On hold"):
        services.record_payment(
            actor=None, share_id=province_share.pk, amount=Decimal("1"), paid_on=day(2024, 9), voucher_no="H"
        )
    services.release_share(actor=None, share_id=province_share.pk)
    assert EntitlementShare.objects.get(pk=province_share.pk).status == ShareStatus.APPROVED


def test_a_stale_form_is_refused(province_share):
    """Approving with the version read before someone else's change raises a conflict."""
    version = province_share.version
    services.hold_share(actor=None, share_id=province_share.pk, reason="暂缓")
    services.release_share(actor=None, share_id=province_share.pk)
    with pytest.raises(ConcurrentEditError):
        services.approve_share(actor=None, share_id=province_share.pk, expected_version=version)
