"""Money a finance office can plan with: caps from data, 推定 funders, allocations, tranches and clawbacks."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.models import AnnualIndicator
from enterprises.services import save_indicators
from enterprises.tests.factories import EnterpriseFactory
from incentives import selectors, services
from incentives.models import EntitlementShare, FundAllocation, RewardRule, ShareStatus, Trigger
from incentives.tests.conftest import day
from portal.exceptions import ServiceError
from portal.models import AuditEvent
from portal.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def tax(enterprise, **years: str) -> None:
    for year, amount in years.items():
        AnnualIndicator.objects.create(enterprise=enterprise, year=int(year[1:]), tax_paid=Decimal(amount))


def transfer(enterprise, base: str = "1500"):
    """西宁 technology transfer: 20 % of the project's R&D, at most 200 万元, 省:市 8:2."""
    _event, created = services.record_reward_event(
        actor=None, kind=Trigger.PROJECT_SHARE, enterprise=enterprise, occurred_on=day(2024), base_amount=Decimal(base)
    )
    return created[0]


def test_the_three_year_tax_total_caps_the_transfer_grant(reward_rules, regions):
    """1500 × 20 % = 300, at most 200, and not above 40 + 50 + 60 = 150 of tax paid in 2021–2023: 150 (120 + 30)."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    tax(enterprise, y2021="40", y2022="50", y2023="60")
    entitlement = transfer(enterprise)
    assert entitlement.amount == Decimal("150")
    assert entitlement.calculation == (
        "1500 × 20% = 300 万元，最高 200 万元；不高于3年累计纳税总额：2021年 40 + 2022年 50 + 2023年 60 = 150 万元，取 150 万元"
    )
    shares = dict(entitlement.shares.values_list("funder_region__name", "amount"))
    assert shares == {"青海省": Decimal("120"), "西宁市": Decimal("30")}


def test_without_the_tax_figures_the_grant_waits_and_is_never_paid_uncapped(
    reward_rules, regions, finance_users, django_capture_on_commit_callbacks
):
    """2021 is missing: the shares wait as 待补充数据 and cannot be approved; entering 2021 settles them at 150."""
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    tax(enterprise, y2022="50", y2023="60")
    entitlement = transfer(enterprise)
    assert "待补充数据：缺 2021年纳税总额" in entitlement.calculation
    shares = list(entitlement.shares.all())
    assert {share.status for share in shares} == {ShareStatus.AWAITING_DATA}
    assert services.allowed_transitions(shares[0]) == []
    with pytest.raises(ServiceError):
        services.approve_share(actor=None, share_id=shares[0].pk)
    rows = {row.funder: row for row in selectors.budget_rows(finance_users["admin"])}
    assert (rows["青海省"].owed, rows["青海省"].awaiting_data) == (Decimal("0"), Decimal("160"))

    with django_capture_on_commit_callbacks(execute=True):
        save_indicators(
            actor=finance_users["admin"], enterprise=enterprise, year=2021, values={"tax_paid": Decimal("40")}
        )
    entitlement.refresh_from_db()
    assert entitlement.amount == Decimal("150")
    assert entitlement.calculation.endswith("= 150 万元，取 150 万元")
    assert dict(entitlement.shares.values_list("funder_region__name", "status")) == {
        "青海省": ShareStatus.DUE,
        "西宁市": ShareStatus.DUE,
    }
    assert dict(entitlement.shares.values_list("funder_region__name", "amount")) == {
        "青海省": Decimal("120"),
        "西宁市": Decimal("30"),
    }


@pytest.fixture
def bozhou_finance(regions):
    department = DepartmentFactory(name="州财政局", region=regions["bozhou"])
    return UserFactory(username="t_bz_finance", role="staff", region=regions["bozhou"], department=department)


def test_unstated_funders_are_presumed_until_finance_confirms(reward_rules, regions, grant, bozhou_finance):
    """博州 专精特新 25 万元: the document names no split; it is owed as 推定 and shown apart until confirmed."""
    rule = RewardRule.objects.get(code="bozhou-srdi")
    assert rule.funders_presumed
    assert RewardRule.objects.filter(code__startswith="ordos-", funders_presumed=True, is_monetary=True).count() == 7
    assert not RewardRule.objects.filter(code__startswith="xn-", funders_presumed=True).exists()
    enterprise = EnterpriseFactory(region=regions["bole"])
    grant(enterprise, "srdi-sme", day(2024))
    (row,) = selectors.budget_rows(bozhou_finance)
    assert (row.owed, row.presumed) == (Decimal("25"), Decimal("25"))

    services.confirm_rule_funders(
        actor=bozhou_finance,
        rule_id=rule.pk,
        funders={"city": "40", "county": "60"},
        note="州财政局2024年第3次会议",
        expected_version=rule.version,
    )
    shares = dict(
        EntitlementShare.objects.filter(entitlement__enterprise=enterprise).values_list("funder_region__name", "amount")
    )
    assert shares == {"博尔塔拉蒙古自治州": Decimal("10"), "博乐市": Decimal("15")}
    (row,) = selectors.budget_rows(bozhou_finance)
    assert (row.owed, row.presumed) == (Decimal("10"), Decimal("0"))
    event = AuditEvent.objects.get(object_type="incentives.rewardrule", object_id=str(rule.pk))
    assert event.actor == bozhou_finance and event.note == "州财政局2024年第3次会议"
    assert event.changes["funders_presumed"] == [True, False]

    rule.refresh_from_db()
    from portal.exceptions import ConcurrentEditError

    with pytest.raises(ConcurrentEditError):
        services.confirm_rule_funders(
            actor=bozhou_finance, rule_id=rule.pk, funders={"city": "100"}, expected_version=rule.version - 1
        )
    with pytest.raises(ServiceError, match="add up to 100"):
        services.confirm_rule_funders(actor=bozhou_finance, rule_id=rule.pk, funders={"city": "50"})


def test_only_the_rules_own_finance_department_decides_its_funders(
    client, reward_rules, regions, finance_users, bozhou_finance
):
    """西宁 市财政局 may not decide 博州's split (403, page and API); 博州 州财政局 may, and reloading rules keeps it."""
    rule = RewardRule.objects.get(code="bozhou-srdi")
    url = reverse("api-rule-funders", args=[rule.pk])
    body = {"funders": {"city": "100"}, "note": "确认", "expected_version": rule.version}
    assert api(finance_users["xn_finance"]).post(url, body, format="json").status_code == 403
    client.force_login(finance_users["xn_finance"])
    page = client.post(reverse("incentives:rule-funding", args=[rule.pk]), {"action": "funders"})
    assert page.status_code == 403
    response = api(bozhou_finance).post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["funders_presumed"] is False

    from incentives.services.rule_loader import load_reward_rules

    load_reward_rules()
    rule.refresh_from_db()
    assert not rule.funders_presumed


