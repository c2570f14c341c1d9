"""Background jobs really run: a real Celery worker process, the configured broker
(Redis when REDIS_URL is set, the filesystem transport otherwise), the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app
from portal.models import Job, WorkerHeartbeat
from portal.services import queue_job, sweep_stale_jobs

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    if not settings.REDIS_URL:
        env["PORTAL_VAR_DIR"] = str(settings.TEST_VAR_DIR)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--queues=celery,periodic",
            "--pool=solo",
            "--loglevel=WARNING",
            "--hostname=testworker@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield process
    app.conf.task_always_eager = previous
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_queued_job_is_run_by_a_real_worker(worker):
    """A job queued by the web process is picked up by a separate worker process and finishes."""
    from django.db import transaction

    with transaction.atomic():
        job = queue_job(kind="portal.jobs.echo", actor=None, params={"hello": "中卫"})
    finished = _wait_for(lambda: Job.objects.get(pk=job.pk).is_finished)
    output = "" if finished else worker.stdout.read1(20000).decode(errors="replace")
    assert finished, f"worker did not finish the job; worker said:\n{output}"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["echo"] == {"hello": "中卫"}
    assert job.result["worker"].startswith("testworker@")


def test_the_heartbeat_job_is_recorded_by_a_real_worker(worker):
    """/healthz reads the heartbeat a worker writes when beat sends it."""
    app.tasks["portal.jobs.record_heartbeat"].apply_async(queue="periodic")
    assert _wait_for(lambda: WorkerHeartbeat.objects.filter(hostname__startswith="testworker@").exists())


def test_the_sweeper_requeues_a_job_left_running_by_a_dead_worker(worker):
    """A job whose worker died mid-run (stale heartbeat) is sent again and completes once."""
    import datetime

    from django.utils import timezone

    stale = timezone.now() - datetime.timedelta(minutes=30)
    job = Job.objects.create(
        kind="portal.jobs.echo",
        status=Job.Status.RUNNING,
        params={"n": 1},
        attempts=1,
        started_at=stale,
        heartbeat_at=stale,
    )
    assert sweep_stale_jobs() == [job.pk]
    assert _wait_for(lambda: Job.objects.get(pk=job.pk).is_finished)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 2
