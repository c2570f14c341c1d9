"""“View as” and the permission summary: read-only, audited, and the summary says what the API allows."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.models import ComplianceRecord, Enterprise
from enterprises.tests.factories import EnterpriseFactory
from overview.access.summary import permission_summary
from portal.models import AuditEvent
from tiers.reference import load_criteria_sets, load_tiers_and_ladders


@pytest.fixture
def firms(region_tree):
    return {
        "spt": EnterpriseFactory(name="沙坡头可见企业有限公司", region=region_tree["shapotou"]),
        "zn": EnterpriseFactory(name="中宁不可见企业有限公司", region=region_tree["zhongning"]),
    }


def _start(client, admin, target):
    client.force_login(admin)
    response = client.post(reverse("access:view-as-start", args=[target.pk]))
    assert response.status_code == 302


def test_an_administrator_sees_pages_as_the_user_with_a_banner(client, users, firms):
    _start(client, users["admin"], users["spt_staff"])
    page = client.get(reverse("enterprises:list")).content.decode()
    assert 'data-testid="view-as-banner"' in page and "t_spt_staff" in page
    assert "沙坡头可见企业有限公司" in page and "中宁不可见企业有限公司" not in page, (
        "the user's scope, not the admin's"
    )
    assert client.get(reverse("enterprises:detail", args=[firms["zn"].pk])).status_code == 404
    started = AuditEvent.objects.get(action="view_as", actor=users["admin"])
    assert started.object_id == str(users["spt_staff"].pk)


def test_every_write_is_refused_and_audited_while_viewing_as(client, users, firms):
    _start(client, users["admin"], users["spt_staff"])
    url = reverse("enterprises:compliance-create", args=[firms["spt"].pk])
    page = client.post(url, {"kind": "serious_dishonest", "listed_on": "2025-01-01"})
    assert page.status_code == 403
    assert "只读" in page.content.decode() or "read-only" in page.content.decode()
    api = client.post(
        reverse("api-enterprise-compliance", args=[firms["spt"].pk]),
        {"kind": "serious_dishonest", "listed_on": "2025-01-01"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["error"]["code"] == "view_as_read_only"
    assert not ComplianceRecord.objects.exists()
    refused = AuditEvent.objects.filter(action="view_as", actor=users["admin"], changes__has_key="refused")
    assert refused.count() == 2
    assert refused.first().changes["refused"][1].startswith("POST /")

    client.post(reverse("access:view-as-stop"))
    assert "view-as-banner" not in client.get(reverse("enterprises:list")).content.decode()
    assert AuditEvent.objects.filter(action="view_as").count() == 4, "start, two refusals, stop"
    ok = client.post(url, {"kind": "serious_dishonest", "listed_on": "2025-01-01"})
    assert ok.status_code == 302, "the administrator writes again once view-as is left"


def test_only_administrators_may_view_as_and_never_as_another_administrator(client, users):
    client.force_login(users["zw_staff"])
    assert client.post(reverse("access:view-as-start", args=[users["spt_staff"].pk])).status_code == 403
    other_admin = type(users["admin"]).objects.create(username="t_admin2", role="admin")
    client.force_login(users["admin"])
    assert client.post(reverse("access:view-as-start", args=[other_admin.pk])).status_code == 403


def test_the_permission_page_lists_role_scope_and_department(client, users):
    client.force_login(users["admin"])
    page = client.get(reverse("access:user", args=[users["zw_staff"].pk])).content.decode()
    assert "中卫市" in page and "市工业和信息化局" in page
    assert 'data-testid="capability-record_compliance" data-allowed="yes"' in page


ROLES = ["admin", "zw_leader", "zw_staff", "spt_staff", "zn_staff", "zw_liaison"]


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_summary_matches_what_the_api_allows(role, users, region_tree):
    load_tiers_and_ladders()
    load_criteria_sets()
    user = users[role]
    summary = permission_summary(user)
    allowed = {item.code: item for item in summary.capabilities}
    client = APIClient()
    client.force_authenticate(user)
    for item in summary.capabilities:
        if item.api:
            status = client.get(reverse(item.api)).status_code
            assert (status == 200) == item.allowed, (role, item.code, status)
    comparison = client.get(reverse("api-criteria-comparison", args=["srdi-sme"])).status_code
    assert (comparison == 200) == allowed["compare_criteria"].allowed, (role, comparison)
    enterprise = EnterpriseFactory(region=summary.sample_region)
    created = client.post(
        reverse("api-enterprise-compliance", args=[enterprise.pk]),
        {"kind": "abnormal_operation", "listed_on": datetime.date(2025, 1, 1).isoformat()},
        format="json",
    )
    assert (created.status_code == 201) == allowed["record_compliance"].allowed, (role, created.status_code)
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()


def test_list_pages_and_endpoints_of_this_work_keep_a_flat_query_count(client, users, region_tree):
    """The compliance history, the import list, the user list and the version comparison do not grow with rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprises.compliance.services import record_compliance

    load_tiers_and_ladders()
    firm = EnterpriseFactory(region=region_tree["shapotou"])
    client.force_login(users["admin"])
    urls = [
        reverse("api-enterprise-compliance", args=[firm.pk]),
        reverse("enterprises:compliance-imports"),
        reverse("access:users"),
        reverse("api-criteria-comparison", args=["srdi-sme"]),
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    def grow(n: int) -> None:
        for index in range(n):
            record_compliance(
                actor=users["admin"],
                enterprise=firm,
                kind="serious_dishonest",
                listed_on=datetime.date(2025, 1, 1 + index),
            )
            EnterpriseFactory(region=region_tree["zhongning"])
            type(users["admin"]).objects.create(
                username=f"t_more_{firm.pk}_{index}_{n}", role="staff", region=region_tree["zhongning"]
            )

    grow(2)
    few = counts()
    grow(8)
    assert counts() == few