def test_allocation_available_and_warnings(client, reward_rules, regions, finance_users, grant):
    """西宁 市财政局 allocates 50 for 2024; approving 3 high-tech city halves (45) leaves 5: 90 % used, red."""
    finance = finance_users["xn_finance"]
    client.force_login(finance)
    response = client.post(
        reverse("incentives:allocation-set"),
        {"funder_region": regions["xining"].pk, "year": 2024, "amount": "50", "note": "2024年奖补资金", "version": 0},
    )
    assert response.status_code == 302
    enterprises = [EnterpriseFactory(region=regions["chengdong"]) for _ in range(3)]
    for enterprise in enterprises:
        grant(enterprise, "high-tech", day(2024))
    city_shares = EntitlementShare.objects.filter(entitlement__rule__code="xn-high-tech-city", level="city")
    rows = {row.funder: row for row in selectors.budget_rows(finance)}
    assert (rows["西宁市"].allocated, rows["西宁市"].available, rows["西宁市"].warning) == (
        Decimal("50"),
        Decimal("50"),
        "",
    )
    share_ids = list(city_shares.values_list("pk", flat=True))
    services.approve_share(actor=finance, share_id=share_ids[0])
    services.approve_share(actor=finance, share_id=share_ids[1])
    (row,) = selectors.budget_rows(finance)
    assert (row.approved, row.available, row.used_percent, row.warning) == (
        Decimal("30"),
        Decimal("20"),
        Decimal("60.0"),
        "",
    )
    # The city cuts its allocation to 40: 30 approved is 75 %, amber.
    FundAllocation.objects.filter(year=2024).update(amount=Decimal("40"))
    (row,) = selectors.budget_rows(finance)
    assert (row.used_percent, row.warning) == (Decimal("75.0"), "warning")
    services.approve_share(actor=finance, share_id=share_ids[2])
    (row,) = selectors.budget_rows(finance)
    assert (row.available, row.warning) == (Decimal("-5"), "danger")
    page = client.get(reverse("incentives:budget")).content.decode()
    assert 'data-testid="budget-warning"' in page


