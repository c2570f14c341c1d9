"""Entitlements computed by hand from each document."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import AnnualIndicator
from enterprises.tests.factories import EnterpriseFactory
from incentives import services
from incentives.models import Entitlement, EntitlementShare, RewardRule, Trigger
from incentives.rules import RULES
from incentives.tests.conftest import day
from portal.exceptions import ServiceError
from tiers.models import Recognition

pytestmark = pytest.mark.django_db


def owed(enterprise) -> dict[str, Decimal]:
    return {e.rule.code: e.amount for e in Entitlement.objects.filter(enterprise=enterprise).select_related("rule")}


def shares_of(entitlement) -> dict[str, Decimal]:
    return {share.funder_region.name: share.amount for share in entitlement.shares.select_related("funder_region")}


def test_every_rule_of_the_documents_is_loaded_and_tied_to_its_article(reward_rules):
    """All rules load; each cites its policy and the measure it comes from; wordless ones are non-monetary."""
    assert reward_rules == {"reward_rules": len(RULES), "reward_rules_skipped": 0}
    for rule in RewardRule.objects.select_related("policy", "measure"):
        assert rule.measure is not None, rule.code
        assert rule.measure.number == rule.article
        assert rule.citation.startswith("依据《")
    ordos = RewardRule.objects.get(code="ordos-srdi")
    assert "五企" in ordos.measure.text  # the （三） of 重点任务, not another section's （三）
    assert ordos.citation.endswith("（三）")
    assert RewardRule.objects.get(code="xn-high-tech-city").citation.endswith("（宁政办〔2023〕32号）第3条")
    non_monetary = set(RewardRule.objects.filter(is_monetary=False).values_list("code", flat=True))
    assert {
        "ningxia-srdi-sme-support",
        "xn-revenue-milestone",
        "zhongwei-srdi-support",
        "bozhou-county-match",
    } <= non_monetary
    assert not RewardRule.objects.filter(is_monetary=True, amount__isnull=True, percentage__isnull=True).exists()


def test_loading_the_rules_twice_changes_nothing(reward_rules):
    """The loader is idempotent: same rules, same funders."""
    from incentives.services.rule_loader import load_reward_rules

    funders_before = sorted(RewardRule.objects.values_list("code", "funders__level", "funders__percent"))
    load_reward_rules()
    assert RewardRule.objects.count() == len(RULES)
    assert sorted(RewardRule.objects.values_list("code", "funders__level", "funders__percent")) == funders_before


def test_ordos_existing_srdi_holder_is_owed_100_but_existing_city_srdi_holder_nothing(reward_rules, regions, grant):
    """鄂尔多斯（三）: 自治区级专精特新 "已认定和新认定" → 100 万元; 市级专精特新 only "新认定" → 0."""
    before_policy = day(2021, 9, 1)  # policy issued 2022-07-12; a 3-year recognition still valid then
    srdi_holder = EnterpriseFactory(region=regions["kangbashi"])
    city_holder = EnterpriseFactory(region=regions["kangbashi"])
    grant(srdi_holder, "srdi-sme", before_policy)
    grant(city_holder, "eeds-city-srdi", before_policy)

    assert owed(srdi_holder) == {"ordos-srdi": Decimal("100")}
    assert owed(city_holder) == {}
    entitlement = Entitlement.objects.get(enterprise=srdi_holder)
    assert entitlement.basis.startswith("依据《鄂尔多斯市关于加快推动“专精特新”中小企业高质量发展的实施意见》（三）")
    assert entitlement.trigger_date == datetime.date(2022, 7, 12)
    assert entitlement.budget_year == 2022
    assert shares_of(entitlement) == {"鄂尔多斯市": Decimal("100")}


def test_ordos_new_city_srdi_is_owed_20_and_expired_old_srdi_nothing(reward_rules, regions, grant):
    """A 市级专精特新 recognised after the policy date is owed 20; a 自治区级 one expired before it, nothing."""
    new_city = EnterpriseFactory(region=regions["kangbashi"])
    grant(new_city, "eeds-city-srdi", day(2023))
    expired = EnterpriseFactory(region=regions["kangbashi"])
    grant(expired, "srdi-sme", day(2018))  # valid until 2021-05-31
    assert owed(new_city) == {"ordos-city-srdi": Decimal("20")}
    assert owed(expired) == {}


def test_ordos_rules_do_not_reach_enterprises_of_other_cities(reward_rules, regions, grant):
    """A 小巨人 in 西宁 is owed under 西宁's rules, never 鄂尔多斯's 150."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    grant(enterprise, "little-giant", day(2024))
    assert "ordos-little-giant" not in owed(enterprise)
    assert owed(enterprise) == {"xn-little-giant-province": Decimal("100"), "xn-little-giant-city": Decimal("50")}


