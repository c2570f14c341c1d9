"""Roster pages and API: administrators only, the dry run with its mapping, commit, rejected rows as a workbook."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from enterprises.models import Enterprise, RosterImport
from enterprises.roster.services import upload_roster
from enterprises.tests.roster_files import HEADER, code, roster_rows, xlsx_bytes

NON_ADMINS = ["zw_leader", "zw_staff", "spt_staff", "zw_liaison"]


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


def xlsx_upload(rows, name="2023年名单.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows), content_type="application/octet-stream")


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_administrators_reach_the_roster_pages_and_api(client, users, role):
    roster_import = upload_roster(actor=users["admin"], file_name="a.xlsx", data=xlsx_bytes([HEADER, *roster_rows(1)]))
    client.force_login(users[role])
    for name, args in (
        ("roster-list", []),
        ("roster-detail", [roster_import.pk]),
        ("roster-rejected", [roster_import.pk]),
    ):
        assert client.get(reverse(f"enterprises:{name}", args=args)).status_code == 403
    assert client.post(reverse("enterprises:roster-upload"), {"file": xlsx_upload([HEADER])}).status_code == 403
    assert client.post(reverse("enterprises:roster-commit", args=[roster_import.pk])).status_code == 403
    api = APIClient()
    api.force_authenticate(users[role])
    assert api.get("/api/v1/rosters/").status_code == 403
    assert api.get(f"/api/v1/rosters/{roster_import.pk}/").status_code == 403
    assert api.post(f"/api/v1/rosters/{roster_import.pk}/commit/").status_code == 403
    assert Enterprise.objects.count() == 0


def test_upload_shows_the_mapping_and_the_dry_run_then_commits(client, users):
    client.force_login(users["admin"])
    rows = [HEADER, *roster_rows(2), [3, "坏企业", code(3)[:17], "沙坡头区", "", "", "", ""]]
    response = client.post(reverse("enterprises:roster-upload"), {"file": xlsx_upload(rows)})
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("enterprises:roster-detail", args=[roster_import.pk])

    page = client.get(response.url).content.decode()
    assert "营业收入（万元）" in page  # the mapping table shows the file's header
    assert "第 4 行「统一社会信用代码」：长度应为 18 位，实际 17 位" in page
    assert "宁夏测试1有限公司" in page
    assert 'data-testid="roster-commit"' in page

    response = client.post(reverse("enterprises:roster-commit", args=[roster_import.pk]), follow=True)
    assert Enterprise.objects.count() == 2
    assert "已提交" in response.content.decode() or "committed" in response.content.decode().lower()


def test_rejected_rows_download_as_a_workbook_with_an_error_column_and_escaped_formulas(client, users):
    rows = [
        HEADER,
        [1, '=HYPERLINK("http://evil")', code(1)[:17], "沙坡头区", "", "", "", ""],
        *roster_rows(1, start=2),
    ]
    roster_import = upload_roster(actor=users["admin"], file_name="a.csv", data=_csv(rows))
    client.force_login(users["admin"])
    response = client.get(reverse("enterprises:roster-rejected", args=[roster_import.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["行号", "错误原因"]
    assert values[1][1] == '\'=HYPERLINK("http://evil")'
    assert values[1][-1] == "第 2 行「统一社会信用代码」：长度应为 18 位，实际 17 位"
    assert len(values) == 2


def _csv(rows):
    from enterprises.tests.roster_files import csv_bytes

    return csv_bytes(rows)


def test_a_hostile_upload_is_refused_on_the_form(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse("enterprises:roster-upload"), {"file": SimpleUploadedFile("a.xlsx", b"")})
    assert response.status_code == 400
    assert "文件是空的（0 字节）" in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_the_list_page_query_count_stays_flat(client, users, django_assert_max_num_queries):
    client.force_login(users["admin"])
    upload_roster(actor=users["admin"], file_name="a.xlsx", data=xlsx_bytes([HEADER, *roster_rows(1)]))
    with django_assert_max_num_queries(8) as captured:
        client.get(reverse("enterprises:roster-list"))
    few = len(captured)
    for n in range(5):
        upload_roster(
            actor=users["admin"], file_name=f"{n}.xlsx", data=xlsx_bytes([HEADER, *roster_rows(1, start=n + 5)])
        )
    with django_assert_max_num_queries(few):
        response = client.get(reverse("enterprises:roster-list"))
    assert response.content.decode().count("roster-status") == 6


def test_api_upload_report_and_commit(users):
    api = APIClient()
    api.force_authenticate(users["admin"])
    upload = SimpleUploadedFile("名单.xlsx", xlsx_bytes([HEADER, *roster_rows(2)]))
    response = api.post("/api/v1/rosters/", {"file": upload}, format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created_count"] == 2
    assert body["mapping"][1]["label"] == "统一社会信用代码"
    assert [row["action"] for row in body["rows"]] == ["create", "create"]

    assert api.get(f"/api/v1/rosters/{body['id']}/").json()["sha256"] == body["sha256"]
    assert api.get("/api/v1/rosters/").json()["results"][0]["id"] == body["id"]
    committed = api.post(f"/api/v1/rosters/{body['id']}/commit/")
    assert committed.status_code == 200
    assert committed.json()["status"] == "committed"
    assert Enterprise.objects.count() == 2
    again = api.post(f"/api/v1/rosters/{body['id']}/commit/")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "not_ready"


def test_the_api_is_in_the_openapi_schema(users):
    api = APIClient()
    api.force_authenticate(users["admin"])
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"/api/v1/rosters/", "/api/v1/rosters/{id}/", "/api/v1/rosters/{id}/commit/"} <= set(schema["paths"])
    assert "multipart/form-data" in schema["paths"]["/api/v1/rosters/"]["post"]["requestBody"]["content"]
