"""Liaison reporting: who may file, see and edit what; versions; attachments; instructions; reminders."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.tests.factories import EnterpriseFactory
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import Department, Notification
from portal.tests.factories import UserFactory
from tasks import periods, permissions, services
from tasks.models import Measure, TaskReport
from tasks.tests.factories import TargetFactory

TODAY = datetime.date(2026, 7, 8)


@pytest.fixture
def people(loaded):
    zhongwei_departments = Department.objects.filter(region__code="640500")
    science = zhongwei_departments.get(name="市科技局")
    bigdata = zhongwei_departments.get(name="市云计算和大数据局")
    finance = zhongwei_departments.get(name="市财政局")
    region = science.region
    return {
        "task2": Measure.objects.get(policy__code="zhongwei-task-list", number="2"),
        "science": UserFactory(username="kj", role="liaison", region=region, department=science, email="kj@example.cn"),
        "finance": UserFactory(username="cz", role="liaison", region=region, department=finance),
        "other": UserFactory(username="dsj", role="liaison", region=region, department=bigdata),
        "leader": UserFactory(username="ld", role="leader", region=region),
        "finance_dept": finance,
        "science_dept": science,
    }


def _file(people, key, dept_key, **extra):
    return services.save_report(
        actor=people[key],
        measure=people["task2"],
        department=people[dept_key],
        period="2026-Q2",
        narrative=extra.pop("narrative", "本季度新增高新技术企业2家"),
        figures=[{"label": "新增", "value": "2"}],
        submit=True,
        **extra,
    )


def test_lead_unit_report_is_the_consolidated_one_and_supporting_units_file_their_own(people):
    """市科技局 leads task 2, so its report is consolidated; 市财政局 supports and files its own."""
    consolidated = _file(people, "science", "science_dept")
    own = _file(people, "finance", "finance_dept")
    assert consolidated.is_consolidated and not own.is_consolidated
    assert permissions.can_file_consolidated_report(people["science"], people["task2"])
    assert not permissions.can_file_consolidated_report(people["finance"], people["task2"])
    assert permissions.can_edit_report(people["finance"], own)
    assert not permissions.can_edit_report(people["finance"], consolidated)
    assert permissions.can_view_report(people["science"], own)
    assert permissions.can_view_report(people["finance"], consolidated)


def test_a_liaison_of_another_department_can_neither_edit_nor_see_a_report(people, client):
    """市云计算和大数据局 carries no part of task 2: the task is a 404 to it and the report cannot be patched."""
    report = _file(people, "science", "science_dept")
    assert not permissions.can_edit_report(people["other"], report)
    client.force_login(people["other"])
    assert client.get(reverse("tasks:measure", args=[people["task2"].pk])).status_code == 404
    assert client.get(reverse("tasks:report", args=[people["task2"].pk])).status_code == 404
    response = client.patch(f"/api/v1/reports/{report.pk}/", {"narrative": "篡改"}, content_type="application/json")
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.narrative == "本季度新增高新技术企业2家"


def test_supporting_liaison_cannot_patch_the_consolidated_report(people, client):
    report = _file(people, "science", "science_dept")
    client.force_login(people["finance"])
    response = client.patch(f"/api/v1/reports/{report.pk}/", {"narrative": "改"}, content_type="application/json")
    assert response.status_code == 403


def test_a_service_refuses_a_unit_that_does_not_carry_the_task(people):
    bigdata = Department.objects.get(region__code="640500", name="市云计算和大数据局")
    with pytest.raises(ServiceError, match="不是任务2的责任单位"):
        services.save_report(
            actor=people["other"], measure=people["task2"], department=bigdata, period="2026-Q2", narrative="x"
        )


def test_concurrent_edits_never_overwrite(people):
    """Two liaisons open version 1; the second save is refused with a message."""
    report = _file(people, "science", "science_dept")
    _file(people, "science", "science_dept", narrative="第一个人的修改", expected_version=report.version)
    with pytest.raises(ConcurrentEditError, match="已被他人修改"):
        _file(people, "science", "science_dept", narrative="第二个人的修改", expected_version=report.version)
    report.refresh_from_db()
    assert report.narrative == "第一个人的修改" and report.version == 2


def test_attachments_are_checked_and_served_only_to_those_who_may_see_the_report(people, client):
    report = _file(people, "finance", "finance_dept")
    with pytest.raises(ServiceError, match="仅支持上传PDF、Word、Excel、PNG或JPEG文件"):
        services.attach_file(actor=people["finance"], report=report, upload=SimpleUploadedFile("a.exe", b"MZ"))
    with pytest.raises(ServiceError, match="并非有效的PDF文件"):
        services.attach_file(actor=people["finance"], report=report, upload=SimpleUploadedFile("a.pdf", b"<html>"))
    attachment = services.attach_file(
        actor=people["finance"], report=report, upload=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test")
    )
    url = reverse("tasks:attachment", args=[attachment.pk])
    client.force_login(people["science"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(people["other"])
    assert client.get(url).status_code == 404


def test_leader_instruction_reaches_the_lead_unit(people, client):
    client.force_login(people["leader"])
    response = client.post(reverse("tasks:comment", args=[people["task2"].pk]), {"text": "加快进度，年底前完成"})
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=people["science"], kind="leader_comment")
    assert "加快进度" in notification.message
    assert not Notification.objects.filter(recipient=people["finance"], kind="leader_comment").exists()
    client.force_login(people["science"])
    assert "加快进度，年底前完成" in client.get(reverse("tasks:measure", args=[people["task2"].pk])).content.decode()


def test_report_states_grey_amber_red():
    """未报送 until five days before the deadline, amber then, red after it."""
    period = periods.period_from_label("quarterly", "2026-Q2")
    assert period.due_on == datetime.date(2026, 7, 10)
    assert periods.report_state(period, None, datetime.date(2026, 7, 1)) == periods.MISSING
    assert periods.report_state(period, None, datetime.date(2026, 7, 6)) == periods.DUE_SOON
    assert periods.report_state(period, None, datetime.date(2026, 7, 11)) == periods.OVERDUE
    assert str(periods.STATE_LABELS[periods.MISSING]) in ("Not reported", "未报送")


def test_reminders_are_sent_once_before_and_after_the_deadline(people, mailoutbox, django_capture_on_commit_callbacks):
    """Two days before the 2026-Q2 deadline (07-10) units that have not submitted are reminded, once;
    after it they are told the report is overdue. E-mail goes where the user has an address."""
    _file(people, "finance", "finance_dept")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_report_reminders(today=TODAY)
    assert sent["due_soon"] >= 1
    assert services.send_report_reminders(today=TODAY) == {"due_soon": 0, "overdue": 0}
    science = Notification.objects.filter(recipient=people["science"], kind="report_due_soon")
    assert science.filter(message__contains="2026-Q2").exists()
    assert not Notification.objects.filter(recipient=people["finance"], message__contains="task 2 ").exists()
    assert any("kj@example.cn" in message.to for message in mailoutbox)
    assert services.send_report_reminders(today=datetime.date(2026, 7, 12))["overdue"] >= 1


def test_task_list_page_and_api_use_a_flat_number_of_queries(people, client, django_assert_max_num_queries):
    client.force_login(people["leader"])
    policy = people["task2"].policy
    EnterpriseFactory(region=policy.region)  # the register covers 中卫, but holds none of its 55 高企
    url = reverse("tasks:policy", args=[policy.pk])
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for measure in policy.measures.all()[:6]:
        TargetFactory(policy=policy, measure=measure, region=policy.region, key=f"extra-{measure.pk}", tiers=[])
    _file(people, "science", "science_dept")
    _file(people, "finance", "finance_dept")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    assert "市科技局" in page and "70 − 6 = 64（2025）；64 − 9 = 55" in page
    with django_assert_max_num_queries(20) as api_few:
        assert client.get("/api/v1/targets/", {"policy": policy.pk}).status_code == 200
    TargetFactory(policy=policy, region=policy.region, key="extra-goal", tiers=[])
    with django_assert_max_num_queries(len(api_few.captured_queries)):
        data = client.get("/api/v1/targets/", {"policy": policy.pk}).json()
    task2_total = next(item for item in data if item["key"] == "zw-2-2027-total")
    assert task2_total["baseline"] == "55.00" and task2_total["status"] in ("behind", "at_risk", "on_track")
    assert task2_total["baseline_reading"]["is_register_incomplete"] is True
    assert task2_total["baseline_reading"]["used"] == "document"


def test_task_list_exports_in_the_documents_shape(people, client):
    _file(people, "science", "science_dept", narrative='=HYPERLINK("http://x")')
    client.force_login(people["leader"])
    response = client.get(reverse("tasks:policy-export", args=[people["task2"].policy.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("序号", "任务", "牵头部门", "配合部门")
    task2 = rows[2]
    assert task2[0] == "2" and task2[2] == "市科技局" and task2[3].startswith("市委组织部、市工业和信息化局、市财政局")
    assert "70家" in task2[4]
    assert task2[8].startswith("2026-Q2 '=HYPERLINK") or task2[8].startswith("2026-Q2 =HYPERLINK")
    assert TaskReport.objects.count() == 1


def test_a_report_with_a_refused_attachment_is_not_saved_and_can_be_sent_again(people, client):
    """Report and attachment are one action: a refused file saves nothing, announces nothing, and the retry works."""
    from django.utils import timezone

    from portal.models import AuditEvent

    measure = people["task2"]
    period = periods.period_to_report(measure.cycle, timezone.localdate()).label
    url = reverse("tasks:report", args=[measure.pk])
    client.force_login(people["finance"])
    form = {"period": period, "narrative": "完成季度走访", "figures": "", "submit": "on", "version": "0"}

    refused = client.post(url, {**form, "attachment": SimpleUploadedFile("setup.exe", b"MZ\x90\x00")})

    assert refused.status_code == 200
    assert "仅支持上传PDF、Word、Excel、PNG或JPEG文件" in refused.content.decode()
    assert not TaskReport.objects.filter(measure=measure, department=people["finance_dept"]).exists()
    assert not AuditEvent.objects.filter(object_type="tasks.taskreport").exists()
    assert not Notification.objects.filter(kind="report_submitted").exists()

    again = client.post(url, {**form, "attachment": SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test")})

    assert again.status_code == 302
    report = TaskReport.objects.get(measure=measure, department=people["finance_dept"])
    assert report.version == 1 and report.attachments.get().original_name == "材料.pdf"
