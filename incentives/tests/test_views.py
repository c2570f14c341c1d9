"""Pages, API and exports: scope by funder, flat query counts, escaping, the budget table."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.tests.factories import EnterpriseFactory
from incentives import services
from incentives.models import Entitlement, EntitlementShare, ShareStatus
from incentives.tests.conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def high_tech(reward_rules, regions, grant):
    """A 西宁 城东区 高新技术企业 of 2024: 青海 10, 西宁 15, 城东区 15."""
    enterprise = EnterpriseFactory(region=regions["chengdong"], name="城东光伏科技有限公司")
    grant(enterprise, "high-tech", day(2024))
    return enterprise


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def share(code: str, funder_code: str) -> EntitlementShare:
    return EntitlementShare.objects.get(entitlement__rule__code=code, funder_region__code=funder_code)


def test_city_finance_sees_only_the_city_shares(client, high_tech, finance_users):
    """西宁 市财政局 sees the 15 万元 city half; the province's 10 and the county's 15 are absent."""
    client.force_login(finance_users["xn_finance"])
    page = client.get(reverse("incentives:list")).content.decode()
    assert "城东光伏科技有限公司" in page
    assert "西宁市财政 15.00" in page
    assert "青海省财政 10.00" not in page and "城东区财政 15.00" not in page
    province_only = Entitlement.objects.get(rule__code="xn-high-tech-province")
    assert client.get(reverse("incentives:detail", args=[province_only.pk])).status_code == 404
    county_share = share("xn-high-tech-city", "630102")
    response = client.post(reverse("incentives:share-action", args=[county_share.pk, "approve"]))
    assert response.status_code == 404


def test_county_and_other_city_finance_users_see_only_theirs(client, high_tech, finance_users):
    """城东区财政局 sees the county half only; 鄂尔多斯 市财政局 sees nothing of 西宁's."""
    city = Entitlement.objects.get(rule__code="xn-high-tech-city")
    client.force_login(finance_users["cd_finance"])
    detail = client.get(reverse("incentives:detail", args=[city.pk])).content.decode()
    assert "城东区财政 pays 城东光伏科技有限公司" in detail and "西宁市财政" not in detail
    client.force_login(finance_users["eeds_finance"])
    assert "城东光伏科技有限公司" not in client.get(reverse("incentives:list")).content.decode()
    assert client.get(reverse("incentives:detail", args=[city.pk])).status_code == 404


