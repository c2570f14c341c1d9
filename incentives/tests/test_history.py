"""Eligibility read from the enterprise's history, with the documents' numbers.

西宁 宁政办〔2023〕32号 (from 2023-06-16): 升规 ≤ 20 万元 to the county, "不包含已退库再次入库企业";
高企 新认定 30 万元 (市 15 + 县 15); 科技小巨人 再奖励 90 万元 requires 高企.
鄂尔多斯 (from 2022-07-12): 小巨人 150 万元 for "已认定和新认定"; 单项冠军 200 万元 for 新认定.
"""

import datetime
from decimal import Decimal

import pytest

from enterprises import scale_periods
from enterprises.tests.factories import EnterpriseFactory
from incentives import services
from incentives.models import Entitlement, EntitlementShare, RewardEvent, ShareStatus, Trigger
from incentives.tests.conftest import day
from tiers.models import Recognition, Tier

pytestmark = pytest.mark.django_db


def owed(enterprise) -> dict[str, Decimal]:
    return dict(Entitlement.objects.filter(enterprise=enterprise).values_list("rule__code", "amount"))


@pytest.fixture
def enter(django_capture_on_commit_callbacks):
    """Record a 规上 period through the register's service; its after-commit hooks run as a commit would."""

    def _enter(enterprise, entered_on, left_on=None):
        with django_capture_on_commit_callbacks(execute=True):
            return scale_periods.record_above_scale_period(
                actor=None, enterprise=enterprise, entered_on=entered_on, left_on=left_on
            )

    return _enter


def test_a_first_entry_after_the_policy_owes_the_county_20(reward_rules, regions, enter):
    """升规 in 2024 (上年度) is paid in 2025 by the province, to 城东区's government, not to the enterprise."""
    enterprise = EnterpriseFactory(region=regions["chengdong"], name="城东新材料有限公司")
    enter(enterprise, day(2024, 3, 1))
    enterprise.refresh_from_db()
    assert enterprise.is_above_scale
    entitlement = Entitlement.objects.get(rule__code="xn-above-scale-province", enterprise=enterprise)
    assert (entitlement.amount, entitlement.budget_year) == (Decimal("20"), 2025)
    assert entitlement.recipient_name == "城东区人民政府"
    assert not entitlement.is_paid_to_enterprise
    assert [share.payer_name for share in entitlement.shares.all()] == ["青海省财政"]


@pytest.mark.parametrize(
    "earlier",
    [
        (datetime.date(2019, 1, 1), datetime.date(2021, 12, 31)),  # left before the policy began
        (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31)),  # left after it began
    ],
)
def test_re_entry_after_exit_is_not_a_new_above_scale_enterprise(reward_rules, regions, enter, earlier):
    """ "不包含已退库再次入库企业": the 2024 re-entry owes nothing, whatever the date of the earlier period."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    with_earlier_reward = earlier[0] >= datetime.date(2023, 6, 16)
    enter(enterprise, *earlier)
    before = Entitlement.objects.filter(enterprise=enterprise).count()
    assert before == (1 if with_earlier_reward else 0)
    enter(enterprise, day(2024, 9, 1))
    assert Entitlement.objects.filter(enterprise=enterprise).count() == before
    enterprise.refresh_from_db()
    assert enterprise.is_above_scale


def test_re_entry_is_refused_by_every_path_to_the_reward(reward_rules, regions, enter):
    """Neither a 规上 recognition from a roster nor a recorded 升规 event revives the reward after 退库."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    enter(enterprise, datetime.date(2018, 5, 1), datetime.date(2020, 6, 30))
    recognition = Recognition.objects.create(
        enterprise=enterprise, tier=Tier.objects.get(code="above-scale"), recognized_on=day(2024), year=2024
    )
    services.compute_entitlements_for_recognitions(recognition_ids=[recognition.pk])
    services.record_reward_event(actor=None, kind=Trigger.ABOVE_SCALE, enterprise=enterprise, occurred_on=day(2024))
    services.compute_entitlements_for_rules()
    assert owed(enterprise) == {}
    assert RewardEvent.objects.filter(enterprise=enterprise).count() == 1


