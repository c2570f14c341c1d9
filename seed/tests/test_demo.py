"""`manage.py load_demo`: the demo accounts and enterprises the README promises."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from enterprises import credit_codes, industries
from enterprises.models import AnnualIndicator, Enterprise
from portal.models import AuditEvent, Region, User
from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, plan_demo_enterprises
from tiers.models import Recognition


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "indicators": AnnualIndicator.objects.count(),
        "recognitions": Recognition.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_loading_the_demo_again_adds_nothing(demo):
    before = counts()

    again = load_demo()

    assert "enterprises_created: 0" not in demo
    assert before["enterprises"] >= 100
    assert "enterprises_created: 0, recognitions_created: 0" in again
    assert counts() == before


def test_the_demo_plan_is_the_same_on_every_run():
    first, second = plan_demo_enterprises(), plan_demo_enterprises()
    assert [item.credit_code for item in first] == [item.credit_code for item in second]
    assert first[0].indicators == second[0].indicators


def test_the_documented_accounts_exist_with_their_role_region_and_department(demo):
    expected = {
        "admin": ("admin", "中国", None),
        "zw_leader": ("leader", "中卫市", None),
        "zw_staff": ("staff", "中卫市", "市工业和信息化局"),
        "spt_staff": ("staff", "沙坡头区", None),
        "zn_staff": ("staff", "中宁县", "县工业和信息化局"),
        "zn_staff2": ("staff", "中宁县", "县工业和信息化局"),
        "zw_kjj_staff": ("staff", "中卫市", "市科技局"),
        "xn_finance": ("staff", "西宁市", "市财政局"),
        "eeds_finance": ("staff", "鄂尔多斯市", "市财政局"),
        "bz_finance": ("staff", "博尔塔拉蒙古自治州", "州财政局"),
        "zw_kjj_liaison": ("liaison", "中卫市", "市科技局"),
    }
    for username, (role, region, department) in expected.items():
        user = User.objects.select_related("region", "department").get(username=username)
        assert (user.role, user.region.name, user.department and user.department.name) == (role, region, department)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_admin
    assert admin.region.parent is None


def test_every_demo_account_matches_its_listing_and_logs_in_with_the_documented_password(demo, client):
    assert DEMO_PASSWORD == "Portal-Demo-2026"
    for account in DEMO_ACCOUNTS:
        user = User.objects.select_related("region", "department").get(username=account.username)
        assert user.role == account.role
        assert user.region.code == account.region_code
        assert (user.department.name if user.department else "") == account.department
        assert user.department is None or user.department.region == user.region
        assert client.login(username=account.username, password=DEMO_PASSWORD), account.username
        client.logout()


def test_a_demo_user_logs_in_through_the_login_page(demo, client):
    response = client.post(reverse("login"), {"username": "zn_staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="zn_staff").pk


def test_every_county_and_park_of_zhongwei_has_demo_enterprises(demo):
    zhongwei = Region.objects.get(code="640500")
    for region in Region.objects.filter(parent=zhongwei):
        assert Enterprise.objects.filter(region=region).count() >= 15, region.name
    for code in ("630100", "150600", "652700"):
        city = Region.objects.get(code=code)
        assert Enterprise.objects.filter(region__path__startswith=city.path).exclude(region=city).count() >= 10


def test_demo_enterprises_have_valid_codes_industries_and_three_years_of_roster_figures(demo):
    enterprises = list(Enterprise.objects.select_related("region", "region__parent").prefetch_related("indicators"))
    assert len(enterprises) == len({enterprise.name for enterprise in enterprises})
    for enterprise in enterprises:
        parsed = credit_codes.parse(enterprise.credit_code)
        assert parsed.is_well_formed and parsed.has_valid_check, enterprise.credit_code
        region = enterprise.region
        while region.kind == "park":  # parks register with the county or city that runs them
            region = region.parent
        assert enterprise.credit_code[2:8] == region.code, enterprise.name
        assert industries.validate(enterprise.industry_code)[1] is None
        assert enterprise.registered_on is not None and enterprise.size_class
        assert sorted(indicator.year for indicator in enterprise.indicators.all()) == [2023, 2024, 2025]
        for indicator in enterprise.indicators.all():
            assert {stamp["source"] for stamp in indicator.sources.values()} == {"roster"}
    manufacturing = [e for e in enterprises if e.is_manufacturing]
    assert len(manufacturing) > 0.7 * len(enterprises)
    latest = AnnualIndicator.objects.filter(year=2025)
    assert latest.filter(operating_revenue__gte=1800, operating_revenue__lte=2200).exists()
    near_three_percent = [i for i in latest if 0.027 <= i.rd_expense / i.operating_revenue <= 0.033]
    assert len(near_three_percent) >= 10


def test_demo_recognitions_come_from_the_roster_and_are_audited(demo):
    recognitions = Recognition.objects.select_related("tier")
    held = {recognition.tier.code for recognition in recognitions}
    assert {"high-tech", "tech-sme", "srdi-sme", "innovative-sme", "little-giant", "single-champion"} <= held
    assert set(recognitions.values_list("source", flat=True)) == {"roster"}
    granted = AuditEvent.objects.filter(object_type="tiers.recognition", action=AuditEvent.Action.CREATE)
    assert granted.count() == recognitions.count()
    assert set(granted.values_list("origin", flat=True)) == {"command:load_demo"}