def test_api_scope_matches_the_pages(high_tech, finance_users):
    """The API lists the province finance office's share only, and 404s another funder's share."""
    response = api(finance_users["qh_finance"]).get(reverse("api-entitlements"))
    assert response.status_code == 200
    funders = [(s["funder"], s["amount"]) for row in response.json()["results"] for s in row["shares"]]
    assert funders == [("青海省", "10.00")]
    city_share = share("xn-high-tech-city", "630100")
    response = api(finance_users["qh_finance"]).post(
        reverse("api-share-approve", args=[city_share.pk]), {}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_bureau_staff_read_all_shares_but_only_finance_moves_money(client, high_tech, finance_users):
    """西宁 市工信局 sees every share of its enterprises, yet approving is forbidden."""
    client.force_login(finance_users["xn_industry"])
    page = client.get(reverse("incentives:list")).content.decode()
    assert "青海省财政 10.00" in page and "西宁市财政 15.00" in page and "城东区财政 15.00" in page
    city_share = share("xn-high-tech-city", "630100")
    assert client.post(reverse("incentives:share-action", args=[city_share.pk, "approve"])).status_code == 403
    response = api(finance_users["xn_industry"]).post(
        reverse("api-share-approve", args=[city_share.pk]), {}, format="json"
    )
    assert response.status_code == 403


def test_finance_approves_and_pays_through_the_page_and_the_budget_moves(client, high_tech, finance_users):
    """The city office approves and pays its 15 万元; the budget row goes from outstanding to paid."""
    client.force_login(finance_users["xn_finance"])
    city_share = share("xn-high-tech-city", "630100")
    budget = client.get(reverse("incentives:budget")).content.decode()
    assert "15.00" in budget
    client.post(
        reverse("incentives:share-action", args=[city_share.pk, "approve"]),
        {f"approve-{city_share.pk}-version": city_share.version},
    )
    city_share.refresh_from_db()
    response = client.post(
        reverse("incentives:share-action", args=[city_share.pk, "pay"]),
        {
            f"pay-{city_share.pk}-amount": "15",
            f"pay-{city_share.pk}-paid_on": "2024-10-08",
            f"pay-{city_share.pk}-voucher_no": "XN-2024-088",
            f"pay-{city_share.pk}-version": city_share.version,
        },
        follow=True,
    )
    assert "Payment recorded." in response.content.decode()
    city_share.refresh_from_db()
    assert city_share.status == ShareStatus.PAID
    rows = api(finance_users["xn_finance"]).get(reverse("api-incentive-budget")).json()
    assert rows == [
        {
            "funder_id": city_share.funder_region_id,
            "funder": "西宁市",
            "year": 2024,
            "count": 1,
            "owed": "15.00",
            "approved": "15.00",
            "paid": "15.00",
            "outstanding": "0.00",
            "clawback_due": "0.00",
            "presumed": "0.00",
            "awaiting_data": "0.00",
            "allocated": None,
            "available": None,
            "used_percent": None,
            "warning": "",
            "forecast": None,
        }
    ]


def test_a_service_error_is_shown_on_the_page(client, high_tech, finance_users):
    """Paying more than approved returns to the entitlement with the reason."""
    client.force_login(finance_users["xn_finance"])
    city_share = share("xn-high-tech-city", "630100")
    services.approve_share(actor=None, share_id=city_share.pk)
    response = client.post(
        reverse("incentives:share-action", args=[city_share.pk, "pay"]),
        {
            f"pay-{city_share.pk}-amount": "20",
            f"pay-{city_share.pk}-paid_on": "2024-10-08",
            f"pay-{city_share.pk}-voucher_no": "X",
        },
        follow=True,
    )
    assert "at most the approved, unpaid 15" in response.content.decode()


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def test_list_page_and_endpoint_query_counts_stay_flat(client, reward_rules, regions, finance_users, grant):
    """Three or twelve entitlements: the same number of queries for the page, the API and the export."""
    client.force_login(finance_users["xn_industry"])
    rest = api(finance_users["xn_industry"])
    for _ in range(2):
        grant(EnterpriseFactory(region=regions["chengdong"]), "srdi-sme", day(2024))
    few = [
        _queries(lambda: client.get(reverse("incentives:list"))),
        _queries(lambda: rest.get(reverse("api-entitlements"))),
        _queries(lambda: client.get(reverse("incentives:export"))),
        _queries(lambda: rest.get(reverse("api-incentive-rules"))),
    ]
    for _ in range(5):
        grant(EnterpriseFactory(region=regions["chengzhong"]), "srdi-sme", day(2024))
    many = [
        _queries(lambda: client.get(reverse("incentives:list"))),
        _queries(lambda: rest.get(reverse("api-entitlements"))),
        _queries(lambda: client.get(reverse("incentives:export"))),
        _queries(lambda: rest.get(reverse("api-incentive-rules"))),
    ]
    assert Entitlement.objects.count() == 14
    assert few == many


def test_export_lists_shares_and_payments_and_escapes_formulas(client, reward_rules, regions, finance_users, grant):
    """The workbook has one row per visible share with Chinese headers; a name starting with = is not a formula."""
    enterprise = EnterpriseFactory(region=regions["chengdong"], name='=HYPERLINK("http://x","点我")')
    grant(enterprise, "high-tech", day(2024))
    city_share = share("xn-high-tech-city", "630100")
    services.approve_share(actor=None, share_id=city_share.pk)
    services.record_payment(
        actor=None, share_id=city_share.pk, amount=Decimal("15"), paid_on=day(2024, 10), voucher_no="+PZ1"
    )
    client.force_login(finance_users["xn_finance"])
    response = client.get(reverse("incentives:export"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    shares_sheet, payments_sheet = workbook["应兑现明细"], workbook["兑付记录"]
    rows = list(shares_sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("收款方", "收款方类型", "企业", "统一社会信用代码", "受益地区")
    assert len(rows) == 2  # the city share only
    assert rows[1][0] == "'" + '=HYPERLINK("http://x","点我")'
    assert rows[1][1] == "Enterprise"  # the enterprise itself receives it
    assert rows[1][11:15] == ("西宁市财政", 50, "已确认", 15)
    payments = list(payments_sheet.iter_rows(values_only=True))
    assert payments[1][7] == "'+PZ1"


def test_budget_export_and_rules_page(client, high_tech, finance_users):
    """The budget workbook holds the table, the forecast and its assumptions; the rules page cites each article."""
    client.force_login(finance_users["admin"])
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("incentives:budget-export")).content))
    assert workbook.sheetnames == ["预算执行", "目标成本预测", "预测假设"]
    budget = list(workbook["预算执行"].iter_rows(values_only=True))
    # funder, year, allocated, approved, available, used %, count, owed, 推定, awaiting, paid, outstanding, claw back
    assert ("青海省", 2024, None, 0, None, None, 1, 10, 0, 0, 0, 10, 0) == budget[1][:13]
    rules = client.get(reverse("incentives:rules")).content.decode()
    assert "国家级专精特新“小巨人”奖励（已认定和新认定）" in rules
    assert "鄂尔多斯市关于加快推动“专精特新”中小企业高质量发展的实施意见 （三）" in rules
    assert "≤ 50.00" in rules  # 西宁 "不高于50万元"


def test_enterprise_page_shows_rewards_and_next_rung(client, high_tech, finance_users):
    """The enterprise page lists what it is owed and what reaching 科技小巨人 would add (90 + 40 万元)."""
    client.force_login(finance_users["xn_industry"])
    page = client.get(reverse("enterprises:detail", args=[high_tech.pk])).content.decode()
    assert 'data-testid="enterprise-rewards"' in page
    assert "新认定高新技术企业奖励（市级）" in page
    assert "科技小巨人企业</strong>: 130.00 万元" in page


def test_recording_an_event_through_the_api(high_tech, finance_users):
    """Staff record a 中国企业500强 entry; the 400 万元 entitlement comes back."""
    response = api(finance_users["xn_industry"]).post(
        reverse("api-reward-events"),
        {"kind": "top_list", "event_code": "china-500", "enterprise": high_tech.pk, "occurred_on": "2025-09-01"},
        format="json",
    )
    assert response.status_code == 201
    assert [row["amount"] for row in response.json()] == ["400.00"]


def test_openapi_schema_documents_the_endpoints(client, finance_users):
    client.force_login(finance_users["admin"])
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/v1/incentives/entitlements/",
        "/api/v1/incentives/shares/{id}/payments/",
        "/api/v1/incentives/forecast/",
    ):
        assert path in schema


