"""The Django admin is no side door: what has hooks is read-only there, the rest is audited."""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import RequestFactory

from enterprises.tests.factories import EnterpriseFactory
from portal.admin import AuditedAdmin
from portal.models import AuditEvent, Region, User
from portal.tests.factories import DepartmentFactory, RegionFactory
from tiers.tests.factories import RecognitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_request(users):
    request = RequestFactory().post("/admin/")
    request.user = users["admin"]
    return request


def test_every_admin_that_can_write_is_audited_and_versioned_records_are_read_only(admin_request):
    writable, unaudited, versioned = [], [], []
    for model, model_admin in admin.site._registry.items():
        can_write = (
            model_admin.has_add_permission(admin_request)
            or model_admin.has_change_permission(admin_request)
            or model_admin.has_delete_permission(admin_request)
        )
        if not can_write:
            continue
        writable.append(model._meta.label)
        if not isinstance(model_admin, AuditedAdmin):
            unaudited.append(model._meta.label)
        if any(field.name == "version" for field in model._meta.get_fields()):
            versioned.append(model._meta.label)
    assert unaudited == []
    # A versioned record is changed by a service that checks the version; the admin would skip it.
    assert versioned == []
    assert {"portal.User", "portal.Region", "tiers.Tier"} <= set(writable)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/tiers/recognition/add/",
        "/admin/tiers/application/add/",
        "/admin/incentives/payment/add/",
    ],
)
def test_records_with_hooks_cannot_be_added_in_the_admin(client, users, url):
    client.force_login(users["admin"])
    assert client.get(url).status_code == 403


def test_enterprises_and_recognitions_cannot_be_deleted_in_the_admin(client, users, region_tree):
    recognition = RecognitionFactory(enterprise=EnterpriseFactory(region=region_tree["shapotou"]))
    client.force_login(users["admin"])
    enterprise_url = f"/admin/enterprises/enterprise/{recognition.enterprise.pk}/delete/"
    assert client.post(enterprise_url, {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/tiers/recognition/{recognition.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_users_role_region_and_department_changed_in_the_admin_are_audited(admin_request, users, region_tree):
    person = users["spt_staff"]
    department = DepartmentFactory(name="中宁县工信局", region=region_tree["zhongning"])
    person.role, person.region, person.department = "leader", region_tree["zhongning"], department
    admin.site._registry[User].save_model(
        admin_request, person, SimpleNamespace(changed_data=["role", "region", "department"]), True
    )
    event = AuditEvent.objects.get(object_type="portal.user", object_id=str(person.pk))
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == users["admin"]
    assert event.changes == {
        "role": ["staff", "leader"],
        "region": ["沙坡头区", "中宁县"],
        "department": [None, "中宁县工信局"],
    }


def test_a_region_given_a_new_parent_in_the_admin_moves_its_subtree(admin_request, region_tree):
    county = region_tree["zhongning"]
    town = RegionFactory(name="石空镇", code="640521100", kind="county", parent=county)
    county.parent = region_tree["xining"]
    admin.site._registry[Region].save_model(admin_request, county, SimpleNamespace(changed_data=["parent"]), True)
    town.refresh_from_db()
    assert town.path.startswith(region_tree["xining"].path)
    event = AuditEvent.objects.get(object_type="portal.region", object_id=str(county.pk))
    assert event.changes == {"parent": ["中卫市", "西宁市"]}


def test_a_bulk_delete_in_the_admin_is_audited(admin_request, region_tree):
    department = DepartmentFactory(name="临时机构", region=region_tree["zhongning"])
    model_admin = admin.site._registry[type(department)]
    model_admin.delete_queryset(admin_request, type(department).objects.filter(pk=department.pk))
    event = AuditEvent.objects.get(object_type="portal.department", action=AuditEvent.Action.DELETE)
    assert event.object_repr == "临时机构"
    assert event.region == region_tree["zhongning"]
