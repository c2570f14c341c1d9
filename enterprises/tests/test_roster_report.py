"""The dry-run report as rows: what it shows is what the commit writes, paged by outcome;
a roster's tier and year chosen at upload, and its figures filed under the roster's own year."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from enterprises.models import AnnualIndicator, Enterprise
from enterprises.roster.analysis import RosterChoices
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import HEADER, code, csv_bytes, report_rows, roster_rows, xlsx_bytes
from portal.models import AuditEvent
from tiers.models import Recognition
from tiers.reference import load_tiers_and_ladders


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


def test_the_dry_run_report_rows_are_exactly_the_changes_the_commit_writes(users, region_tree):
    """Every created or updated row of the report has audit events with the same changes; no other row has any."""
    renamed = EnterpriseFactory(credit_code=code(1), name="旧名称有限公司", region=region_tree["shapotou"])
    AnnualIndicator.objects.create(enterprise=renamed, year=datetime.date.today().year - 1, employees=7)
    same = EnterpriseFactory(credit_code=code(2), name="宁夏测试2有限公司", region=region_tree["shapotou"])
    rows = roster_rows(5)
    rows[1][4:] = [same.industry_code, same.registered_on, None, None]  # nothing new for enterprise 2
    rows[3][2] = "9164050000000000X"  # rejected: 17 characters
    admin = users["admin"]
    roster_import = upload_roster(actor=admin, file_name="名单.xlsx", data=xlsx_bytes([HEADER, *rows]))
    report = {row["credit_code"]: row for row in report_rows(roster_import)}
    assert {code: row["action"] for code, row in report.items()} == {
        code(1): "update",
        code(2): "unchanged",
        code(3): "create",
        "9164050000000000X": "reject",
        code(5): "create",
    }

    commit_roster(actor=admin, roster_import=roster_import)

    events = AuditEvent.objects.filter(origin=f"import:{roster_import.pk}")
    written: dict[str, dict] = {}
    for event in events.filter(object_type__in=["enterprises.enterprise", "enterprises.annualindicator"]):
        enterprise = (
            Enterprise.objects.get(pk=event.object_id)
            if event.object_type == "enterprises.enterprise"
            else AnnualIndicator.objects.get(pk=event.object_id).enterprise
        )
        written.setdefault(enterprise.credit_code, {}).update(event.changes)
    assert set(written) == {code(1), code(3), code(5)}
    assert written[code(1)] == report[code(1)]["changes"]
    assert written[code(1)]["name"] == ["旧名称有限公司", "宁夏测试1有限公司"]
    for created in (code(3), code(5)):
        plan = report[created]["plan"]
        expected = {key: [None, value] for key, value in plan["indicator"].items()}
        expected |= {key: [None, value] for key, value in plan["enterprise"].items() if key != "region"}
        assert {key: value for key, value in written[created].items() if key in expected} == expected
        assert written[created]["region"] == [None, "沙坡头区"]


def test_the_report_page_is_filtered_by_outcome_and_any_page_costs_the_same_queries(client, users, region_tree):
    """Tabs keep one outcome; the last page is read with as many statements as the first."""
    rows = roster_rows(120)
    for index in (10, 70, 119):
        rows[index][6] = "很多"  # not a number: rejected
    roster_import = upload_roster(actor=users["admin"], file_name="名单.csv", data=csv_bytes([HEADER, *rows]))
    assert (roster_import.created_count, roster_import.rejected_count) == (117, 3)
    client.force_login(users["admin"])
    url = reverse("enterprises:roster-detail", args=[roster_import.pk])

    rejected = client.get(url, {"action": "reject"}).content.decode()
    assert rejected.count('data-action="reject"') == 3 and 'data-action="create"' not in rejected
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as last:
        page = client.get(url, {"page": 3}).content.decode()
    assert page.count("<tr data-action=") == 20
    assert len(last.captured_queries) == len(first.captured_queries)


def test_a_roster_without_a_title_gets_the_tier_and_year_chosen_at_upload(client, users, region_tree):
    """The form's tier and year make recognitions of that tier and file the figures under that year."""
    load_tiers_and_ladders()
    client.force_login(users["admin"])
    upload = SimpleUploadedFile("名单.csv", csv_bytes([HEADER, *roster_rows(2)]))

    response = client.post(reverse("enterprises:roster-upload"), {"file": upload, "tier": "little-giant", "year": 2023})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "2023" in page and "上传时选择" in page
    commit = client.post(response["Location"] + "commit/")
    assert commit.status_code == 302
    recognition = Recognition.objects.get(enterprise__credit_code=code(1))
    assert (recognition.tier.code, recognition.recognized_on.year, recognition.batch) == (
        "little-giant",
        2023,
        "2023年",
    )
    assert AnnualIndicator.objects.get(enterprise__credit_code=code(1)).year == 2023


