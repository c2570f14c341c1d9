"""The targets API keeps its rows and keys and carries the figure rules; decisions are made over the API too."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.tests.factories import EnterpriseFactory
from portal.models import AuditEvent, Region
from portal.tests.factories import UserFactory
from tasks import services
from tasks.figures import rules
from tasks.figures.holdings import Holding, HoldingIndex
from tasks.figures.register import Register
from tasks.models import Inference, Policy, Target, TargetConflict, TargetResult
from tasks.policies import load_policies
from tasks.tests.factories import TargetFactory
from tasks.tests.test_figures import AS_OF, cover, grant
from tests.properties import examples
from tiers.tests.factories import TierFactory


def test_targets_api_keeps_its_keys_and_adds_years_final_basis_and_statuses(loaded, client):
    cover("640500", "630100")
    grant("640502", "tech-sme", datetime.date(2026, 5, 1), datetime.date(2026, 12, 31))
    client.force_login(UserFactory(role="admin", region=None, is_superuser=True))
    rows = {row["key"]: row for row in client.get("/api/v1/targets/", {"as_of": AS_OF.isoformat()}).json()}
    for key in ("zw-1-2027-again", "xn-goal-srdi-share", "nx-yearly-srdi", "zw-2-2025-new"):
        assert {"status", "current", "value", "year", "years", "final", "basis", "path"} <= set(rows[key])
    assert rows["zw-1-2027-again"]["basis"] == "new" and rows["zw-1-2027-again"]["current"] == "1.00"
    assert rows["xn-goal-srdi-share"]["status"] == "scope_incomplete"
    assert "海东市" in rows["xn-goal-srdi-share"]["coverage"]["missing"]
    assert rows["xn-goal-srdi"]["status"] == "unconfirmed" and rows["xn-goal-srdi"]["conflict"]["other_key"]
    assert rows["zw-2-2025-new"]["final"] is True and rows["zw-2-2025-new"]["status"] == "not_achieved"
    assert rows["nx-yearly-srdi"]["status"] == "scope_incomplete"
    assert [y["year"] for y in rows["nx-yearly-srdi"]["years"]] == [2024, 2025, 2026]
    assert rows["zw-2-2027-total"]["baseline_reading"]["is_register_incomplete"] is True
    assert rows["xn-goal-above-scale"]["places"] == ["总体目标", "第1条"]
    behind = [row for row in rows.values() if row["status"] == "behind"]
    assert behind and all(row["path"] is not None and "needed" in row["path"] for row in behind)


def test_a_target_s_enterprises_counted_and_left_out_with_why(loaded, client):
    enterprise = grant("640502", "tech-sme", datetime.date(2025, 4, 1), datetime.date(2025, 12, 31))
    grant("640502", "tech-sme", datetime.date(2026, 4, 1), datetime.date(2026, 12, 31), enterprise=enterprise)
    client.force_login(UserFactory(role="leader", region=Region.objects.get(code="640500")))
    target = Target.objects.get(key="zw-1-2027-again")
    data = client.get(reverse("api-target-figure", args=[target.pk]), {"as_of": AS_OF.isoformat()}).json()
    assert data["counted"] == []
    assert data["excluded"][0]["enterprise"] == enterprise.pk and data["excluded"][0]["code"] == "held_at_start"
    other = Target.objects.get(key="xn-goal-srdi")
    assert client.get(reverse("api-target-figure", args=[other.pk])).status_code == 404


def test_an_administrator_decides_a_conflict_and_an_inference_over_the_api(loaded, client):
    conflict = TargetConflict.objects.get(first__key="xn-goal-srdi")
    leader = UserFactory(role="leader", region=Region.objects.get(code="630100"))
    client.force_login(leader)
    url = reverse("api-target-conflict-decision", args=[conflict.pk])
    assert client.post(url, {"chosen_key": "xn-goal-srdi", "reason": "x"}).status_code == 403
    client.force_login(UserFactory(role="admin", region=None, is_superuser=True))
    response = client.post(url, {"chosen_key": "nope", "reason": "x"}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(url, {"reason": ""}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        url,
        {"chosen_key": "xn-4-srdi", "reason": "以第4条为准", "expected_version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["chosen_key"] == "xn-4-srdi"
    inference = Inference.objects.filter(field="baseline").first()
    response = client.post(
        reverse("api-inference-decision", args=[inference.pk]),
        {"value": "50", "reason": "统计局年报", "expected_version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "changed"
    assert set(Target.objects.filter(measure_id=inference.object_id).values_list("baseline", flat=True)) == {50}
    events = AuditEvent.objects.count()
    load_policies()
    assert set(Target.objects.filter(measure_id=inference.object_id).values_list("baseline", flat=True)) == {50}
    assert AuditEvent.objects.count() == events
    listed = client.get(reverse("api-inferences")).json()
    assert any(row["field"] == "lead_unit" and row["state"] == "inferred" for row in listed)


def test_decisions_page_lists_conflicts_and_inferences_and_records_a_decision(loaded, client):
    admin = UserFactory(role="admin", region=None, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("tasks:decisions")).content.decode()
    assert "“专精特新”企业 2025: 80户（总体目标）≠ 70户（第4条）" in page and "推定" in page
    conflict = TargetConflict.objects.get(first__key="xn-goal-srdi")
    response = client.post(
        reverse("tasks:conflict-decide", args=[conflict.pk]),
        {f"c{conflict.pk}-choice": "both", f"c{conflict.pk}-reason": "待核实", f"c{conflict.pk}-version": 1},
    )
    assert response.status_code == 302
    assert TargetConflict.objects.get(pk=conflict.pk).state == TargetConflict.State.KEPT_BOTH


def test_policy_page_marks_inferred_lead_units_and_shows_the_conflict_state(loaded, client):
    client.force_login(UserFactory(role="leader", region=Region.objects.get(code="630100")))
    policy = Policy.objects.get(code="xining-2023-32")
    page = client.get(reverse("tasks:policy", args=[policy.pk])).content.decode()
    assert 'data-testid="lead-inferred"' in page and 'data-testid="plan-inferred"' in page
    assert "管理员决定前两者均显示为待确认" in page and "待确认" in page
    measure = policy.measures.get(number="1")
    page = client.get(reverse("tasks:measure", args=[measure.pk])).content.decode()
    assert 'data-testid="lead-inferred"' in page and 'data-testid="target-xn-goal-above-scale"' in page


def test_the_nightly_job_records_every_target_by_the_same_definition(loaded):
    cover("640500")
    grant("640502", "high-tech", datetime.date(2024, 1, 1), datetime.date(2027, 1, 1))
    count = services.record_target_results(on=AS_OF)
    assert count == Target.objects.count() == TargetResult.objects.filter(on=AS_OF).count()
    assert services.record_target_results(on=AS_OF) == count
    result = TargetResult.objects.get(target__key="zw-2-2025-new", on=AS_OF)
    assert (result.current, result.status, result.is_final) == (1, "not_achieved", True)


# --- Property: 新增 never exceeds 合计 minus the start-date holders still valid ------------------------


@pytest.fixture
def property_target(db):
    zhongwei = EnterpriseFactory().region
    tier = TierFactory()
    target = TargetFactory(region=zhongwei, kind=Target.Kind.NEW, tiers=[tier])
    target = Target.objects.select_related("region").prefetch_related("tiers").get(pk=target.pk)
    return target, tier.pk, zhongwei.path + "00099."


days = st.dates(min_value=datetime.date(2021, 1, 1), max_value=datetime.date(2027, 12, 31))
recognitions = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=12),  # enterprise
        st.integers(min_value=0, max_value=1),  # tier: the target's, or another
        days,
        st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),  # validity in days
        st.sampled_from(["valid", "expired", "revoked"]),
        st.integers(min_value=0, max_value=900),  # revoked after
    ),
    max_size=40,
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=recognitions, start=days, as_of=days)
def test_new_never_exceeds_total_minus_start_holders_still_valid(property_target, rows, start, as_of):
    target, tier_id, path = property_target
    register = Register.__new__(Register)
    register._tier_ids = {}
    register.index = HoldingIndex(
        Holding(
            enterprise_id=enterprise,
            path=path,
            tier_id=tier_id if which == 0 else tier_id + 1000,
            recognized_on=granted,
            valid_until=None if span is None else granted + datetime.timedelta(days=span),
            status=status,
            revoked_on=granted + datetime.timedelta(days=after) if status == "revoked" else None,
            is_listed=False,
        )
        for enterprise, which, granted, span, status, after in rows
    )
    new = rules.new_holders(register, target, start, as_of)
    total = register.holders(target, as_of)
    still_valid = set(register.holders(target, start)) & set(total)
    assert len(new) <= len(total) - len(still_valid)
    assert set(new) <= set(total)


def test_decision_lists_use_a_flat_number_of_queries(loaded, client, django_assert_max_num_queries):
    """The decisions page and the inference and conflict lists do not grow with the number of inferences."""
    client.force_login(UserFactory(role="admin", region=None, is_superuser=True))
    urls = [reverse("tasks:decisions"), reverse("api-inferences"), reverse("api-target-conflicts")]
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        before.append(len(queries.captured_queries))
    target_type = ContentType.objects.get_for_model(Target)
    Inference.objects.bulk_create(
        [
            Inference(content_type=target_type, object_id=target.pk, field="extra", value=1, rule="测试")
            for target in Target.objects.all()[:20]
        ]
    )
    for url, count in zip(urls, before, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_ordos_champions_breaking_3_reads_more_than_3_needed_when_it_stayed_at_3(loaded):
    """鄂尔多斯 “单项冠军企业突破3家”: 3 at 2025-12-31 is 未达标, and the reason says why (需超过 3)."""
    for _ in range(3):
        grant("150600", "single-champion", datetime.date(2024, 3, 1), datetime.date(2027, 2, 28))
    target = Target.objects.get(key="eeds-goal-champion")
    from tasks.figures import target_figures

    result = target_figures([target], as_of=AS_OF)[target.pk]
    assert (result.current, result.status) == (3, "not_achieved")
    assert result.reason == "截至 2025-12-31 最终为 3，需超过 3，未达标。"


def test_the_targets_page_gives_the_two_readings_of_a_baseline_only_for_a_total(loaded, client):
    """中卫 高企 名录不全: 合计 70 shows 名录读数 / 文件读数 (and which the status uses); 新增 9 and 6 do not."""
    for _ in range(18):
        grant("640502", "high-tech", datetime.date(2022, 1, 1), datetime.date(2027, 12, 31))
    client.force_login(UserFactory(role="admin", region=None, is_superuser=True))
    page = client.get(reverse("tasks:targets"), {"as_of": AS_OF.isoformat()}).content.decode()

    def block(key):
        start = page.index(f'data-testid="target-{key}"')
        return page[start : page.index('data-testid="target-', start + 10)]

    assert "名录读数 18；文件读数 55 + 新增 0 = 55。" in block("zw-2-2027-total")
    assert "状态按文件读数判断" in block("zw-2-2027-total")
    for key in ("zw-2-2025-new", "zw-2-2027-again"):
        assert "名录不全" in block(key) and "名录读数" not in block(key) and "状态按" not in block(key)


def test_overdue_tasks_mark_a_lead_unit_the_document_does_not_name_as_inferred(loaded):
    """西宁's measures name no 牵头单位: the dashboard's overdue list and the briefing say 推定; 中卫's are read."""
    from overview.briefings.headlines import _task_sentence
    from overview.dashboard.selectors import task_sections

    xining, zhongwei = Region.objects.get(code="630100"), Region.objects.get(code="640500")
    leader = UserFactory(role="leader", region=xining)
    _status, listed = task_sections(leader, xining, AS_OF)
    leads = {row[1].split(" ")[0]: row[2] for row in listed["rows"]}
    assert leads["1"] == "市工业和信息化局（推定）", leads
    sentence = _task_sentence({"sections": [_status, listed]})[0]
    assert "（市工业和信息化局，推定）" in sentence
    _status, listed = task_sections(UserFactory(role="leader", region=zhongwei), zhongwei, AS_OF)
    assert listed["rows"] and not any("推定" in row[2] for row in listed["rows"])
