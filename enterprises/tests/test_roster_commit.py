"""Committing rosters: upserts by credit code, all or nothing, audited, recognitions from the title."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import translation

from enterprises.models import AnnualIndicator, Enterprise, RosterImport
from enterprises.roster import committer, messages
from enterprises.roster.errors import RosterRefused
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import HEADER, code, report_rows, roster_rows, xlsx_bytes
from portal.models import AuditEvent, Job
from tiers import services as tier_services
from tiers.models import Recognition
from tiers.reference import load_tiers_and_ladders


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def tiers(region_tree):
    load_tiers_and_ladders()


def business_events() -> int:
    """Audit rows about the register; the import's own upload, commit and refusal rows aside."""
    return AuditEvent.objects.exclude(object_type="enterprises.rosterimport").count()


def upload(user, rows, name="名单.xlsx"):
    return upload_roster(actor=user, file_name=name, data=xlsx_bytes(rows))


def test_new_rows_are_created_with_indicators_and_audited_as_the_import(users):
    """A dry run shows creations; committing creates enterprises and figures, audited with origin import:<id>."""
    roster_import = upload(users["admin"], [HEADER, *roster_rows(3)])
    assert roster_import.status == RosterImport.Status.ANALYSED
    assert (roster_import.created_count, roster_import.rejected_count) == (3, 0)
    assert Enterprise.objects.count() == 0

    roster_import = commit_roster(actor=users["admin"], roster_import=roster_import)

    assert roster_import.status == RosterImport.Status.COMMITTED
    enterprise = Enterprise.objects.get(credit_code=code(2))
    assert enterprise.name == "宁夏测试2有限公司"
    assert enterprise.region.name == "沙坡头区"
    assert enterprise.registered_on == datetime.date(2015, 5, 1)
    indicator = AnnualIndicator.objects.get(enterprise=enterprise)
    assert indicator.year == datetime.date.today().year - 1
    assert indicator.operating_revenue == Decimal("1002")
    assert indicator.employees == 52
    assert indicator.sources["operating_revenue"]["source"] == "roster"
    events = AuditEvent.objects.filter(origin=f"import:{roster_import.pk}")
    assert events.filter(object_type="enterprises.enterprise", action="create").count() == 3
    assert events.filter(object_type="enterprises.annualindicator", action="create").count() == 3
    created = events.get(object_type="enterprises.enterprise", object_id=str(enterprise.pk))
    assert created.changes["name"] == [None, "宁夏测试2有限公司"]
    assert created.changes["region"] == [None, "沙坡头区"]
    assert created.actor == users["admin"]


def test_reimporting_the_same_file_changes_nothing(users):
    """Upsert by credit code: the second commit finds every row unchanged and writes no audit event."""
    rows = [HEADER, *roster_rows(4)]
    commit_roster(actor=users["admin"], roster_import=upload(users["admin"], rows))
    events_before = business_events()
    versions_before = list(Enterprise.objects.order_by("pk").values_list("version", "updated_at"))

    second = upload(users["admin"], rows)

    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 4)
    assert not second.can_be_committed
    with pytest.raises(RosterRefused):
        commit_roster(actor=users["admin"], roster_import=second)
    assert business_events() == events_before
    assert list(Enterprise.objects.order_by("pk").values_list("version", "updated_at")) == versions_before


def test_changed_rows_are_updated_with_before_and_after(users, region_tree):
    """The dry run shows before → after; the commit updates only what changed and keeps blank cells' values."""
    existing = EnterpriseFactory(
        credit_code=code(1), name="旧名称有限公司", region=region_tree["shapotou"], main_products="枸杞"
    )
    rows = [HEADER, [1, "宁夏测试1有限公司", code(1), "中宁县", "", "2015-05-01", 1001, 51], *roster_rows(1, start=2)]

    roster_import = upload(users["admin"], rows)

    report = {row["row"]: row for row in report_rows(roster_import)}
    assert report[2]["action"] == "update"
    assert report[2]["changes"]["name"] == ["旧名称有限公司", "宁夏测试1有限公司"]
    assert report[2]["changes"]["region"] == ["沙坡头区", "中宁县"]
    assert report[3]["action"] == "create"

    commit_roster(actor=users["admin"], roster_import=roster_import)

    existing.refresh_from_db()
    assert existing.name == "宁夏测试1有限公司"
    assert existing.region == region_tree["zhongning"]
    assert existing.industry_code == "C3911"  # blank cell: kept
    assert existing.main_products == "枸杞"
    assert existing.version == 2
    event = AuditEvent.objects.get(object_type="enterprises.enterprise", object_id=str(existing.pk), action="update")
    assert event.changes == {"name": ["旧名称有限公司", "宁夏测试1有限公司"], "region": ["沙坡头区", "中宁县"]}
    assert event.origin == f"import:{roster_import.pk}"


