"""The admin log page (/audit/): scoped, filterable, with who, when, from where and before/after."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from enterprises import services
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from portal.audit import audit_origin
from portal.models import AuditEvent
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(users, region_tree):
    """One change in each county of 中卫市 and one in 西宁市, by different people from different places."""
    spt = EnterpriseFactory(name="沙坡头甲公司", region=region_tree["shapotou"])
    zn = EnterpriseFactory(name="中宁乙公司", region=region_tree["zhongning"])
    xn = EnterpriseFactory(name="西宁丙公司", region=region_tree["xining"])
    xn_staff = UserFactory(username="t_xn_staff", role="staff", region=region_tree["xining"])
    with audit_origin("10.64.5.21"):
        services.update_enterprise(actor=users["spt_staff"], enterprise=spt, main_products="枸杞酒")
    with audit_origin("10.64.21.9"):
        services.save_indicators(actor=users["zn_staff"], enterprise=zn, year=2024, values={"employees": 80})
    with audit_origin("10.63.1.1"):
        services.update_enterprise(actor=xn_staff, enterprise=xn, main_products="藏药")
    return {"spt": spt, "zn": zn, "xn": xn}


def shown(response) -> list[str]:
    return [event.object_repr for event in response.context["page"].object_list]


def test_admin_sees_every_change_with_who_when_where_and_before_after(client, users, changes):
    client.force_login(users["admin"])
    response = client.get(reverse("audit-log"))
    assert sorted(shown(response)) == ["中宁乙公司 2024", "沙坡头甲公司", "西宁丙公司"]
    html = response.content.decode()
    assert "t_spt_staff" in html and "10.64.5.21" in html
    assert "枸杞酒" in html
    with translation.override("zh-hans"):
        label = str(Enterprise._meta.get_field("main_products").verbose_name)
    assert f'<span class="text-secondary">{label}</span>' in html  # the field's label, not its name


def test_city_leader_sees_only_their_city(client, users, changes):
    client.force_login(users["zw_leader"])
    assert sorted(shown(client.get(reverse("audit-log")))) == ["中宁乙公司 2024", "沙坡头甲公司"]


def test_county_leader_sees_only_their_county(client, region_tree, changes):
    leader = UserFactory(username="t_zn_leader", role="leader", region=region_tree["zhongning"])
    client.force_login(leader)
    assert shown(client.get(reverse("audit-log"))) == ["中宁乙公司 2024"]


def test_filter_by_object_type_and_actor(client, users, changes):
    client.force_login(users["admin"])
    by_type = client.get(reverse("audit-log"), {"object_type": "enterprises.annualindicator"})
    assert shown(by_type) == ["中宁乙公司 2024"]
    by_actor = client.get(reverse("audit-log"), {"actor": "T_SPT_STAFF"})
    assert shown(by_actor) == ["沙坡头甲公司"]
    both = client.get(reverse("audit-log"), {"object_type": "enterprises.enterprise", "actor": "t_zn_staff"})
    assert shown(both) == []
    assert 'data-testid="audit-empty"' in both.content.decode()
    assert by_type.context["object_types"] == ["enterprises.annualindicator", "enterprises.enterprise"]


@pytest.mark.parametrize("username", ["spt_staff", "zw_liaison"])
def test_staff_and_liaisons_cannot_open_the_log(client, users, username):
    client.force_login(users[username])
    assert client.get(reverse("audit-log")).status_code == 403


def test_times_are_shown_in_beijing_time(client, users, changes):
    """An event written at 00:30 UTC reads 08:30 on the page."""
    AuditEvent.objects.update(at=datetime.datetime(2026, 3, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("UTC")))
    client.force_login(users["admin"])
    assert "2026-03-01 08:30:00" in client.get(reverse("audit-log")).content.decode()
