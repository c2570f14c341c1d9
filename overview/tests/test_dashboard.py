"""The leader dashboard: figures by region and date, scope, drill-down, exports, the API and a flat query count."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enterprises.tests.factories import EnterpriseFactory
from incentives.models import Entitlement, EntitlementShare, Payment, RewardRule, ShareStatus
from overview.dashboard.selectors import dashboard_figures, section_of
from overview.dashboard.services import record_dashboard_snapshots
from overview.dashboard.tallies import forget_all
from tasks.tests.factories import PolicyFactory, TargetFactory
from tiers.applications.services import ensure_review_chain
from tiers.models import Application, ApplicationState, Batch, Ladder, LadderRung, PoolEntry, Recognition, Tier
from tiers.tests.factories import RecognitionFactory, TierFactory

TODAY = timezone.localdate()


@pytest.fixture
def register(region_tree, users):
    """A ladder of two tiers, a 中卫 policy with a target, and a reward rule; `add(n, region)` fills the register."""
    tech = TierFactory(code="tech-sme", name="科技型中小企业")
    high = TierFactory(code="high-tech", name="高新技术企业")
    ladder = Ladder.objects.create(code="nx-tech", name="科技型企业梯次培育体系", region=region_tree["ningxia"])
    LadderRung.objects.create(ladder=ladder, tier=tech, position=1)
    LadderRung.objects.create(ladder=ladder, tier=high, position=2)
    policy = PolicyFactory(region=region_tree["zhongwei"], title="中卫市梯次培育任务清单", short_title="中卫任务清单")
    # 500: behind however many the tests add, so the dashboard always reads the way to it (tasks.paths).
    TargetFactory(policy=policy, label="高新技术企业", kind="total", year=TODAY.year + 1, value=500, tiers=[high])
    rule = RewardRule.objects.create(
        code="zw-high-tech",
        policy=policy,
        article="3",
        name="高新技术企业奖励",
        clause="新认定的高新技术企业奖励 20 万元",
        region=region_tree["zhongwei"],
        trigger="recognition",
        tier=high,
        amount=Decimal("20"),
        effective_from=datetime.date(2023, 1, 1),
    )
    chain = ensure_review_chain(tier=high)
    batch = Batch.objects.create(
        tier=high, year=TODAY.year, name="第一批", opens_on=TODAY.replace(month=1, day=1), closes_on=TODAY
    )
    step = chain.steps.order_by("position").first()

    def add(count: int, region=None, name: str = "") -> list:
        region = region or region_tree["shapotou"]
        created = []
        for _n in range(count):
            enterprise = EnterpriseFactory(region=region, **({"name": name} if name else {}))
            recognition = RecognitionFactory(
                enterprise=enterprise, tier=high, recognized_on=TODAY - datetime.timedelta(days=30), year=TODAY.year
            )
            enterprise.indicators.create(year=TODAY.year - 1, operating_revenue=1000, rd_expense=50)
            PoolEntry.objects.create(
                enterprise=enterprise,
                tier=tech,
                region=region,
                origin="manual",
                reason="推荐",
                entered_at=timezone.now() - datetime.timedelta(days=10),
            )
            Application.objects.create(
                enterprise=enterprise,
                tier=high,
                batch=batch,
                region=region,
                state=ApplicationState.IN_REVIEW,
                current_step=step,
                reviewing_region=region,
                indicator_year=TODAY.year - 1,
                submitted_at=timezone.now() - datetime.timedelta(days=5),
                waiting_since=timezone.now() - datetime.timedelta(days=5),
                due_at=timezone.now() + datetime.timedelta(days=5),
            )
            entitlement = Entitlement.objects.create(
                rule=rule,
                recognition=recognition,
                enterprise=enterprise,
                beneficiary_region=region,
                trigger_date=recognition.recognized_on,
                budget_year=TODAY.year,
                amount=Decimal("20"),
                basis="依据",
                calculation="20",
            )
            share = EntitlementShare.objects.create(
                entitlement=entitlement,
                funder_region=region_tree["zhongwei"],
                level="city",
                percent=100,
                budget_year=TODAY.year,
                amount=Decimal("20"),
                paid_amount=Decimal("5"),
                status=ShareStatus.PARTIALLY_PAID,
            )
            Payment.objects.create(share=share, amount=Decimal("5"), paid_on=TODAY, voucher_no=f"V{share.pk}")
            created.append(enterprise)
        return created

    return add


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboard:index"), params)


def test_leader_sees_the_figures_of_their_city(client, users, register, region_tree):
    """A 中卫 leader's dashboard shows the target card, the funnel, the counties, the money and the stuck applications."""
    register(3)
    register(2, region_tree["zhongning"])
    figures = dashboard_figures(region_tree["zhongwei"], as_of=TODAY)
    assert section_of(figures, "targets")["cards"][0]["current"] == 5
    assert section_of(figures, "targets")["cards"][0]["target"] == 500
    assert section_of(figures, "ladders")["rows"] == [["科技型企业梯次培育体系", 5, 0, 5, 5]]
    regions = section_of(figures, "regions")
    assert regions["rows"] == [["沙坡头区", 3, 3, 3, 0, 3], ["中宁县", 2, 2, 2, 0, 2]]
    assert regions["row_ids"] == [region_tree["shapotou"].pk, region_tree["zhongning"].pk]
    assert section_of(figures, "money")["rows"] == [["中卫市", 100.0, 25.0, 75.0]]
    assert len(section_of(figures, "stuck")["rows"]) == 5

    response = _get(client, users["zw_leader"])
    assert response.status_code == 200
    content = response.content.decode()
    assert "中卫市" in content and "高新技术企业（" in content
    assert f'data-testid="drill-{region_tree["shapotou"].pk}"' in content
    assert f"/enterprises/?region={region_tree['shapotou'].pk}" in content
    assert 'id="dashboard-data"' in content and "echarts.min.js" in content


