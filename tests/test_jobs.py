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
