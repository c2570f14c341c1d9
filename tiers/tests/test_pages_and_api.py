"""Ladder page, pool (services, list, export, quotas), API — scoped, with flat query counts."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.models import AnnualIndicator
from enterprises.tests.factories import EnterpriseFactory
from portal.exceptions import ServiceError
from portal.models import AuditEvent
from portal.tests.factories import RegionFactory
from tiers import services
from tiers.criteria.validation import node_errors
from tiers.eligibility import recompute_eligibility
from tiers.models import Criterion, PoolEntry, PoolQuota, PoolRule, Tier
from tiers.selectors import pool_quota_status


def enterprise_with_figures(region, **values):
    enterprise = EnterpriseFactory(region=region)
    last = datetime.date.today().year - 1
    for year in (last - 2, last - 1, last):
        AnnualIndicator.objects.create(
            enterprise=enterprise,
            year=year,
            operating_revenue=3000,
            main_business_revenue=2800,
            rd_expense=63,
            total_assets=2000,
            total_liabilities=800,
            employees=100,
            tech_staff=12,
            rd_staff=8,
            ip_class2_count=2,
            **values,
        )
    return enterprise


@pytest.fixture
def bozhou(criteria):
    """博州 with two counties and its pool rule (miss ≤ 3) and quotas."""
    prefecture = RegionFactory(name="博尔塔拉蒙古自治州", code="652700", kind="city")
    bole = RegionFactory(name="博乐市", code="652701", kind="county", parent=prefecture)
    wenquan = RegionFactory(name="温泉县", code="652723", kind="county", parent=prefecture)
    from tiers.reference import load_criteria_sets

    load_criteria_sets()
    return {"prefecture": prefecture, "bole": bole, "wenquan": wenquan}


class TestLadderPage:
    def test_shows_rung_held_next_rung_and_the_gap_sentence(self, client, users, region_tree, criteria):
        enterprise = enterprise_with_figures(region_tree["shapotou"])
        client.force_login(users["spt_staff"])
        response = client.get(reverse("tiers:ladder", args=[enterprise.pk]), HTTP_ACCEPT_LANGUAGE="en")
        body = response.content.decode()
        assert response.status_code == 200
        assert "优质中小企业梯度培育体系" in body
        # 63/3000 = 2.1%: 专精特新 needs 3%, 0.9 points short, about 27 万元.
        assert "2.1%, needs ≥ 3%, short by 0.9 percentage points, about 27 万元" in body
        assert 'data-testid="next">创新型中小企业' in body

    def test_a_sibling_county_gets_404(self, client, users, region_tree, criteria):
        enterprise = enterprise_with_figures(region_tree["shapotou"])
        client.force_login(users["zn_staff"])
        assert client.get(reverse("tiers:ladder", args=[enterprise.pk])).status_code == 404

    def test_query_count_does_not_depend_on_how_much_data_the_enterprise_has(
        self, client, users, region_tree, criteria, django_assert_max_num_queries
    ):
        small = EnterpriseFactory(region=region_tree["shapotou"])
        large = enterprise_with_figures(region_tree["shapotou"])
        client.force_login(users["spt_staff"])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            client.get(reverse("tiers:ladder", args=[small.pk]))
        with django_assert_max_num_queries(len(first.captured_queries)):
            client.get(reverse("tiers:ladder", args=[large.pk]))


class TestPool:
    def test_adding_by_hand_needs_a_reason_and_is_audited(self, users, region_tree, criteria):
        enterprise = enterprise_with_figures(region_tree["shapotou"])
        tier = Tier.objects.get(code="srdi-sme")
        with pytest.raises(ServiceError) as error:
            services.add_to_pool(actor=users["spt_staff"], enterprise=enterprise, tier=tier, reason=" ")
        assert error.value.message == "请填写企业纳入培育库的理由。"
        entry = services.add_to_pool(actor=users["spt_staff"], enterprise=enterprise, tier=tier, reason="研发占比接近")
        assert AuditEvent.objects.filter(
            object_type="tiers.poolentry", object_id=str(entry.pk), action="create"
        ).exists()
        with pytest.raises(ServiceError) as error:
            services.add_to_pool(actor=users["spt_staff"], enterprise=enterprise, tier=tier, reason="again")
        assert "已在专精特新中小企业培育库中" in error.value.message
        left = services.remove_from_pool(actor=users["spt_staff"], entry=entry, reason="企业迁出")
        assert left.left_reason == "企业迁出" and left.left_at is not None

    def test_bozhou_enterprises_missing_at_most_three_criteria_enter_automatically(self, bozhou):
        near = enterprise_with_figures(bozhou["bole"])
        recompute_eligibility()
        entries = PoolEntry.objects.filter(enterprise=near, origin=PoolEntry.Origin.AUTO)
        rule_tiers = set(PoolRule.objects.values_list("tier__code", flat=True))
        assert {entry.tier.code for entry in entries} <= rule_tiers
        for entry in entries:
            assert entry.missing_at_entry <= 3
            assert entry.reason.startswith("Misses") or entry.reason
        # A second run does not add the same enterprise twice.
        count = PoolEntry.objects.count()
        recompute_eligibility()
        assert PoolEntry.objects.count() == count

    def test_quotas_show_met_or_short(self, bozhou, users):
        EnterpriseFactory.create_batch(70, region=bozhou["bole"], is_above_scale=True)
        entry_enterprise = EnterpriseFactory(region=bozhou["wenquan"])
        services.add_to_pool(
            actor=users["admin"], enterprise=entry_enterprise, tier=Tier.objects.get(code="srdi-sme"), reason="培育"
        )
        services.add_to_pool(
            actor=users["admin"],
            enterprise=EnterpriseFactory(region=bozhou["wenquan"]),
            tier=Tier.objects.get(code="srdi-sme"),
            reason="培育",
        )
        rows = {row.region.code: row for row in pool_quota_status(users["admin"])}
        assert PoolQuota.objects.count() == 2
        assert (rows["652701"].required, rows["652701"].entered, rows["652701"].is_met, rows["652701"].shortfall) == (
            7,
            0,
            False,
            7,
        )
        assert (rows["652723"].required, rows["652723"].entered, rows["652723"].is_met) == (2, 2, True)

    def test_list_is_scoped_and_its_query_count_stays_flat(
        self, client, users, region_tree, criteria, django_assert_max_num_queries
    ):
        tier = Tier.objects.get(code="srdi-sme")
        services.add_to_pool(
            actor=users["admin"], enterprise=EnterpriseFactory(region=region_tree["shapotou"]), tier=tier, reason="甲"
        )
        hidden = services.add_to_pool(
            actor=users["admin"], enterprise=EnterpriseFactory(region=region_tree["zhongning"]), tier=tier, reason="乙"
        )
        client.force_login(users["spt_staff"])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            response = client.get(reverse("tiers:pool"))
        assert hidden.enterprise.name not in response.content.decode()
        for _ in range(15):
            services.add_to_pool(
                actor=users["admin"],
                enterprise=EnterpriseFactory(region=region_tree["shapotou"]),
                tier=tier,
                reason="丙",
            )
        with django_assert_max_num_queries(len(first.captured_queries)):
            client.get(reverse("tiers:pool"))
        assert client.get(reverse("tiers:pool-entry", args=[hidden.pk])).status_code == 404

    def test_export_escapes_formulas(self, client, users, region_tree, criteria):
        tier = Tier.objects.get(code="srdi-sme")
        enterprise = EnterpriseFactory(region=region_tree["shapotou"], name="=HYPERLINK(1)")
        services.add_to_pool(actor=users["admin"], enterprise=enterprise, tier=tier, reason="+cmd")
        client.force_login(users["zw_staff"])
        response = client.get(reverse("tiers:pool-export"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("层级", "县（区）", "企业名称")
        assert rows[1][2] == "'=HYPERLINK(1)" and rows[1][6] == "'+cmd"

    def test_staff_add_through_the_form(self, client, users, region_tree, criteria):
        enterprise = EnterpriseFactory(region=region_tree["shapotou"])
        tier = Tier.objects.get(code="innovative-sme")
        client.force_login(users["zw_leader"])
        assert (
            client.post(
                reverse("tiers:pool-add", args=[enterprise.pk]), {"tier": tier.pk, "stage": "reserve", "reason": "x"}
            ).status_code
            == 403
        )
        client.force_login(users["spt_staff"])
        response = client.post(
            reverse("tiers:pool-add", args=[enterprise.pk]), {"tier": tier.pk, "stage": "cultivate", "reason": "差2项"}
        )
        entry = PoolEntry.objects.get(enterprise=enterprise)
        assert response.url == reverse("tiers:pool-entry", args=[entry.pk]) and entry.stage == "cultivate"


class TestApi:
    def test_eligibility_filters_by_verdict_and_gap_and_is_scoped(self, client, users, region_tree, criteria):
        visible = enterprise_with_figures(region_tree["shapotou"])
        enterprise_with_figures(region_tree["zhongning"])
        recompute_eligibility()
        client.force_login(users["spt_staff"])
        response = client.get(
            reverse("api-eligibility"), {"max_missing": 1, "verdict": "misses"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        rows = response.json()["results"]
        assert rows and {row["enterprise"] for row in rows} == {visible.pk}
        assert all(row["missing_count"] <= 1 and row["verdict_text"] == "Misses 1 criterion" for row in rows)

    def test_eligibility_rows_carry_the_gap_sentences_of_the_current_figures(
        self, client, users, region_tree, criteria, django_assert_max_num_queries
    ):
        """Gaps are worked out for the whole page at once, in Chinese, from the figures as they are now."""
        enterprise = enterprise_with_figures(region_tree["shapotou"])
        for _ in range(5):
            enterprise_with_figures(region_tree["shapotou"])
        recompute_eligibility()
        client.force_login(users["spt_staff"])
        tier = Tier.objects.get(code="high-tech")
        with django_assert_max_num_queries(25):
            rows = client.get(reverse("api-eligibility"), {"tier": tier.pk}).json()["results"]
        assert len(rows) == 6
        row = next(row for row in rows if row["enterprise"] == enterprise.pk)
        texts = [gap["text"] for gap in row["gaps"]]
        assert any(text.startswith("近三个会计年度研发费用占同期销售收入比例") for text in texts), texts
        last = datetime.date.today().year - 1
        AnnualIndicator.objects.filter(enterprise=enterprise, year=last).update(rd_expense=1)
        again = client.get(reverse("api-eligibility"), {"tier": tier.pk, "enterprise": enterprise.pk}).json()
        assert again["results"][0]["gaps"] != row["gaps"]

    def test_enterprise_evaluation_of_a_sibling_county_is_404(self, client, users, region_tree, criteria):
        enterprise = enterprise_with_figures(region_tree["zhongning"])
        client.force_login(users["spt_staff"])
        assert client.get(reverse("api-enterprise-eligibility", args=[enterprise.pk])).status_code == 404
        client.force_login(users["zw_leader"])
        rows = client.get(reverse("api-enterprise-eligibility", args=[enterprise.pk])).json()
        assert {row["tier_code"] for row in rows} >= {"srdi-sme", "high-tech", "tech-sme"}

    def test_pool_api_creates_and_hides_other_counties(self, client, users, region_tree, criteria):
        enterprise = EnterpriseFactory(region=region_tree["zhongning"])
        tier = Tier.objects.get(code="srdi-sme")
        client.force_login(users["spt_staff"])
        response = client.post(
            reverse("api-pool"),
            {"enterprise": enterprise.pk, "tier": tier.pk, "reason": "x"},
            content_type="application/json",
        )
        # Another county's enterprise is refused like a missing one, naming only the id.
        assert response.status_code == 400
        assert enterprise.name not in response.content.decode()
        client.force_login(users["zn_staff"])
        response = client.post(
            reverse("api-pool"),
            {"enterprise": enterprise.pk, "tier": tier.pk, "reason": "近3项"},
            content_type="application/json",
        )
        assert response.status_code == 201 and response.json()["reason"] == "近3项"

    def test_schema_documents_the_endpoints(self, client, users):
        client.force_login(users["admin"])
        schema = client.get(reverse("api-schema"), {"format": "json"}).json()
        for path in (
            "/api/v1/eligibility/",
            "/api/v1/pool/",
            "/api/v1/ladders/",
            "/api/v1/criteria-sets/",
            "/api/v1/enterprises/{id}/eligibility/",
        ):
            assert path in schema["paths"]


def test_admin_written_criteria_are_validated_per_kind(criteria):
    assert node_errors(
        {"kind": "threshold", "code": "x", "metric": {"fn": "ratio", "num": "rd_expense"}, "op": "=>", "value": 3}
    ) == [
        "x：指标须包含“den”。",
        "x：运算符须为>=、>、<=、<之一。",
    ]
    assert node_errors(
        {"kind": "threshold", "code": "x", "metric": {"fn": "value", "field": "turnover"}, "op": ">=", "value": 1}
    ) == ["x：“turnover”不是有效指标。"]
    criterion = Criterion(criteria_set=None, order=1, code="y", kind="manual", label="链", params={})
    with pytest.raises(Exception, match="key"):
        criterion.clean()


def test_manual_assessment_is_recorded_with_evidence(users, region_tree, criteria):
    enterprise = EnterpriseFactory(region=region_tree["shapotou"])
    with pytest.raises(ServiceError):
        services.record_manual_assessment(
            actor=users["spt_staff"], enterprise=enterprise, key="own-brand", evidence="", is_met=True
        )
    assessment = services.record_manual_assessment(
        actor=users["spt_staff"],
        enterprise=enterprise,
        key="market-share-national",
        evidence="行业协会 2025 报告",
        value=Decimal("12.5"),
        valid_until=datetime.date(2026, 12, 31),
    )
    assert assessment.assessed_by == users["spt_staff"]
    assert AuditEvent.objects.filter(object_type="tiers.manualassessment", object_id=str(assessment.pk)).exists()