def test_bozhou_window_2023_to_2025(reward_rules, regions, grant):
    """博州 measure 2: a 小巨人 recognised in 2022 is owed nothing; a 专精特新 recognised in 2024 is owed 25 万元."""
    giant = EnterpriseFactory(region=regions["bole"])
    grant(giant, "little-giant", day(2022))
    srdi = EnterpriseFactory(region=regions["bole"])
    grant(srdi, "srdi-sme", day(2024))
    late = EnterpriseFactory(region=regions["bole"])
    grant(late, "little-giant", datetime.date(2023, 1, 1))  # before the 2023-11-17 notice, inside the window
    assert owed(giant) == {}
    assert owed(srdi) == {"bozhou-srdi": Decimal("25")}
    assert owed(late) == {"bozhou-little-giant": Decimal("100")}
    assert shares_of(Entitlement.objects.get(enterprise=srdi)) == {"博尔塔拉蒙古自治州": Decimal("25")}


def test_xining_new_high_tech_is_owed_10_provincial_and_30_city_split_with_the_county(reward_rules, regions, grant):
    """西宁 measure 3: 10 万元 from the province; 30 万元 市级, 15 from the city and 15 from the county."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    grant(enterprise, "high-tech", day(2024))
    assert owed(enterprise) == {"xn-high-tech-province": Decimal("10"), "xn-high-tech-city": Decimal("30")}
    province = Entitlement.objects.get(enterprise=enterprise, rule__code="xn-high-tech-province")
    city = Entitlement.objects.get(enterprise=enterprise, rule__code="xn-high-tech-city")
    assert shares_of(province) == {"青海省": Decimal("10")}
    assert shares_of(city) == {"西宁市": Decimal("15"), "城东区": Decimal("15")}
    assert "第3条" in city.basis


def test_xining_county_share_of_a_park_enterprise_goes_to_the_park(reward_rules, regions, grant):
    """The "县(区)或园区" half is paid by the park an enterprise sits in."""
    enterprise = EnterpriseFactory(region=regions["xn_park"])
    grant(enterprise, "high-tech", day(2024))
    city = Entitlement.objects.get(enterprise=enterprise, rule__code="xn-high-tech-city")
    assert shares_of(city) == {"西宁市": Decimal("15"), "西宁经济技术开发区": Decimal("15")}


def test_xining_high_tech_before_the_policy_is_owed_nothing(reward_rules, regions, grant):
    """ "新认定": a 高新技术企业 recognised before 2023-06-16 gets no reward under 宁政办〔2023〕32号."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    grant(enterprise, "high-tech", datetime.date(2023, 6, 15))
    assert owed(enterprise) == {}


def test_xining_tech_giant_top_up_needs_high_tech(reward_rules, regions, grant):
    """ "对高新技术企业中认定为省级科技小巨人的企业，再奖励90万元": only with a 高新 recognition; 市级 40 either way."""
    with_high_tech = EnterpriseFactory(region=regions["chengdong"])
    grant(with_high_tech, "high-tech", day(2023, 9))
    grant(with_high_tech, "qh-tech-giant", day(2024))
    without = EnterpriseFactory(region=regions["chengdong"])
    grant(without, "qh-tech-giant", day(2024))
    assert owed(with_high_tech) == {
        "xn-high-tech-province": Decimal("10"),
        "xn-high-tech-city": Decimal("30"),
        "xn-tech-giant-province": Decimal("90"),
        "xn-tech-giant-city": Decimal("40"),
    }
    assert owed(without) == {"xn-tech-giant-city": Decimal("40")}


