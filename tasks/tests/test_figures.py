"""Every target figure rule, with worked examples from the five documents (loaded as the loader loads them).

As of 2026-12-07, the day the leaders tried the portal.
"""

import datetime
from decimal import Decimal

import pytest

from enterprises.tests.factories import EnterpriseFactory
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, Region
from portal.tests.factories import UserFactory
from tasks import services
from tasks.figures import target_figures
from tasks.models import Inference, Measure, MeasureUnit, Policy, Target, TargetConflict
from tasks.policies import load_policies
from tasks.tests.factories import TargetFactory
from tiers.models import Tier
from tiers.tests.factories import RecognitionFactory

AS_OF = datetime.date(2026, 12, 7)
D = datetime.date


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def grant(where, tier_code: str, start, until, enterprise=None, **extra):
    """A recognition of `tier_code` from `start` to `until` for a (new) enterprise of region code `where`."""
    enterprise = enterprise or EnterpriseFactory(region=region(where))
    RecognitionFactory(
        enterprise=enterprise,
        tier=Tier.objects.get(code=tier_code),
        recognized_on=start,
        year=start.year,
        valid_until=until,
        **extra,
    )
    return enterprise


def figure(key: str, as_of=AS_OF, detail=False):
    target = Target.objects.select_related("region", "policy", "measure").prefetch_related("tiers").get(key=key)
    return target_figures([target], as_of=as_of, detail=detail)[target.pk]


def cover(*codes: str) -> None:
    """The register holds an enterprise in each region: its roster has been imported."""
    for code in codes:
        EnterpriseFactory(region=region(code))


# --- 新增: renewals are not new ------------------------------------------------------------------


def test_zhongwei_task_1_again_by_2027_does_not_count_renewals(loaded):
    """“2027 年再培育科技型中小企业 40 家” counts from 2025-12-31.

    Three enterprises held 科技型中小企业 in 2025 and were re-assessed in 2026: renewals, not new.
    Two are recognised for the first time in 2026, and one that lapsed in 2024 is recognised again: three new.
    """
    renewed = []
    for _ in range(3):
        enterprise = grant("640502", "tech-sme", D(2025, 4, 1), D(2025, 12, 31))
        grant("640502", "tech-sme", D(2026, 4, 1), D(2026, 12, 31), enterprise=enterprise)
        renewed.append(enterprise.pk)
    for _ in range(2):
        grant("640521", "tech-sme", D(2026, 5, 1), D(2026, 12, 31))
    lapsed = grant("640500", "tech-sme", D(2024, 4, 1), D(2024, 12, 31))
    grant("640500", "tech-sme", D(2026, 6, 1), D(2026, 12, 31), enterprise=lapsed)

    again = figure("zw-1-2027-again", detail=True)
    assert (again.basis, again.basis_label, again.start) == ("new", "新增", D(2025, 12, 31))
    assert again.current == 3 and again.value == 40
    assert lapsed.pk in again.counted_ids
    held = {item.enterprise_id: item for item in again.excluded if item.code == "held_at_start"}
    assert set(held) == set(renewed)
    assert "续期" in held[renewed[0]].reason and "不算新增" in held[renewed[0]].reason
    total = figure("zw-1-2027-total")
    assert (total.basis_label, total.current) == ("合计", 6)


def test_a_higher_rung_is_new_for_its_own_target_but_not_for_a_target_spanning_the_ladder(loaded):
    """Held 专精特新中小企业 since 2022, granted 小巨人 in 2024: new for 小巨人, not new for 专精特新 (both rungs)."""
    enterprise = grant("640502", "srdi-sme", D(2022, 3, 1), D(2028, 2, 28))
    grant("640502", "little-giant", D(2024, 7, 1), D(2027, 6, 30), enterprise=enterprise)
    zhongwei = region("640500")
    policy = Target.objects.get(key="zw-11-2027-new").policy
    spanning = TargetFactory(
        policy=policy, region=zhongwei, kind=Target.Kind.NEW, year=2027, value=5, key="span-srdi",
        tiers=list(Tier.objects.filter(code__in=("srdi-sme", "little-giant"))),
    )  # fmt: skip
    giant = TargetFactory(
        policy=policy, region=zhongwei, kind=Target.Kind.NEW, year=2027, value=5, key="only-giant",
        tiers=[Tier.objects.get(code="little-giant")],
    )  # fmt: skip
    assert figure(giant.key).current == 1
    assert figure(spanning.key).current == 0