def test_staff_record_a_platform_award_through_the_form(client, reward_rules, regions, finance_users):
    """鄂尔多斯（十四）: staff record a platform's year; 20 万元 is owed to it and the list shows it."""
    from portal.tests.factories import UserFactory

    platform = EnterpriseFactory(region=regions["kangbashi"], name="康巴什中小企业公共服务示范平台")
    staff = UserFactory(username="t_eeds_staff", role="staff", region=regions["ordos"])
    client.force_login(staff)
    assert client.get(reverse("incentives:event-create")).status_code == 200
    response = client.post(
        reverse("incentives:event-create"),
        {"kind": "platform_award", "credit_code": platform.credit_code, "occurred_on": "2025-03-01"},
        follow=True,
    )
    assert "Event recorded; 1 entitlement(s) computed." in response.content.decode()
    assert "康巴什中小企业公共服务示范平台" in response.content.decode()
    refused = client.post(
        reverse("incentives:event-create"),
        {"kind": "platform_award", "credit_code": "91630100MA0000000X", "occurred_on": "2025-03-01"},
    )
    assert "No enterprise with this credit code in your region." in refused.content.decode()


def test_liaisons_do_not_see_rewards(client, regions):
    from portal.tests.factories import UserFactory

    client.force_login(UserFactory(username="t_inc_liaison", role="liaison", region=regions["xining"]))
    assert client.get(reverse("incentives:list")).status_code == 403
    assert client.get(reverse("incentives:budget")).status_code == 403
