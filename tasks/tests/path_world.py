"""A worked example for the way to a target, shared by the computation's tests and the page's."""

import datetime

from django.utils import timezone

from enterprises.tests.factories import EnterpriseFactory
from tasks.models import Target
from tasks.tests.factories import PolicyFactory, TargetFactory
from tiers.applications.models import ApplicationState
from tiers.applications.tests.factories import ApplicationFactory, BatchFactory
from tiers.models import CriteriaSet, EligibilityChange, EligibilityResult, PoolEntry, Verdict
from tiers.tests.factories import RecognitionFactory, TierFactory

AS_OF = datetime.date(2026, 6, 30)


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def build_world(region_tree) -> dict:
    """中卫's 高企 合计 target of 5 by 2027, two holders today, one candidate from each source and some history."""
    zhongwei, shapotou, zhongning = region_tree["zhongwei"], region_tree["shapotou"], region_tree["zhongning"]
    tier = TierFactory(code="high-tech", name="高新技术企业")
    criteria = CriteriaSet.objects.create(tier=tier, code="ht-2016", name="高企认定办法", effective_from="2016-01-01")
    policy = PolicyFactory(region=zhongwei, plan_start=datetime.date(2023, 1, 1))
    target = TargetFactory(policy=policy, region=zhongwei, kind=Target.Kind.TOTAL, value=5, year=2027, tiers=[tier])
    made = {name: EnterpriseFactory(region=shapotou, name=name) for name in ("持有甲", "持有乙", "申报丙", "达标丁")}
    made |= {name: EnterpriseFactory(region=zhongning, name=name) for name in ("差两项戊", "库中己", "差三项庚")}
    made["西宁辛"] = EnterpriseFactory(region=region_tree["xining"], name="西宁辛")
    for name in ("持有甲", "持有乙"):
        RecognitionFactory(enterprise=made[name], tier=tier, recognized_on=datetime.date(2024, 11, 1))
    ApplicationFactory(enterprise=made["申报丙"], batch=BatchFactory(tier=tier), state=ApplicationState.IN_REVIEW)
    results = {
        "达标丁": (Verdict.MEETS, 0),
        "持有乙": (Verdict.MEETS, 0),  # holds the tier already: not a candidate
        "差两项戊": (Verdict.MISSES, 2),
        "差三项庚": (Verdict.MISSES, 3),  # three gaps: too far for the shortlist
        "申报丙": (Verdict.MEETS, 0),  # listed once, under its application
        "西宁辛": (Verdict.MEETS, 0),  # outside the target's region
    }
    for name, (verdict, missing) in results.items():
        EligibilityResult.objects.create(
            enterprise=made[name],
            tier=tier,
            criteria_set=criteria,
            purpose="new",
            evaluated_on=AS_OF,
            computed_at=aware(AS_OF),
            verdict=verdict,
            missing_count=missing,
        )
    PoolEntry.objects.create(
        enterprise=made["库中己"],
        tier=tier,
        region=zhongning,
        origin="manual",
        reason="重点培育",
        entered_at=aware(AS_OF),
    )
    return {"target": target, "tier": tier, "criteria": criteria, "made": made, "zhongning": zhongning}


def add_history(world) -> None:
    """Two years ago: two pool entries (one recognized within the year), four decided applications (three granted),
    and one enterprise newly eligible that was recognized eleven months later."""
    tier, zhongning = world["tier"], world["zhongning"]
    entered = datetime.date(2024, 3, 1)
    for name, recognized in (("往年库一", datetime.date(2024, 11, 20)), ("往年库二", None)):
        enterprise = EnterpriseFactory(region=zhongning, name=name)
        PoolEntry.objects.create(
            enterprise=enterprise,
            tier=tier,
            region=zhongning,
            origin="manual",
            reason="往年",
            entered_at=aware(entered),
            left_at=aware(datetime.date(2025, 3, 1)),
        )
        if recognized:
            RecognitionFactory(enterprise=enterprise, tier=tier, recognized_on=recognized)
    for state in (ApplicationState.GRANTED,) * 3 + (ApplicationState.NOT_GRANTED,):
        ApplicationFactory(
            enterprise=EnterpriseFactory(region=zhongning),
            batch=BatchFactory(tier=tier),
            state=state,
            decided_on=datetime.date(2025, 11, 1),
        )
    eligible = EnterpriseFactory(region=zhongning, name="往年达标")
    EligibilityChange.objects.create(
        enterprise=eligible,
        tier=tier,
        criteria_set=world["criteria"],
        at=aware(datetime.date(2024, 5, 1)),
        to_verdict=Verdict.MEETS,
    )
    RecognitionFactory(enterprise=eligible, tier=tier, recognized_on=datetime.date(2025, 4, 1))