def test_xining_caps_are_owed_at_the_cap_and_marked(reward_rules, regions, grant):
    """ "不高于20万元、50万元": owed at the cap, flagged as an upper bound."""
    enterprise = EnterpriseFactory(region=regions["chengzhong"])
    grant(enterprise, "srdi-sme", day(2024))
    entitlements = {e.rule.code: e for e in Entitlement.objects.filter(enterprise=enterprise).select_related("rule")}
    assert {code: e.amount for code, e in entitlements.items()} == {
        "xn-srdi-province": Decimal("50"),
        "xn-srdi-city": Decimal("20"),
    }
    assert all(e.is_capped for e in entitlements.values())
    assert entitlements["xn-srdi-province"].calculation == "不高于 50 万元"


def test_granting_the_same_recognition_twice_adds_no_second_entitlement(reward_rules, regions, grant):
    """Granting twice and recomputing by recognition and by rule leave one entitlement per rule."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    recognition = grant(enterprise, "high-tech", day(2024))
    grant(enterprise, "high-tech", day(2024))
    services.compute_entitlements_for_recognition(recognition_id=recognition.pk)
    assert services.compute_entitlements_for_rules() == 0
    assert Entitlement.objects.filter(enterprise=enterprise).count() == 2
    assert EntitlementShare.objects.filter(entitlement__enterprise=enterprise).count() == 3


def test_a_renewed_recognition_is_not_rewarded_again(reward_rules, regions, grant):
    """高新技术企业 renewed after three years is a new recognition row, but the one-time reward is not paid twice."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    grant(enterprise, "high-tech", day(2023, 9))
    grant(enterprise, "high-tech", day(2026, 9)) if day(2026, 9) <= datetime.date.today() else None
    assert Entitlement.objects.filter(enterprise=enterprise, rule__code="xn-high-tech-city").count() == 1


def test_the_database_refuses_a_duplicate_entitlement(reward_rules, regions, grant):
    """The unique constraint, not only the code, stops a second row for the same recognition and rule."""
    from django.db import IntegrityError, transaction

    enterprise = EnterpriseFactory(region=regions["chengdong"])
    recognition = grant(enterprise, "high-tech", day(2024))
    existing = Entitlement.objects.get(recognition=recognition, rule__code="xn-high-tech-province")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entitlement.objects.create(
            rule=existing.rule,
            recognition=recognition,
            enterprise=enterprise,
            beneficiary_region=existing.beneficiary_region,
            trigger_date=existing.trigger_date,
            budget_year=2024,
            amount=Decimal("10"),
            basis="x",
            calculation="x",
        )


def test_a_rule_added_later_owes_existing_holders_where_it_says_so(reward_rules, regions, grant):
    """Adding (re-activating) a rule computes what the recognitions already on record are owed."""
    RewardRule.objects.filter(code="ordos-little-giant").update(is_active=False)
    enterprise = EnterpriseFactory(region=regions["kangbashi"])
    grant(enterprise, "little-giant", day(2021))
    assert owed(enterprise) == {}
    RewardRule.objects.filter(code="ordos-little-giant").update(is_active=True)
    assert services.compute_entitlements_for_rules(rule_ids=[RewardRule.objects.get(code="ordos-little-giant").pk]) == 1
    assert owed(enterprise) == {"ordos-little-giant": Decimal("150")}


def test_park_reaching_ten_regional_srdi_enterprises_is_owed_500(reward_rules, regions, grant):
    """鄂尔多斯（六）: the tenth 自治区级专精特新 in a park owes the park 500 万元, once."""
    park = regions["eeds_park"]
    for number in range(9):
        grant(EnterpriseFactory(region=park), "srdi-sme", day(2024, 1, number + 1))
    assert not Entitlement.objects.filter(rule__code="ordos-park-demo").exists()
    grant(EnterpriseFactory(region=regions["kangbashi"]), "srdi-sme", day(2024, 2, 1))  # not in the park
    grant(EnterpriseFactory(region=park), "srdi-sme", day(2024, 3, 1))
    grant(EnterpriseFactory(region=park), "srdi-sme", day(2024, 4, 1))
    services.compute_entitlements_for_rules()
    park_award = Entitlement.objects.get(rule__code="ordos-park-demo")
    assert park_award.beneficiary_region == park
    assert park_award.enterprise is None
    assert park_award.amount == Decimal("500")
    assert park_award.trigger_date == datetime.date(2024, 3, 1)
    assert park_award.calculation == "500 万元（园区内 10 家专精特新中小企业）"
    assert shares_of(park_award) == {"鄂尔多斯市": Decimal("500")}