def test_an_enterprise_that_moved_county_counts_where_it_is_now_and_is_never_new(loaded):
    """Recognised in 2022 while in 中宁县, registered in 沙坡头区 since: 沙坡头区 holds it on every date."""
    enterprise = grant("640521", "high-tech", D(2022, 5, 1), D(2028, 4, 30))
    enterprise.region = region("640502")
    enterprise.save()
    new = figure("zw-2-2027-again")
    assert enterprise.pk not in new.counted_ids
    total = figure("zw-2-2027-total", as_of=D(2024, 1, 1))
    assert dict((r.name, n) for r, n in total.breakdown)["沙坡头区"] == 1


# --- 合计 on a date, deadlines frozen ------------------------------------------------------------


def test_a_past_as_of_date_gives_the_past_figure_even_after_expiry_or_revocation(loaded):
    grant("640502", "high-tech", D(2022, 1, 1), D(2024, 12, 31))  # expired since
    grant("640502", "high-tech", D(2023, 1, 1), D(2025, 12, 31), status="revoked", revoked_on=D(2025, 3, 1))
    grant("640502", "high-tech", D(2023, 6, 1), D(2026, 5, 31))
    assert figure("zw-2-2027-total", as_of=D(2024, 6, 30)).baseline.register_reading == 3
    assert figure("zw-2-2027-total", as_of=D(2025, 6, 30)).baseline.register_reading == 1
    assert figure("zw-2-2027-total", as_of=AS_OF).baseline.register_reading == 0


def test_a_2025_target_is_final_at_2025_12_31_and_today_is_only_beside_it(loaded):
    """“到 2025 年，新增国家高新技术企业 9 家”: 8 new by 2025-12-31 is final (未达标), whatever 2026 brings."""
    for month in range(1, 9):
        grant("640502", "high-tech", D(2024, month, 1), D(2027, month, 1))
    revoked = grant("640502", "high-tech", D(2025, 2, 1), D(2028, 1, 31), status="revoked", revoked_on=D(2026, 6, 1))
    for month in range(3, 5):
        grant("640521", "high-tech", D(2026, month, 1), D(2029, month, 1))
    result = figure("zw-2-2025-new")
    assert result.final and result.measured_on == D(2025, 12, 31)
    assert result.current == 9 and revoked.pk in result.counted_ids
    assert (result.status, result.status_label) == ("achieved", "达标")
    assert result.current_today == 10  # 8 + 2 granted in 2026; the revoked one is gone today
    grant("640502", "high-tech", D(2025, 3, 1), D(2025, 12, 30))  # ended the day before the deadline
    assert figure("zw-2-2025-new").current == 9


def test_a_missed_2025_target_reads_not_achieved(loaded):
    grant("640502", "high-tech", D(2024, 1, 1), D(2027, 1, 1))
    result = figure("zw-2-2025-new")
    assert (result.current, result.status, result.status_label) == (1, "not_achieved", "未达标")
    assert "2025-12-31" in result.reason


# --- Yearly targets ------------------------------------------------------------------------------


def test_ningxia_yearly_srdi_has_one_result_per_plan_year(loaded):
    """宁夏 “每年…“专精特新”中小企业50家”: 2024 and 2025 final, 2026 paced; a 2025 re-recognition is not new."""
    cover("640100", "640200", "640300", "640400", "640500")
    first = grant("640100", "srdi-sme", D(2024, 3, 1), D(2025, 5, 31))
    grant("640100", "srdi-sme", D(2025, 5, 1), D(2028, 4, 30), enterprise=first)  # renewed early: not new in 2025
    grant("640502", "srdi-sme", D(2024, 9, 1), D(2027, 8, 31))
    grant("640300", "srdi-sme", D(2025, 6, 1), D(2028, 5, 31))
    grant("640400", "srdi-sme", D(2026, 2, 1), D(2029, 1, 31))
    result = figure("nx-yearly-srdi")
    years = [(y.year, y.current, y.status, y.final) for y in result.years]
    assert years[:2] == [(2024, 2, "not_achieved", True), (2025, 1, "not_achieved", True)]
    assert years[2][0:2] == (2026, 1) and years[2][3] is False
    assert result.current == 1 and result.status == "behind"
    assert "2024、2025" in result.reason


def test_a_region_wide_target_without_every_city_is_scope_incomplete(loaded):
    cover("640100", "640200", "640300", "640500")
    result = figure("nx-yearly-srdi")
    assert result.status == "scope_incomplete" and result.status_label == "数据范围不全"
    assert result.coverage.missing == ["固原市"] and "固原市" in result.reason


# --- Shares of a larger region ------------------------------------------------------------------


