"""Smaller hardening: amounts that cannot be negative, upload refusals that name the real reason,
one escaping for every spreadsheet written."""

import inspect

import pytest
from django.utils import translation
from import_export import resources
from rest_framework.test import APIClient

from enterprises.models import AnnualIndicator, Enterprise
from enterprises.resources import EnterpriseResource
from enterprises.roster.errors import RosterRefused
from enterprises.roster.reading import read_sheet
from enterprises.tests.factories import EnterpriseFactory
from portal.excel import SpreadsheetSafeResource
from tests.test_related_scope import project_subclasses

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_negative_rd_expense_is_refused_naming_the_field(users, region_tree):
    enterprise = EnterpriseFactory(region=region_tree["shapotou"])
    api = APIClient()
    api.force_authenticate(users["spt_staff"])
    url = f"/api/v1/enterprises/{enterprise.pk}/indicators/2024/"
    response = api.put(url, {"rd_expense": "-5", "expected_version": 0}, format="json")
    assert response.status_code == 400
    assert "rd_expense" in response.json()["error"]["fields"]
    assert not AnnualIndicator.objects.filter(enterprise=enterprise).exists()
    # A loss is a negative profit, and that is allowed.
    assert api.put(url, {"net_profit": "-5", "expected_version": 0}, format="json").status_code == 200


def test_the_service_refuses_a_negative_amount_with_the_field_in_chinese(users, region_tree):
    from enterprises.services import save_indicators
    from portal.exceptions import ServiceError

    enterprise = EnterpriseFactory(region=region_tree["shapotou"])
    with pytest.raises(ServiceError) as refused:
        save_indicators(actor=users["spt_staff"], enterprise=enterprise, year=2024, values={"rd_expense": -1})
    assert refused.value.message == "研发费用不能为负数。"


@pytest.mark.parametrize(
    ("name", "data"),
    [("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\xff" * 300), ("report.pdf", b"%PDF-1.7\n\x00\x01binary")],
)
def test_an_upload_that_is_no_spreadsheet_is_refused_for_its_type_not_its_encoding(name, data):
    with pytest.raises(RosterRefused) as refused:
        read_sheet(data, file_name=name)
    assert refused.value.code == "unsupported_format"
    assert "编码" not in refused.value.message


def test_the_admin_export_escapes_cells_like_every_other_spreadsheet(region_tree):
    for name in ("=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx"):
        EnterpriseFactory(name=name, region=region_tree["shapotou"])
    dataset = EnterpriseResource().export(Enterprise.objects.order_by("pk"))
    names = dataset["name"]
    assert names == ["'=HYPERLINK(1)", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx"]


def test_every_import_export_resource_escapes_its_cells():
    unsafe = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in project_subclasses(resources.Resource)
        if not issubclass(cls, SpreadsheetSafeResource) and not inspect.isabstract(cls)
    ]
    assert unsafe == []
