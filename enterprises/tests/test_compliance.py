"""Compliance records: entered by staff, imported from credit-information exports (dry run, row errors, all or nothing)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.compliance import services
from enterprises.compliance.models import ComplianceCoverage, ComplianceImport, ComplianceRecord
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import xlsx_bytes
from portal.models import AuditEvent

HEADER = ["企业名称", "统一社会信用代码", "类别", "列入日期", "移出日期", "决定机关", "文号", "事由"]


@pytest.fixture
def firms(region_tree):
    return {
        "spt": EnterpriseFactory(name="沙坡头精密制造有限公司", region=region_tree["shapotou"]),
        "zn": EnterpriseFactory(name="中宁枸杞科技有限公司", region=region_tree["zhongning"]),
        "xn": EnterpriseFactory(name="西宁高原材料有限公司", region=region_tree["xining"]),
    }


def _upload(users, region, rows):
    data = xlsx_bytes([HEADER, *rows])
    return services.upload_compliance(actor=users["admin"], region=region, file_name="信用.xlsx", data=data)


def test_a_clean_export_is_committed_with_audit_and_marks_the_region_as_covered(users, region_tree, firms):
    spt, zn = firms["spt"], firms["zn"]
    rows = [
        [
            spt.name,
            spt.credit_code,
            "行政处罚-安全-重大",
            "2025-03-01",
            "",
            "中卫市应急管理局",
            "卫应急罚〔2025〕12号",
            "未落实安全生产责任",
        ],
        [
            zn.name,
            zn.credit_code,
            "经营异常名录",
            "2024-05-10",
            "2024-09-01",
            "中宁县市场监督管理局",
            "",
            "未按时公示年报",
        ],
    ]
    dry_run = _upload(users, region_tree["zhongwei"], rows)
    assert (dry_run.created_count, dry_run.rejected_count) == (2, 0)
    assert not ComplianceRecord.objects.exists(), "the dry run writes nothing"

    done = services.commit_compliance_import(actor=users["admin"], compliance_import=dry_run)

    assert done.status == ComplianceImport.Status.COMMITTED
    penalty = ComplianceRecord.objects.get(enterprise=spt)
    assert (penalty.kind, penalty.category, penalty.is_major) == ("penalty", "safety", True)
    assert penalty.document_number == "卫应急罚〔2025〕12号"
    assert ComplianceRecord.objects.get(enterprise=zn).removed_on == datetime.date(2024, 9, 1)
    assert ComplianceCoverage.objects.get().region == region_tree["zhongwei"]
    assert AuditEvent.objects.filter(object_type="enterprises.compliancerecord", action="create").count() == 2
    assert AuditEvent.objects.filter(object_type="enterprises.complianceimport", action="import").exists()

    again = _upload(users, region_tree["zhongwei"], rows)
    assert (again.created_count, again.unchanged_count) == (0, 2), "the same file again changes nothing"


def test_bad_rows_are_named_in_chinese_and_nothing_is_imported(users, region_tree, firms):
    spt, xn = firms["spt"], firms["xn"]
    rows = [
        [
            spt.name,
            spt.credit_code,
            "行政处罚-安全-重大",
            "2025-03-01",
            "",
            "中卫市应急管理局",
            "卫应急罚〔2025〕12号",
            "",
        ],
        [spt.name, spt.credit_code, "红名单", "2025-03-01", "", "", "", ""],
        [spt.name, spt.credit_code, "行政处罚", "2025-03-01", "", "", "", ""],
        [spt.name, spt.credit_code, "经营异常名录", "2025-13-45", "", "", "", ""],
        [spt.name, spt.credit_code, "经营异常名录", "2025-03-01", "2024-01-01", "", "", ""],
        [xn.name, xn.credit_code, "严重失信主体", "2025-03-01", "", "", "", ""],
        ["某某公司", "91640500MA7", "严重失信主体", "2025-03-01", "", "", "", ""],
    ]
    dry_run = _upload(users, region_tree["zhongwei"], rows)
    rejected = {row["row"]: row for row in dry_run.report["rows"] if row["action"] == "reject"}
    assert sorted(rejected) == [3, 4, 5, 6, 7, 8]
    from enterprises.compliance.selectors import report_rows

    texts = {row["row"]: " ".join(row["error_texts"]) for row in report_rows(dry_run, "reject")}
    assert texts[3].startswith("第 3 行「类别」：无法识别类别“红名单”")
    assert "「类别」：行政处罚须注明领域" in texts[4]
    assert "「列入日期」：无法识别日期“2025-13-45”" in texts[5]
    assert "「移出日期」：移出日期 2024-01-01 早于列入日期 2025-03-01" in texts[6]
    assert "不在本次导入的地区“中卫市”内" in texts[7]
    assert "「统一社会信用代码」：长度应为 18 位" in texts[8]

    with pytest.raises(services.ComplianceRefused, match="6 行有错误"):
        services.commit_compliance_import(actor=users["admin"], compliance_import=dry_run)
    assert not ComplianceRecord.objects.exists(), "all or nothing: the good row is not imported either"
    assert not ComplianceCoverage.objects.exists()


def test_a_file_without_the_export_header_is_refused(users, region_tree):
    data = xlsx_bytes([["序号", "名称"], [1, "某公司"]])
    refused = services.upload_compliance(
        actor=users["admin"], region=region_tree["zhongwei"], file_name="x.xlsx", data=data
    )
    assert refused.status == ComplianceImport.Status.REFUSED
    assert "找不到表头" in refused.error


def test_staff_enter_records_for_their_region_only_and_each_entry_is_audited(users, firms):
    client = APIClient()
    client.force_authenticate(users["spt_staff"])
    payload = {
        "kind": "penalty",
        "category": "environment",
        "is_major": True,
        "listed_on": "2025-02-01",
        "authority": "中卫市生态环境局",
        "document_number": "卫环罚〔2025〕3号",
    }
    created = client.post(reverse("api-enterprise-compliance", args=[firms["spt"].pk]), payload, format="json")
    assert created.status_code == 201, created.content
    assert AuditEvent.objects.filter(
        object_type="enterprises.compliancerecord", object_id=str(created.data["id"])
    ).exists()

    other = client.post(reverse("api-enterprise-compliance", args=[firms["zn"].pk]), payload, format="json")
    assert other.status_code == 404, "an enterprise outside the user's county is not found"

    no_category = client.post(
        reverse("api-enterprise-compliance", args=[firms["spt"].pk]), {**payload, "category": ""}, format="json"
    )
    assert no_category.status_code == 400

    leader = APIClient()
    leader.force_authenticate(users["zw_leader"])
    assert leader.get(reverse("api-enterprise-compliance", args=[firms["spt"].pk])).status_code == 200
    assert (
        leader.post(reverse("api-enterprise-compliance", args=[firms["spt"].pk]), payload, format="json").status_code
        == 403
    )


def test_the_enterprise_page_shows_the_compliance_history(client, users, firms):
    services.record_compliance(
        actor=users["admin"],
        enterprise=firms["spt"],
        kind="serious_dishonest",
        listed_on=datetime.date(2025, 1, 5),
        authority="宁夏回族自治区发展和改革委员会",
        document_number="宁发改信用〔2025〕1号",
    )
    client.force_login(users["zw_staff"])
    page = client.get(reverse("enterprises:detail", args=[firms["spt"].pk])).content.decode()
    assert "宁发改信用〔2025〕1号" in page
    assert 'data-testid="compliance-history"' in page


def test_an_application_of_an_enterprise_with_a_veto_record_warns_the_reviewer(client, users, firms):
    from tiers.applications.tests.factories import ApplicationFactory

    application = ApplicationFactory(enterprise=firms["spt"])
    client.force_login(users["spt_staff"])
    url = reverse("applications:detail", args=[application.pk])
    assert 'data-testid="compliance-veto-warning"' not in client.get(url).content.decode()

    services.record_compliance(
        actor=users["spt_staff"],
        enterprise=firms["spt"],
        kind="penalty",
        category="quality",
        is_major=True,
        listed_on=datetime.date.today() - datetime.timedelta(days=400),
        document_number="卫市监罚〔2025〕9号",
    )
    page = client.get(url).content.decode()
    assert 'data-testid="compliance-veto-warning"' in page and "卫市监罚〔2025〕9号" in page

    old = ComplianceRecord.objects.get()
    old.listed_on = datetime.date.today() - datetime.timedelta(days=365 * 3 + 5)
    old.save()
    assert 'data-testid="compliance-veto-warning"' not in client.get(url).content.decode(), "outside three years"


def test_a_large_export_is_committed_by_a_background_job(
    users, region_tree, firms, monkeypatch, django_capture_on_commit_callbacks
):
    """Above the inline limit the commit is a durable job (eager in tests), still all or nothing and audited."""
    from portal.models import Job

    monkeypatch.setattr(services, "INLINE_ROW_LIMIT", 1)
    spt, zn = firms["spt"], firms["zn"]
    rows = [
        [spt.name, spt.credit_code, "失信被执行人", "2025-03-01", "", "沙坡头区人民法院", "（2025）宁0502执1号", ""],
        [
            zn.name,
            zn.credit_code,
            "行政处罚-质量-一般",
            "2025-04-01",
            "",
            "中宁县市场监督管理局",
            "宁市监罚〔2025〕2号",
            "",
        ],
    ]
    dry_run = _upload(users, region_tree["zhongwei"], rows)
    with django_capture_on_commit_callbacks(execute=True):
        services.commit_compliance_import(actor=users["admin"], compliance_import=dry_run)
    dry_run.refresh_from_db()
    assert dry_run.job.kind == "enterprises.jobs.commit_compliance"
    assert dry_run.job.status == Job.Status.SUCCEEDED
    assert dry_run.status == ComplianceImport.Status.COMMITTED
    penalty = ComplianceRecord.objects.get(enterprise=zn)
    assert (penalty.category, penalty.is_major) == ("quality", False), "一般 is not 重大"
    assert AuditEvent.objects.filter(origin=f"compliance-import:{dry_run.pk}").count() == 3


def test_a_record_deleted_by_someone_else_meanwhile_is_not_found_not_a_server_error(users, firms):
    """Two people delete the same record: the second finds it gone (404), as for an id that never was."""
    record = ComplianceRecord.objects.create(
        enterprise=firms["spt"], kind="penalty", category="environment", listed_on=datetime.date(2025, 2, 1),
        authority="中卫市生态环境局", document_number="卫环罚〔2025〕4号",
    )  # fmt: skip
    read_before = ComplianceRecord.objects.get(pk=record.pk)
    services.delete_compliance_record(actor=users["spt_staff"], record=record)
    from django.http import Http404

    with pytest.raises(Http404):
        services.delete_compliance_record(actor=users["spt_staff"], record=read_before)
