"""Failures read as people do: a background job's reason in Chinese, a roster with nothing to write says 无变更."""

import pytest
from django.utils import translation

from enterprises.models import RosterImport
from enterprises.roster.errors import RosterRefused
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.tests.roster_files import HEADER, roster_rows, xlsx_bytes
from portal.models import Job
from portal.services import run_job
from tests.crawl.checker import check_text

pytestmark = pytest.mark.django_db


def test_a_job_that_crashes_shows_a_chinese_reason_not_the_exception():
    job = Job.objects.create(kind="portal.jobs.echo", params={})

    def body(context):
        raise KeyError("operating_revenue")

    with translation.override("zh-hans"):
        run_job(job_id=job.pk, body=body)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "意外错误" in job.error and "系统管理员" in job.error
    assert "KeyError" not in job.error and "operating_revenue" not in job.error
    assert check_text(job.error) == []


def test_the_job_page_shows_the_reason(client, users):
    job = Job.objects.create(kind="portal.jobs.echo", params={}, created_by=users["admin"])
    with translation.override("zh-hans"):
        run_job(job_id=job.pk, body=lambda context: 1 / 0)
    client.force_login(users["admin"])

    html = client.get(f"/jobs/{job.pk}/").content.decode()

    assert "意外错误" in html and "ZeroDivisionError" not in html


def test_committing_a_roster_with_nothing_to_change_says_no_changes(users):
    rows = [HEADER, *roster_rows(2)]
    with translation.override("zh-hans"):
        first = upload_roster(actor=users["admin"], file_name="名单.xlsx", data=xlsx_bytes(rows))
        commit_roster(actor=users["admin"], roster_import=first)
        again = upload_roster(actor=users["admin"], file_name="名单.xlsx", data=xlsx_bytes(rows))
        assert again.status == RosterImport.Status.ANALYSED

        with pytest.raises(RosterRefused) as refusal:
            commit_roster(actor=users["admin"], roster_import=again)

    assert refusal.value.message.startswith("无变更")
    assert "状态" not in refusal.value.message