def test_xining_share_of_the_province_is_scope_incomplete_while_qinghai_is_not_covered(loaded):
    """“占全省的65%以上”: with only 西宁 in the register the share would divide 西宁 by itself."""
    for _ in range(3):
        grant("630102", "srdi-sme", D(2024, 1, 1), D(2026, 12, 31))
    result = figure("xn-goal-srdi-share")
    assert result.status == "scope_incomplete" and result.current is None and result.current_today is None
    assert "海东市" in result.coverage.missing and "西宁市" not in result.coverage.missing
    assert "海东市" in result.reason
    assert result.detail == "西宁市 3 家；名录不全，全省总数未知"  # never "青海省共 3 家"
    cover("630200", "632200", "632300", "632500", "632600", "632700")
    grant("632800", "srdi-sme", D(2024, 1, 1), D(2026, 12, 31))
    covered = figure("xn-goal-srdi-share")
    assert covered.coverage.is_complete
    assert covered.current == Decimal("75.0") and covered.status == "achieved" and covered.final


# --- Baselines -----------------------------------------------------------------------------------


def test_zhongwei_high_tech_baseline_55_against_a_register_of_18_is_register_incomplete(loaded):
    """70 − 6 − 9 = 55 holders at the end of 2022; the register holds 18 then, and 2 more since."""
    for _ in range(18):
        grant("640502", "high-tech", D(2022, 1, 1), D(2027, 12, 31))
    for _ in range(2):
        grant("640521", "high-tech", D(2024, 5, 1), D(2027, 4, 30))
    result = figure("zw-2-2027-total")
    baseline = result.baseline
    assert (baseline.value, baseline.source, baseline.on) == (55, "derived", D(2022, 12, 31))
    assert (baseline.register_count, baseline.new_since) == (18, 2)
    assert (baseline.register_reading, baseline.document_reading) == (20, 57)
    assert baseline.is_register_incomplete and baseline.used == "document"
    assert result.current == 57
    assert "文件推算基数 55 家，名录中 18 家" in baseline.note
    assert any(mark.field == "baseline" and mark.is_inferred for mark in result.inferences)


def test_a_stated_baseline_the_register_matches_uses_the_register(loaded):
    """博州 “在现有21家的基础上累计培育到27家以上”: 21 holders at 2022-12-31, 4 more since → register 25."""
    cover("652701", "652702", "652722", "652723")
    for _ in range(21):
        grant("652701", "srdi-sme", D(2022, 1, 1), D(2027, 12, 31))
    for _ in range(4):
        grant("652722", "srdi-sme", D(2024, 1, 1), D(2026, 12, 31))
    result = figure("bz-goal-srdi")
    assert not result.baseline.is_register_incomplete and result.baseline.used == "register"
    assert (result.current, result.final, result.status) == (25, True, "not_achieved")


# --- Contradictions --------------------------------------------------------------------------------


def test_xining_80_and_70_are_both_unconfirmed_until_an_administrator_decides(loaded):
    cover("630100")
    admin = UserFactory(role="admin", region=None, is_superuser=True)
    goal, measure4 = figure("xn-goal-srdi"), figure("xn-4-srdi")
    assert goal.status == measure4.status == "unconfirmed"
    assert goal.status_label == "待确认" and "70" in goal.reason and "80" in measure4.reason
    conflict = TargetConflict.objects.get(pk=goal.conflict.conflict_id)
    services.resolve_target_conflict(
        actor=admin, conflict=conflict, chosen=None, reason="待省厅确认口径", expected_version=1
    )
    assert figure("xn-goal-srdi").status == "unconfirmed" and "待省厅确认口径" in figure("xn-goal-srdi").reason
    with pytest.raises(ConcurrentEditError):
        services.resolve_target_conflict(
            actor=admin, conflict=conflict, chosen=conflict.first, reason="x", expected_version=1
        )
    services.resolve_target_conflict(
        actor=admin, conflict=conflict, chosen=Target.objects.get(key="xn-goal-srdi"), reason="以总体目标为准",
        expected_version=2,
    )  # fmt: skip
    assert figure("xn-goal-srdi").status not in ("unconfirmed", "not_adopted")
    assert figure("xn-4-srdi").status == "not_adopted" and "以总体目标为准" in figure("xn-4-srdi").reason
    event = AuditEvent.objects.filter(object_type="tasks.targetconflict").latest("pk")
    assert event.actor == admin and event.changes["chosen"] == [None, "xn-goal-srdi"]
    load_policies()
    assert TargetConflict.objects.get(pk=conflict.pk).state == TargetConflict.State.CHOSEN


# --- Every quantitative statement once -------------------------------------------------------------