def test_allocation_written_by_someone_else_meanwhile_is_refused(reward_rules, regions, finance_users):
    from portal.exceptions import ConcurrentEditError

    finance = finance_users["xn_finance"]
    allocation = services.set_allocation(
        actor=finance, funder_region=regions["xining"], year=2025, amount=Decimal("800"), expected_version=0
    )
    services.set_allocation(
        actor=finance, funder_region=regions["xining"], year=2025, amount=Decimal("900"), expected_version=1
    )
    with pytest.raises(ConcurrentEditError):
        services.set_allocation(
            actor=finance,
            funder_region=regions["xining"],
            year=2025,
            amount=Decimal("700"),
            expected_version=allocation.version,
        )
    assert FundAllocation.objects.get(year=2025).amount == Decimal("900")
    assert AuditEvent.objects.filter(object_type="incentives.fundallocation").count() == 2


def sheet(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_allocation_import_is_all_or_nothing_with_row_errors(client, reward_rules, regions, finance_users):
    """A sheet with one bad row imports nothing and names each row's problem; a clean one imports every row."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    admin = finance_users["admin"]
    bad = sheet(
        ("出资方", "年度", "预算额度（万元）", "备注"),
        ("西宁市", 2025, 800, "市级"),
        ("青海省", "明年", 1200, ""),
        ("火星市", 2025, "-5", ""),
    )
    client.force_login(admin)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("incentives:allocation-import"),
            {"file": SimpleUploadedFile("allocations.xlsx", bad)},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert FundAllocation.objects.count() == 0
    assert "第 3 行" in page and "年度" in page
    assert "第 4 行" in page and "火星市" in page

    response = api(admin).post(
        reverse("api-allocations-import"), {"file": SimpleUploadedFile("a.xlsx", bad)}, format="multipart"
    )
    assert response.status_code == 400
    assert len(response.json()["error"]["fields"]["rows"]) == 3

    good = sheet(("出资方", "年度", "预算额度（万元）"), ("西宁市", 2025, 800), ("630000", "2025年", "1,200.5"))
    response = api(admin).post(
        reverse("api-allocations-import"), {"file": SimpleUploadedFile("a.xlsx", good)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert dict(FundAllocation.objects.values_list("funder_region__name", "amount")) == {
        "西宁市": Decimal("800"),
        "青海省": Decimal("1200.50"),
    }


def test_finance_sets_only_its_own_funders_allocation_over_the_api(reward_rules, regions, finance_users):
    finance = finance_users["xn_finance"]
    url = reverse("api-allocations")
    own = api(finance).post(url, {"funder_region": regions["xining"].pk, "year": 2025, "amount": "800"}, format="json")
    assert own.status_code == 201, own.content
    other = api(finance).post(url, {"funder_region": regions["qinghai"].pk, "year": 2025, "amount": "1"}, format="json")
    assert other.status_code == 403
    assert api(finance_users["qh_finance"]).get(url).json() == []
    assert [row["funder"] for row in api(finance).get(url).json()] == ["西宁市"]
    staff = finance_users["xn_industry"]
    denied = api(staff).post(url, {"funder_region": regions["xining"].pk, "year": 2025, "amount": "9"}, format="json")
    assert denied.status_code == 403


def test_tranches_are_configured_on_the_rule_page_and_audited(client, reward_rules, regions, finance_users):
    """The 西宁 市财政局 sets the city 小巨人 配套 to 50/50; a sum other than 100 is refused with a message."""
    rule = RewardRule.objects.get(code="xn-little-giant-city")
    client.force_login(finance_users["xn_finance"])
    url = reverse("incentives:rule-funding", args=[rule.pk])
    refused = client.post(url, {"action": "tranches", "tranches-tranches": "50,40", "tranches-version": rule.version})
    assert "together they must make 100" in refused.content.decode()
    client.post(url, {"action": "tranches", "tranches-tranches": "50，50", "tranches-version": rule.version})
    rule.refresh_from_db()
    assert rule.tranche_percents == [50, 50]
    assert AuditEvent.objects.filter(object_type="incentives.rewardrule", changes__tranche_percents=[[], [50, 50]])
    client.force_login(finance_users["qh_finance"])
    assert client.post(url, {"action": "tranches", "tranches-tranches": "100"}).status_code == 403


def test_allocation_list_and_budget_page_queries_stay_flat(client, reward_rules, regions, finance_users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = finance_users["admin"]
    client.force_login(admin)

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as listing:
            assert api(admin).get(reverse("api-allocations")).status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("incentives:budget")).status_code == 200
        return len(listing), len(page)

    services.set_allocation(actor=admin, funder_region=regions["xining"], year=2024, amount=Decimal("100"))
    few = counts()
    for year in range(2025, 2031):
        for funder in (regions["qinghai"], regions["ordos"], regions["bozhou"]):
            services.set_allocation(actor=admin, funder_region=funder, year=year, amount=Decimal("10"))
    assert counts() == few


def test_every_entitlement_row_names_who_receives_and_who_pays(reward_rules, regions, finance_users, grant):
    """升规 is paid to the county's government, a 高企 reward to the enterprise; each share names its payer."""
    from enterprises import scale_periods

    enterprise = EnterpriseFactory(region=regions["chengdong"], name="城东精工有限公司")
    grant(enterprise, "high-tech", day(2024))
    period = scale_periods.record_above_scale_period(actor=None, enterprise=enterprise, entered_on=day(2024, 2))
    services.compute_entitlements_for_periods(period_ids=[period.pk])
    rows = api(finance_users["admin"]).get(reverse("api-entitlements")).json()["results"]
    recipients = {row["rule"]: (row["recipient"], row["recipient_kind"]) for row in rows}
    assert recipients["xn-above-scale-province"] == ("城东区人民政府", "Government")
    assert recipients["xn-high-tech-city"] == ("城东精工有限公司", "Enterprise")
    payers = {share["payer"] for row in rows for share in row["shares"]}
    assert payers == {"青海省财政", "西宁市财政", "城东区财政"}
    assert all(share["recipient"] == row["recipient"] for row in rows for share in row["shares"])


def test_clawback_is_recorded_from_the_page_with_reason_and_amount(client, reward_rules, regions, finance_users, grant):
    """A rule that claws back: the city paid 15, the 高企 is revoked, the share waits 待定追回; finance records
    10 returned with the reason on the page, then the remaining 5."""
    from tiers.models import Recognition

    RewardRule.objects.filter(code="xn-high-tech-city").update(clawback_on_revocation=True)
    enterprise = EnterpriseFactory(region=regions["chengdong"])
    recognition = grant(enterprise, "high-tech", day(2024))
    share = EntitlementShare.objects.get(entitlement__rule__code="xn-high-tech-city", level="city")
    services.approve_share(actor=None, share_id=share.pk)
    services.record_payment(actor=None, share_id=share.pk, amount=Decimal("15"), paid_on=day(2024, 9), voucher_no="P1")
    Recognition.objects.filter(pk=recognition.pk).update(status=Recognition.Status.REVOKED, revoked_reason="复核不合格")
    services.apply_revocation(recognition_id=recognition.pk)
    share.refresh_from_db()
    assert share.status == ShareStatus.CLAWBACK_DUE
    client.force_login(finance_users["xn_finance"])
    detail = client.get(reverse("incentives:detail", args=[share.entitlement_id])).content.decode()
    assert f'data-testid="claw_back-form-{share.funder_region.code}"' in detail

    def claw_back(amount: str, voucher: str, reason: str):
        share.refresh_from_db()
        prefix = f"claw_back-{share.pk}"
        return client.post(
            reverse("incentives:share-action", args=[share.pk, "claw_back"]),
            {
                f"{prefix}-amount": amount,
                f"{prefix}-paid_on": "2025-03-01",
                f"{prefix}-voucher_no": voucher,
                f"{prefix}-reason": reason,
                f"{prefix}-version": share.version,
            },
            follow=True,
        )

    assert "Clawback recorded." in claw_back("10", "TH-1", "认定撤销，追回首笔").content.decode()
    assert "Clawback recorded." in claw_back("5", "TH-2", "认定撤销，追回余额").content.decode()
    share.refresh_from_db()
    assert (share.status, share.clawed_back_amount) == (ShareStatus.CLAWED_BACK, Decimal("15"))
    assert list(share.payments.filter(kind="clawback").values_list("reason", flat=True)) == [
        "认定撤销，追回首笔",
        "认定撤销，追回余额",
    ]
    (row,) = [row for row in selectors.budget_rows(finance_users["xn_finance"]) if row.funder == "西宁市"]
    assert (row.paid, row.clawback_due) == (Decimal("0"), Decimal("0"))