def test_an_enterprise_above_scale_since_before_the_policy_is_not_new(reward_rules, regions, enter):
    """规上 since 2020 and never left: a 2024 规上 recognition does not make it 新增."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    enter(enterprise, datetime.date(2020, 1, 1))
    recognition = Recognition.objects.create(
        enterprise=enterprise, tier=Tier.objects.get(code="above-scale"), recognized_on=day(2024), year=2024
    )
    services.compute_entitlements_for_recognitions(recognition_ids=[recognition.pk])
    assert owed(enterprise) == {}


def test_the_exit_is_recorded_with_a_version_check_and_overlaps_are_refused(reward_rules, regions, enter):
    from portal.exceptions import ConcurrentEditError, ServiceError

    enterprise = EnterpriseFactory(region=regions["chengdong"])
    period = enter(enterprise, datetime.date(2020, 1, 1))
    with pytest.raises(ServiceError, match="overlaps"):
        enter(enterprise, datetime.date(2022, 1, 1))
    with pytest.raises(ConcurrentEditError):
        scale_periods.record_above_scale_exit(
            actor=None, period=period, left_on=datetime.date(2021, 3, 31), expected_version=period.version + 1
        )
    scale_periods.record_above_scale_exit(
        actor=None, period=period, left_on=datetime.date(2021, 3, 31), expected_version=period.version
    )
    enterprise.refresh_from_db()
    assert not enterprise.is_above_scale


def test_new_recognition_means_never_held_before_whatever_the_date(reward_rules, regions, grant):
    """高企 30 万元 (市级) is for 新认定: a 2024 re-certification of a 2021 高企 is not new; a first one is."""
    renewed = EnterpriseFactory(region=regions["chengdong"])
    grant(renewed, "high-tech", day(2021, 5, 1))
    grant(renewed, "high-tech", day(2024, 5, 1))
    assert owed(renewed) == {}

    revoked_then_again = EnterpriseFactory(region=regions["chengdong"])
    first = grant(revoked_then_again, "high-tech", day(2020, 5, 1))
    Recognition.objects.filter(pk=first.pk).update(status=Recognition.Status.REVOKED, revoked_on=day(2021))
    grant(revoked_then_again, "high-tech", day(2024, 5, 1))
    assert owed(revoked_then_again) == {}

    fresh = EnterpriseFactory(region=regions["chengdong"])
    grant(fresh, "high-tech", day(2024, 5, 1))
    assert owed(fresh) == {"xn-high-tech-province": Decimal("10"), "xn-high-tech-city": Decimal("30")}


def test_existing_and_new_holders_are_owed_once(reward_rules, regions, grant):
    """鄂尔多斯 小巨人 "已认定和新认定": a holder valid on 2022-07-12 is owed 150 once, renewal or not;
    单项冠军 (新认定 only) owes nothing to a champion renewed after a pre-policy recognition."""
    holder = EnterpriseFactory(region=regions["kangbashi"])
    grant(holder, "little-giant", day(2020, 9, 1))
    grant(holder, "little-giant", day(2023, 9, 1))
    entitlement = Entitlement.objects.get(enterprise=holder, rule__code="ordos-little-giant")
    assert (entitlement.amount, entitlement.trigger_date) == (Decimal("150"), datetime.date(2022, 7, 12))
    assert Entitlement.objects.filter(enterprise=holder).count() == 1

    champion = EnterpriseFactory(region=regions["kangbashi"])
    grant(champion, "single-champion", day(2021, 3, 1))
    grant(champion, "single-champion", day(2024, 3, 1))
    assert "ordos-single-champion" not in owed(champion)


@pytest.mark.parametrize("order", [("high-tech", "qh-tech-giant"), ("qh-tech-giant", "high-tech")])
def test_the_90_top_up_follows_whichever_grant_comes_second(reward_rules, regions, grant, order):
    """西宁 科技小巨人 再奖励 90 万元 requires 高企: owed at the second grant, in either order, without a nightly run."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    grant(enterprise, order[0], day(2024, 3, 1))
    assert "xn-tech-giant-province" not in owed(enterprise)
    grant(enterprise, order[1], day(2024, 6, 1))
    assert owed(enterprise)["xn-tech-giant-province"] == Decimal("90")


def test_revoking_the_required_tier_ends_the_dependent_reward(
    reward_rules, regions, grant, django_capture_on_commit_callbacks
):
    """The 90 万元 top-up rests on 高企: revoking the 高企 cancels its unpaid share, with the reason."""
    from tiers.services import revoke_recognition

    enterprise = EnterpriseFactory(region=regions["chengdong"])
    high_tech = grant(enterprise, "high-tech", day(2024, 3, 1))
    grant(enterprise, "qh-tech-giant", day(2024, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        revoke_recognition(actor=None, recognition=high_tech, reason="高企复核不合格")
    top_up = EntitlementShare.objects.get(entitlement__rule__code="xn-tech-giant-province")
    assert top_up.status == ShareStatus.CANCELLED
    assert "高企复核不合格" in top_up.note
    giant_city = EntitlementShare.objects.filter(entitlement__rule__code="xn-tech-giant-city")
    assert {share.status for share in giant_city} == {ShareStatus.DUE}