def test_a_region_outside_the_leaders_scope_is_not_found(client, users, register, region_tree):
    """A leader of 中卫市 can switch to its counties, never to 西宁; a liaison has no dashboard."""
    assert _get(client, users["zw_leader"], region=region_tree["shapotou"].pk).status_code == 200
    assert _get(client, users["zw_leader"], region=region_tree["xining"].pk).status_code == 404
    assert _get(client, users["zw_leader"], region=999999).status_code == 404
    assert _get(client, users["zw_liaison"]).status_code == 403
    switcher = _get(client, users["zw_leader"]).content.decode()
    assert "沙坡头区" in switcher and "西宁市" not in switcher


def test_bureau_staff_see_the_dashboard_of_their_own_scope_only(client, users, register, region_tree):
    assert _get(client, users["spt_staff"]).status_code == 200
    assert _get(client, users["spt_staff"], region=region_tree["zhongwei"].pk).status_code == 404


def test_a_county_dashboard_leads_to_its_enterprise_list(client, users, register, region_tree):
    """A county has no region below it: the page says so and links to the county's enterprises."""
    register(1)
    content = _get(client, users["zw_leader"], region=region_tree["shapotou"].pk).content.decode()
    assert "本地区无下级行政区划。" in content
    assert f"/enterprises/?region={region_tree['shapotou'].pk}" in content


def test_the_trend_reads_stored_snapshots_not_live_data(users, register, region_tree):
    """Snapshots freeze a month's figure: recognitions added later change the live sections, not the trend."""
    register(2)
    last_month_end = TODAY.replace(day=1) - datetime.timedelta(days=1)
    record_dashboard_snapshots(on=last_month_end)
    record_dashboard_snapshots(on=TODAY)
    before = section_of(dashboard_figures(region_tree["zhongwei"], as_of=TODAY), "trend")["rows"]
    assert [row[0] for row in before] == [f"{last_month_end:%Y-%m}", f"{TODAY:%Y-%m}"]
    assert before[-1][2] == 2
    register(3)
    after = dashboard_figures(region_tree["zhongwei"], as_of=TODAY)
    assert section_of(after, "trend")["rows"] == before
    assert section_of(after, "regions")["rows"][0][2] == 5