def test_xining_above_scale_reward_goes_to_the_county_the_following_year(reward_rules, regions, grant):
    """西宁 measure 1: 升规 owes the county (not the enterprise) 不高于20 万元 from the province, paid next year; once."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    grant(enterprise, "above-scale", day(2024, 3))
    services.record_reward_event(actor=None, kind=Trigger.ABOVE_SCALE, enterprise=enterprise, occurred_on=day(2024, 4))
    entitlement = Entitlement.objects.get(rule__code="xn-above-scale-province")
    assert entitlement.beneficiary_region == regions["chengdong"]
    assert entitlement.amount == Decimal("20") and entitlement.is_capped
    assert entitlement.budget_year == 2025
    assert shares_of(entitlement) == {"青海省": Decimal("20")}


def test_top_list_platform_and_project_events(reward_rules, regions):
    """西宁 measure 2 (500强), 鄂尔多斯（十四） (yearly platform award), 西宁 measure 3 (20% of a project, 8:2, max 200)."""
    xn = EnterpriseFactory(region=regions["chengdong"])
    _event, created = services.record_reward_event(
        actor=None, kind=Trigger.TOP_LIST, event_code="china-500", enterprise=xn, occurred_on=day(2024)
    )
    assert [e.amount for e in created] == [Decimal("400")]

    platform = EnterpriseFactory(region=regions["kangbashi"])
    for year in (2023, 2024, 2024):
        services.record_reward_event(
            actor=None, kind=Trigger.PLATFORM_AWARD, enterprise=platform, occurred_on=day(year)
        )
    assert sorted(Entitlement.objects.filter(enterprise=platform).values_list("budget_year", "amount")) == [
        (2023, Decimal("20")),
        (2024, Decimal("20")),
    ]

    for year in (2021, 2022, 2023):  # 三年累计缴税总额 300 万元: above both amounts, so it does not bite
        AnnualIndicator.objects.create(enterprise=xn, year=year, tax_paid=Decimal("100"))
    _event, (small,) = services.record_reward_event(
        actor=None, kind=Trigger.PROJECT_SHARE, enterprise=xn, occurred_on=day(2024), base_amount=Decimal("300")
    )
    assert small.amount == Decimal("60")
    assert shares_of(small) == {"青海省": Decimal("48"), "西宁市": Decimal("12")}
    _event, (big,) = services.record_reward_event(
        actor=None, kind=Trigger.PROJECT_SHARE, enterprise=xn, occurred_on=day(2024), base_amount=Decimal("1500")
    )
    assert big.amount == Decimal("200")
    assert big.calculation == (
        "1500 × 20% = 300 万元，最高 200 万元；不高于3年累计纳税总额：2021年 100 + 2022年 100 + 2023年 100 = 300 万元"
    )


def test_upgrade_rules_pay_the_full_amount_unless_a_rule_says_difference(reward_rules, regions, grant):
    """No document says "补差", so an upgrade pays in full; a rule set to "difference" subtracts the lower rung."""
    enterprise = EnterpriseFactory(region=regions["kangbashi"])
    grant(enterprise, "eeds-city-srdi", day(2023))
    grant(enterprise, "srdi-sme", day(2024))
    assert owed(enterprise) == {"ordos-city-srdi": Decimal("20"), "ordos-srdi": Decimal("100")}
    assert not RewardRule.objects.exclude(upgrade_policy=RewardRule.UpgradePolicy.FULL).exists()

    giant_rule = RewardRule.objects.get(code="ordos-little-giant")
    giant_rule.upgrade_policy = RewardRule.UpgradePolicy.DIFFERENCE
    giant_rule.save()
    giant_rule.upgrade_from.set(RewardRule.objects.filter(code__in=["ordos-city-srdi", "ordos-srdi"]))
    grant(enterprise, "little-giant", day(2025))
    giant = Entitlement.objects.get(enterprise=enterprise, rule=giant_rule)
    assert giant.amount == Decimal("30")
    assert giant.calculation == "150 万元 − 已奖励 120 万元（补差）"


@pytest.mark.parametrize("clawback", [False, True])
def test_revocation_cancels_unpaid_shares_and_keeps_or_reclaims_paid_ones(reward_rules, regions, grant, clawback):
    """西宁 高企 (省 10 + 市 15 + 城东区 15): revoked after the city paid its 15 万元.

    Unpaid shares end, cancelled with the revocation as the reason; the paid one stays
    paid with a note, or is flagged 待定追回 where the rule provides a clawback.
    """
    from incentives.models import ShareStatus

    enterprise = EnterpriseFactory(region=regions["chengdong"])
    recognition = grant(enterprise, "high-tech", day(2024))
    RewardRule.objects.filter(code="xn-high-tech-city").update(clawback_on_revocation=clawback)
    city_share = EntitlementShare.objects.get(entitlement__rule__code="xn-high-tech-city", level="city")
    services.approve_share(actor=None, share_id=city_share.pk)
    services.record_payment(
        actor=None, share_id=city_share.pk, amount=Decimal("15"), paid_on=day(2024, 9), voucher_no="PZ-1"
    )
    Recognition.objects.filter(pk=recognition.pk).update(
        status=Recognition.Status.REVOKED, revoked_on=day(2025), revoked_reason="复核不合格"
    )
    assert services.sync_revocations() == 3
    shares = {
        share.funder_region.name: share for share in EntitlementShare.objects.filter(entitlement__enterprise=enterprise)
    }
    assert {name: share.status for name, share in shares.items()} == {
        "青海省": ShareStatus.CANCELLED,
        "西宁市": ShareStatus.CLAWBACK_DUE if clawback else ShareStatus.PAID,
        "城东区": ShareStatus.CANCELLED,
    }
    assert "复核不合格" in shares["城东区"].note and shares["城东区"].note.startswith("Cancelled")
    if not clawback:
        assert "15 万元 already paid stays paid: the rule provides no clawback" in shares["西宁市"].note
    assert services.sync_revocations() == 0
    if clawback:
        with pytest.raises(ServiceError, match="reason for the clawback"):
            services.record_clawback(
                actor=None, share_id=city_share.pk, amount=Decimal("15"), paid_on=day(2025, 2), voucher_no="TH-1"
            )
        services.record_clawback(
            actor=None,
            share_id=city_share.pk,
            amount=Decimal("15"),
            paid_on=day(2025, 2),
            voucher_no="TH-1",
            reason="认定撤销，按规则追回",
        )
        city_share.refresh_from_db()
        assert city_share.status == ShareStatus.CLAWED_BACK
        assert city_share.payments.get(kind="clawback").reason == "认定撤销，按规则追回"


def test_a_whole_roster_of_recognitions_is_owed_with_a_fixed_number_of_queries(reward_rules, regions):
    """A roster import's recognitions reach the rewards in one batch: the queries do not grow with the roster."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiers.models import Tier

    tier = Tier.objects.get(code="high-tech")

    def roster(size: int) -> list[int]:
        return [
            Recognition.objects.create(
                enterprise=EnterpriseFactory(region=regions["chengdong"]),
                tier=tier,
                recognized_on=day(2024),
                year=2024,
                status=Recognition.Status.VALID,
            ).pk
            for _ in range(size)
        ]

    small, large = roster(2), roster(12)
    with CaptureQueriesContext(connection) as few:
        services.compute_entitlements_for_recognitions(recognition_ids=small)
    with CaptureQueriesContext(connection) as many:
        services.compute_entitlements_for_recognitions(recognition_ids=large)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert Entitlement.objects.filter(recognition_id__in=large).count() == 12 * 2
    assert EntitlementShare.objects.filter(entitlement__recognition_id__in=large).count() == 12 * 3