def test_a_failure_mid_commit_leaves_nothing_written(users, monkeypatch):
    """All or nothing: a constraint violation in the second batch rolls back the first batch too."""
    monkeypatch.setattr(committer, "BATCH_SIZE", 2)
    roster_import = upload(users["admin"], [HEADER, *roster_rows(5)])
    # Tamper with the stored dry run so that row 5 passes validation but violates the
    # database's CHECK constraint on the digitalisation level (1–4).
    row = roster_import.report_rows.get(row=5)
    row.detail["plan"]["indicator"]["digital_level"] = 9
    row.save(update_fields=["detail"])
    audit_before = business_events()

    with pytest.raises(RosterRefused) as refusal:
        commit_roster(actor=users["admin"], roster_import=roster_import)

    assert "提交失败，没有写入任何数据" in refusal.value.message
    assert Enterprise.objects.count() == 0
    assert AnnualIndicator.objects.count() == 0
    assert business_events() == audit_before
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert messages.render(roster_import.error).startswith("提交失败")


def test_a_title_row_makes_every_row_a_recognition_like_grant_recognition(
    users, tiers, django_capture_on_commit_callbacks
):
    """ "2023年第五批专精特新“小巨人”企业名单" above the header grants little-giant recognitions, with hooks after commit."""
    granted = []
    tier_services.RECOGNITION_GRANTED_HOOKS.append(granted.append)
    try:
        rows = [["2023年第五批专精特新“小巨人”企业名单"], ["单位：万元"], HEADER, *roster_rows(2)]
        roster_import = upload(users["admin"], rows)
        assert roster_import.report["title"]["tier_code"] == "little-giant"
        assert roster_import.report["title"]["batch"] == "2023年第五批"
        with django_capture_on_commit_callbacks(execute=True):
            commit_roster(actor=users["admin"], roster_import=roster_import)
    finally:
        tier_services.RECOGNITION_GRANTED_HOOKS.remove(granted.append)

    recognitions = Recognition.objects.order_by("pk")
    assert [r.tier.code for r in recognitions] == ["little-giant", "little-giant"]
    first = recognitions[0]
    assert first.recognized_on == datetime.date(2023, 1, 1)
    assert first.batch == "2023年第五批"
    assert first.valid_until == datetime.date(2025, 12, 31)
    assert first.status == Recognition.Status.EXPIRED  # valid_until lies in the past, as grant_recognition decides
    assert first.source == Recognition.Source.ROSTER
    assert sorted(granted) == [r.pk for r in recognitions]
    assert AuditEvent.objects.filter(object_type="tiers.recognition", action="create").count() == 2

    again = upload(users["admin"], rows)
    assert again.updated_count == 0 and again.unchanged_count == 2


def test_recognitions_match_grant_recognition_field_for_field(users, tiers, region_tree):
    """The set-based path and grant_recognition record the same recognition."""
    rows = [
        ["所属地区", "企业名称", "统一社会信用代码", "认定类型", "认定日期", "批次"],
        ["沙坡头区", "甲公司", code(1), "高新技术企业", "2024年11月5日", "2024年第一批"],
    ]
    commit_roster(actor=users["admin"], roster_import=upload(users["admin"], rows))
    imported = Recognition.objects.get()
    other = EnterpriseFactory(credit_code=code(2), region=region_tree["shapotou"])
    manual, _created = tier_services.grant_recognition(
        actor=users["admin"],
        enterprise=other,
        tier=imported.tier,
        recognized_on=datetime.date(2024, 11, 5),
        batch="2024年第一批",
    )
    for field in ("tier_id", "recognized_on", "year", "batch", "valid_until", "status"):
        assert getattr(imported, field) == getattr(manual, field), field


def test_large_files_run_as_jobs_that_report_progress(users, monkeypatch, django_capture_on_commit_callbacks):
    """Above the inline limit the dry run and the commit run as background jobs (eager in tests)."""
    from enterprises.roster import services

    monkeypatch.setattr(services, "INLINE_ROW_LIMIT", 3)
    with django_capture_on_commit_callbacks(execute=True):
        roster_import = upload(users["admin"], [HEADER, *roster_rows(6)])
    roster_import.refresh_from_db()
    assert roster_import.job.kind == "enterprises.jobs.analyse_roster"
    assert roster_import.job.status == Job.Status.SUCCEEDED
    assert roster_import.status == RosterImport.Status.ANALYSED
    assert roster_import.created_count == 6

    with django_capture_on_commit_callbacks(execute=True):
        commit_roster(actor=users["admin"], roster_import=roster_import)
    roster_import.refresh_from_db()
    job = roster_import.job
    assert job.kind == "enterprises.jobs.commit_roster"
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress, job.total) == (6, 6)
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert Enterprise.objects.count() == 6
    assert AuditEvent.objects.filter(origin=f"import:{roster_import.pk}").count() == 12


def test_unique_violation_is_a_real_integrity_error():
    """Guard for the all-or-nothing test: the constraint it relies on exists."""
    assert any(c.name == "indicator_digital_level_range" for c in AnnualIndicator._meta.constraints)
    assert IntegrityError