def test_recognitions_count_as_of_the_date_asked(users, register, region_tree):
    """An expired recognition counts on the days it was valid; a revoked one until its revocation."""
    enterprise = register(1)[0]
    recognition = Recognition.objects.get(enterprise=enterprise)
    Recognition.objects.filter(pk=recognition.pk).update(
        status=Recognition.Status.REVOKED, revoked_on=TODAY - datetime.timedelta(days=10)
    )
    holders = section_of(dashboard_figures(region_tree["zhongwei"], as_of=TODAY), "regions")["rows"][0][2]
    earlier = TODAY - datetime.timedelta(days=20)
    held_then = section_of(dashboard_figures(region_tree["zhongwei"], as_of=earlier), "regions")["rows"][0][2]
    assert (holders, held_then) == (0, 1)


def test_each_table_exports_to_excel_with_formulas_escaped(client, users, register, region_tree):
    register(1, name='=HYPERLINK("http://evil")有限公司')
    client.force_login(users["zw_leader"])
    response = client.get(reverse("dashboard:export"), {"section": "stuck"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "等待最久的申报"
    assert sheet["A1"].value == "企业"
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")有限公司'
    everything = load_workbook(io.BytesIO(client.get(reverse("dashboard:export")).content))
    assert "地区对比" in everything.sheetnames and "目标" in everything.sheetnames
    assert client.get(reverse("dashboard:export"), {"section": "nope"}).status_code == 404


def test_full_screen_mode_has_no_navigation_and_refreshes(client, users, register):
    content = _get(client, users["zw_leader"], fullscreen=1).content.decode()
    assert 'data-testid="main-nav"' not in content
    assert 'data-refresh-seconds="300"' in content and "dashboard-fullscreen" in content


def test_the_api_returns_the_same_sections_and_is_documented(client, users, register, region_tree):
    register(2)
    client.force_login(users["zw_leader"])
    data = client.get("/api/v1/dashboard/", {"region": region_tree["zhongwei"].pk}).json()
    assert data["region"]["name"] == "中卫市"
    assert [item["key"] for item in data["sections"]] == [
        "targets", "ladders", "regions", "trend", "money", "task_status", "task_attention", "stuck",
    ]  # fmt: skip
    assert client.get("/api/v1/dashboard/", {"region": region_tree["xining"].pk}).status_code == 404
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/dashboard/" in schema["paths"]


def test_the_query_count_does_not_grow_with_the_register(client, users, register, region_tree):
    """10 or 60 enterprises with recognitions, figures, pool entries, applications and rewards: the same queries."""
    register(5)
    register(5, region_tree["zhongning"])
    record_dashboard_snapshots(on=TODAY)
    client.force_login(users["zw_leader"])
    client.get(reverse("dashboard:index"))
    forget_all()  # both views count the tallies of every region afresh (overview.dashboard.tallies)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("dashboard:index")).status_code == 200
    register(25)
    register(25, region_tree["zhongning"])
    forget_all()
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("dashboard:index")).status_code == 200
    assert Tier.objects.count() == 2
    # 40 for the figures, and a dozen to count every region's tallies afresh (nine grouped counts and the insert).
    assert len(large.captured_queries) == len(small.captured_queries) <= 52


@pytest.mark.django_db(transaction=True)
def test_figures_are_computed_once_per_change_of_the_data(client, users, register, region_tree):
    """Reopening a dashboard reads the figures kept since the last change; a new recognition shows at once."""
    from overview.dashboard.selectors import cached_dashboard_figures
    from portal.cache import figures_changed

    figures_changed()  # nothing cached by an earlier test counts
    register(2)
    client.force_login(users["zw_leader"])

    def view() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboard:index")).status_code == 200
        return len(captured.captured_queries)

    computed = view()
    kept = view()
    assert kept <= computed - 20
    register(1)
    # Computed again; only the tallies (overview.dashboard.tallies) the new rows touched are counted again.
    assert kept + 20 <= view() <= computed
    cards = section_of(cached_dashboard_figures(region_tree["zhongwei"], as_of=TODAY), "targets")["cards"]
    assert cards[0]["current"] == 3
    assert view() == kept
    assert "数据计算于" in client.get(reverse("dashboard:index")).content.decode()
