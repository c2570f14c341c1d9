"""The durable job record: claimed once, outcome recorded, finished jobs never rerun."""

import pytest

from portal.models import Job
from portal.services import run_job

pytestmark = pytest.mark.django_db


def test_a_finished_job_is_not_run_again():
    """Redelivery of a finished job (a broker hiccup, the sweeper) does nothing."""
    job = Job.objects.create(kind="portal.jobs.echo", params={})
    calls = []
    run_job(job_id=job.pk, body=lambda context: calls.append(1) or {"ok": True})
    run_job(job_id=job.pk, body=lambda context: calls.append(1) or {"ok": True})
    job.refresh_from_db()
    assert calls == [1]
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"ok": True}
    assert job.attempts == 1


def test_a_failing_job_records_its_error_for_the_user():
    """The job page shows why a job failed instead of spinning forever."""
    from portal.exceptions import ServiceError

    job = Job.objects.create(kind="portal.jobs.echo", params={})

    def body(context):
        raise ServiceError("第 3 行「统一社会信用代码」：长度应为 18 位")

    run_job(job_id=job.pk, body=body)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "第 3 行「统一社会信用代码」：长度应为 18 位"
    assert job.finished_at is not None


def test_progress_is_visible_while_the_job_runs():
    job = Job.objects.create(kind="portal.jobs.echo", params={})
    seen = []

    def body(context):
        context.progress(5, total=10)
        seen.append(Job.objects.get(pk=job.pk).percent)
        return {}

    run_job(job_id=job.pk, body=body)
    assert seen == [50]


def test_a_transient_fault_is_retried_and_the_job_succeeds():
    """A lost database connection mid-job is tried again after a pause, in the same claim of the job."""
    from django.db import OperationalError

    job = Job.objects.create(kind="portal.jobs.echo", params={})
    tries = []

    def body(context):
        tries.append(1)
        if len(tries) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return {"ok": True}

    run_job(job_id=job.pk, body=body)
    job.refresh_from_db()
    assert len(tries) == 3
    assert (job.status, job.result, job.attempts) == (Job.Status.SUCCEEDED, {"ok": True}, 1)


def test_a_fault_that_persists_fails_the_job_after_the_bounded_retries_with_a_reason(settings):
    from django.db import OperationalError
    from django.utils import translation

    job = Job.objects.create(kind="portal.jobs.echo", params={})
    tries, failures = [], []

    def body(context):
        tries.append(1)
        raise OperationalError("could not connect to server")

    with translation.override("zh-hans"):
        run_job(job_id=job.pk, body=body, on_failure=failures.append)
    job.refresh_from_db()
    assert len(tries) == settings.JOB_TRANSIENT_RETRIES + 1
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("已重试") and "could not connect to server" in job.error
    assert failures == [job.error]


def test_a_refusal_is_not_retried():
    from portal.exceptions import ServiceError

    job = Job.objects.create(kind="portal.jobs.echo", params={})
    tries = []

    def body(context):
        tries.append(1)
        raise ServiceError("名单已提交")

    run_job(job_id=job.pk, body=body)
    assert len(tries) == 1


def test_a_roster_commit_job_that_meets_a_lost_connection_commits_exactly_once(
    users, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    from enterprises.models import Enterprise, RosterImport
    from enterprises.roster import services as roster_services
    from enterprises.tests.roster_files import HEADER, roster_rows, xlsx_bytes
    from portal.models import AuditEvent

    monkeypatch.setattr(roster_services, "INLINE_ROW_LIMIT", 1)
    real_write = roster_services.write_outcome_batches
    calls = []

    def write_then_lose_the_connection(*args, **kwargs):
        calls.append(1)
        counts = real_write(*args, **kwargs)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return counts

    monkeypatch.setattr(roster_services, "write_outcome_batches", write_then_lose_the_connection)
    with django_capture_on_commit_callbacks(execute=True):
        roster_import = roster_services.upload_roster(
            actor=users["admin"], file_name="名单.xlsx", data=xlsx_bytes([HEADER, *roster_rows(3)])
        )
    with django_capture_on_commit_callbacks(execute=True):
        roster_services.commit_roster(actor=users["admin"], roster_import=roster_import)

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert len(calls) == 2
    assert Enterprise.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="enterprises.enterprise", action="create").count() == 3
    assert roster_import.job.status == Job.Status.SUCCEEDED