def test_the_api_takes_the_tier_and_year_and_says_where_the_year_comes_from(users, region_tree):
    load_tiers_and_ladders()
    api = APIClient()
    api.force_authenticate(users["admin"])
    upload = SimpleUploadedFile("名单.csv", csv_bytes([HEADER, *roster_rows(1)]))

    reply = api.post("/api/v1/rosters/", {"file": upload, "tier": "little-giant", "year": 2024}, format="multipart")

    assert reply.status_code == 201, reply.json()
    body = reply.json()
    assert (body["indicator_year"], body["year_source"]) == (2024, "chosen")
    assert body["title"]["tier_code"] == "little-giant"
    refused = api.post(
        "/api/v1/rosters/",
        {"file": SimpleUploadedFile("a.csv", csv_bytes([HEADER])), "tier": "no-such-tier"},
        format="multipart",
    )
    assert refused.status_code == 400


def test_figures_are_filed_under_the_title_year_and_another_year_is_a_row_error(users, region_tree):
    """The title's year is the roster's year: a row whose year column says otherwise is rejected, not warned about."""
    load_tiers_and_ladders()
    header = [*HEADER, "指标年度"]
    rows = [[*row, 2023] for row in roster_rows(3)]
    rows[2][-1] = 2022
    roster_import = upload_roster(
        actor=users["admin"],
        file_name="名单.csv",
        data=csv_bytes([["2023年第五批专精特新“小巨人”企业名单"], header, *rows]),
    )

    assert (roster_import.report["indicator_year"], roster_import.report["year_source"]) == (2023, "title")
    rejected = [row for row in report_rows(roster_import) if row["action"] == "reject"]
    assert [row["credit_code"] for row in rejected] == [code(3)]
    assert rejected[0]["errors"][0]["code"] == "indicator_year_mismatch"
    from enterprises.roster import messages

    assert "指标年度 2022 与名单年度 2023 不一致" in messages.render(rejected[0]["errors"][0])
    commit_roster(actor=users["admin"], roster_import=roster_import)
    assert set(AnnualIndicator.objects.values_list("year", flat=True)) == {2023}
    assert AnnualIndicator.objects.get(enterprise__credit_code=code(1)).operating_revenue == Decimal("1001")


def test_a_chosen_year_does_not_override_the_title(users, region_tree):
    """The title says 2023: figures go under 2023 even when another year was chosen."""
    load_tiers_and_ladders()
    roster_import = upload_roster(
        actor=users["admin"],
        file_name="名单.csv",
        data=csv_bytes([["2023年第五批专精特新“小巨人”企业名单"], HEADER, *roster_rows(1)]),
        choices=RosterChoices(tier_code="", year=2021),
    )
    assert (roster_import.report["indicator_year"], roster_import.report["year_source"]) == (2023, "title")


def test_a_large_file_is_parsed_once_by_the_dry_run_job_and_keeps_its_reading_warnings(
    users, region_tree, monkeypatch, django_capture_on_commit_callbacks
):
    """Over the inline limit, the upload only counts rows; the job parses the file and the report keeps
    what reading noticed on the way (merged cells), as the inline path does."""
    from enterprises.models import RosterImport
    from enterprises.roster import reading
    from enterprises.roster import services as roster_services

    monkeypatch.setattr(roster_services, "INLINE_ROW_LIMIT", 2)
    parsed = []
    original = reading._stream_workbook
    monkeypatch.setattr(reading, "_stream_workbook", lambda *args: parsed.append(1) or original(*args))
    rows = [HEADER, *roster_rows(3)]
    rows[2][3] = rows[3][3] = None
    with django_capture_on_commit_callbacks(execute=True):
        roster_import = upload_roster(
            actor=users["admin"], file_name="名单.xlsx", data=xlsx_bytes(rows, merged=["D2:D4"])
        )

    roster_import = RosterImport.objects.get(pk=roster_import.pk)
    assert roster_import.status == RosterImport.Status.ANALYSED
    assert roster_import.created_count == 3
    assert parsed == [1]
    assert "merged_cells" in [warning["code"] for warning in roster_import.report["warnings"]]