def test_xining_goals_repeated_in_measures_1_and_3_are_one_target_each(loaded):
    keys = set(Target.objects.filter(policy__code="xining-2023-32").values_list("key", flat=True))
    assert not keys & {"xn-1-above-scale", "xn-3-high-tech", "xn-3-qh-tech", "xn-3-city-tech", "xn-4-giant"}
    assert figure("xn-goal-above-scale").places == ["总体目标", "第1条"]
    assert figure("xn-goal-high-tech").places == ["总体目标", "第3条"]
    for key, value in (("xn-goal-above-scale", 300), ("xn-goal-high-tech", 220), ("xn-goal-qh-tech", 380),
                       ("xn-goal-city-tech", 350)):  # fmt: skip
        assert Target.objects.filter(policy__code="xining-2023-32", value=value).count() == 1, key


def test_statements_that_are_not_targets_are_listed_as_not_quantifiable_with_a_reason(loaded):
    training = figure("eeds-13-training")
    assert (training.status, training.status_label) == ("unmeasured", "不可量化")
    assert "培训" in training.reason
    share = figure("bz-1-pool-share")
    assert share.status == "unmeasured" and "规上工业企业总数" in share.reason


# --- Inferences ---------------------------------------------------------------------------------------


def test_lead_units_the_documents_do_not_name_are_inferred_and_an_administrator_can_change_them(loaded):
    leads = Inference.objects.filter(field="lead_unit")
    by_policy = {}
    for row in leads:
        code = Measure.objects.get(pk=row.object_id).policy.code
        by_policy[code] = by_policy.get(code, 0) + 1
    assert by_policy == {"xining-2023-32": 9, "ningxia-srdi-2024": 15}
    measure = Measure.objects.get(policy__code="xining-2023-32", number="1")
    inference = leads.get(object_id=measure.pk)
    assert "第一个单位" in inference.rule
    second = MeasureUnit.objects.filter(measure=measure).order_by("order")[1]
    admin = UserFactory(role="admin", region=None, is_superuser=True)
    services.decide_inference(actor=admin, inference=inference, value=second.department_id, reason="市政府办确认")
    assert MeasureUnit.objects.get(measure=measure, is_lead=True).department_id == second.department_id
    events = AuditEvent.objects.count()
    load_policies()
    assert MeasureUnit.objects.get(measure=measure, is_lead=True).department_id == second.department_id
    assert AuditEvent.objects.count() == events  # the reload changes nothing
    inference.refresh_from_db()
    assert inference.state == Inference.State.CHANGED and inference.decided_by == admin
    assert AuditEvent.objects.filter(object_type="tasks.inference", actor=admin).exists()


def test_plan_periods_not_stated_are_inferred_but_bozhou_s_is_read(loaded):
    plans = Inference.objects.filter(field="plan_period")
    assert plans.count() == 4
    assert "2024-01-01" in figure("nx-yearly-srdi").inferences[0].value


def test_every_statement_loaded_as_not_quantifiable_says_why(loaded):
    """Training places, procurement shares, tax rates, pool entry rules and the web page's related links."""
    unmeasured = Target.objects.filter(metric=Target.Metric.UNMEASURED)
    assert {"eeds-13-training", "bz-1-pool-share", "bz-1-pool-gaps", "bz-3-procurement-sme", "bz-6-rd-deduction",
            "xn-page-shanxi", "bz-23-meetings"} <= set(unmeasured.values_list("key", flat=True))  # fmt: skip
    assert not unmeasured.filter(unmeasured_reason="").exists()
    assert TargetConflict.objects.count() == 1


def test_an_administrator_changes_an_inferred_plan_period_and_a_reload_keeps_it(loaded):
    """中卫's plan period is inferred (2023-01-01 – 2027-12-31); set to 2024, 新增 counts from 2023-12-31."""
    policy = Policy.objects.get(code="zhongwei-task-list")
    inference = Inference.objects.get(field="plan_period", object_id=policy.pk)
    admin = UserFactory(role="admin", region=None, is_superuser=True)
    with pytest.raises(ServiceError, match="计划期"):
        services.decide_inference(actor=admin, inference=inference, value=["2027-12-31", "2024-01-01"], reason="x")
    services.decide_inference(
        actor=admin, inference=inference, value=["2024-01-01", "2027-12-31"], reason="以印发年为准"
    )
    events = AuditEvent.objects.count()
    load_policies()
    policy.refresh_from_db()
    assert (policy.plan_start, policy.plan_end) == (D(2024, 1, 1), D(2027, 12, 31))
    assert AuditEvent.objects.count() == events
    assert figure("zw-2-2025-new").start == D(2023, 12, 31)
    assert not any(mark.is_inferred for mark in figure("zw-2-2025-new").inferences if mark.field == "plan_period")
