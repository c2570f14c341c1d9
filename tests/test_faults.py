"""Faults on a running deployment: Redis stopped, a worker killed, PostgreSQL restarted, clients too eager.

Each test runs against services of its own (a redis-server and a PostgreSQL
cluster started for the tests), never the machine's. Jobs are deemed lost after
5 silent seconds and the sweeper runs every 2 s, so recovery fits in a test.
"""

import os
import signal
import time

import pytest

from enterprises.tests.roster_files import HEADER, code, roster_rows, xlsx_bytes
from tests.ops import deploy, query, wait_until

pytestmark = [pytest.mark.slow]

FAST_RECOVERY = {"JOB_STALE_AFTER_SECONDS": "5", "JOB_SWEEP_INTERVAL_SECONDS": "2"}
# Over INLINE_ROW_LIMIT (500), so analysis and commit are background jobs.
LARGE_ROWS = 520
UNFINISHED = "SELECT count(*) FROM portal_job WHERE status IN ('queued', 'running')"


def _jobs(database: str) -> list[tuple]:
    return query(database, "SELECT id, kind, status, attempts, error FROM portal_job ORDER BY id")


def _wait_for_jobs(database: str, timeout: float = 120) -> None:
    wait_until(
        lambda: query(database, UNFINISHED)[0][0] == 0,
        timeout=timeout,
        interval=0.5,
        message=f"jobs unfinished: {[job for job in _jobs(database) if job[2] in ('queued', 'running')][:5]}",
    )


def _eligibility(database: str) -> list[tuple]:
    return query(
        database,
        "SELECT enterprise_id, tier_id, verdict, score, missing_count, unknown_count FROM tiers_eligibilityresult "
        "ORDER BY 1, 2",
    )


def _upload(client, rows, name="名单.xlsx") -> dict:
    response = client.post("/api/v1/rosters/", files={"file": (name, xlsx_bytes(rows))})
    assert response.status_code == 201, response.text
    return response.json()


def _queue_recompute(deployment) -> None:
    deployment.portal.run(
        "shell", "-c", "from portal.services import queue_job; queue_job(kind='tiers.jobs.recompute_all', actor=None)"
    )


def _pages_answer(deployment) -> None:
    """What a user does while Redis is away: lists, their own profile, logging in for a token."""
    admin = deployment.client("ops_admin")
    for path in ("/api/v1/enterprises/", "/api/v1/me/", "/api/v1/rosters/", "/accounts/login/"):
        response = admin.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
    token = admin.post("/api/v1/auth/token/", json={"username": "ops_admin", "password": "Topology-pass-2026"})
    assert token.status_code == 200, token.text
    health = admin.get("/healthz").json()
    assert health["status"] == "down" and health["broker"]["ok"] is False


@pytest.fixture
def deployment(ops_database, tmp_path):
    with deploy(ops_database, tmp_path, workers=("alpha",), web_workers=2, **FAST_RECOVERY) as running:
        yield running


def test_with_redis_stopped_pages_answer_and_the_import_and_recompute_finish_once_it_returns(deployment):
    """Redis dies right after a commit is queued and while a recompute is asked for: pages keep answering
    (the cache falls back to process memory), the lost messages are swept and sent again once Redis is
    back, and the roster is committed exactly once."""
    database = deployment.database
    admin = deployment.client("ops_admin")
    roster = admin.wait_for_job(_upload(admin, [HEADER, *roster_rows(LARGE_ROWS, start=300_000)])["id"])
    assert roster["status"] == "analysed", roster

    commit = admin.post(f"/api/v1/rosters/{roster['id']}/commit/")
    assert commit.status_code == 202, commit.text
    deployment.redis.stop()  # without persistence: the queued commit message is gone with it

    _queue_recompute(deployment)
    _pages_answer(deployment)
    time.sleep(3)  # the outage outlasts JOB_STALE_AFTER_SECONDS for some jobs
    _pages_answer(deployment)

    deployment.redis.start()
    _wait_for_jobs(database)

    final = admin.get(f"/api/v1/rosters/{roster['id']}/").json()
    assert final["status"] == "committed", final
    assert final["created_count"] == LARGE_ROWS
    codes = [code(n) for n in range(300_000, 300_000 + LARGE_ROWS)]
    assert (
        query(database, "SELECT count(*) FROM enterprises_enterprise WHERE credit_code = ANY(%s)", (codes,))[0][0]
        == LARGE_ROWS
    )
    assert (
        query(
            database,
            "SELECT object_id FROM portal_auditevent WHERE object_type = 'enterprises.enterprise' AND action = 'create' "
            "GROUP BY 1 HAVING count(*) > 1",
        )
        == []
    )
    jobs = _jobs(database)
    assert [job for job in jobs if job[2] != "succeeded"] == []
    assert sum(1 for job in jobs if job[1] == "enterprises.jobs.commit_roster") == 1
    assert sum(1 for job in jobs if job[1] == "tiers.jobs.recompute_all") == 1
    assert "Redis unreachable" in deployment.web.log_text()


def test_a_worker_killed_mid_recompute_is_replaced_and_the_rerun_equals_a_clean_run(deployment):
    """SIGKILL to a worker (main process and pool) while it recomputes: the job's heartbeat stops, the
    sweeper sends it again, another worker runs it, and the stored results equal a clean run's."""
    database = deployment.database
    deployment.seed("bulk", "--count", "20000")  # the recompute takes seconds, not a blink
    _queue_recompute(deployment)
    wait_until(
        lambda: (
            query(database, "SELECT status FROM portal_job WHERE kind = 'tiers.jobs.recompute_all'") == [("running",)]
        ),
        timeout=60,
        message="the recompute never started",
    )
    time.sleep(0.3)
    victim = deployment.workers[0]
    assert victim.children(), "the prefork pool has no process"
    # The main process and its pool at once, as when the machine dies: the message stays unacknowledged
    # in Redis for the visibility timeout (an hour), so only the sweeper can bring the job back.
    os.killpg(victim.pid, signal.SIGKILL)
    victim.stop()
    job = query(database, "SELECT status, attempts FROM portal_job WHERE kind = 'tiers.jobs.recompute_all'")[0]
    assert job == ("running", 1), job

    with deployment.portal.worker("charlie") as replacement:
        _wait_for_jobs(database, timeout=180)
        rerun = _eligibility(database)
        assert "succeeded in" in replacement.log_text()

    status, attempts, error = query(
        database, "SELECT status, attempts, error FROM portal_job WHERE kind = 'tiers.jobs.recompute_all'"
    )[0]
    assert (status, attempts, error) == ("succeeded", 2, "")
    deployment.portal.run("recompute", timeout=300)
    assert rerun and _eligibility(database) == rerun


def test_postgresql_restarted_mid_commit_leaves_all_or_nothing_and_the_next_request_works(deployment, ops_cluster):
    """The database server restarts while a large roster is being committed: the job retries the commit
    after the restart and every row is there exactly once; the very next requests are answered, by both
    web processes, without an error."""
    database = deployment.database
    admin = deployment.client("ops_admin")
    roster = admin.wait_for_job(_upload(admin, [HEADER, *roster_rows(LARGE_ROWS, start=400_000)])["id"])
    assert admin.post(f"/api/v1/rosters/{roster['id']}/commit/").status_code == 202
    wait_until(
        lambda: (
            query(database, "SELECT status FROM portal_job WHERE kind = 'enterprises.jobs.commit_roster'")
            == [("running",)]
        ),
        timeout=60,
        interval=0.05,
        message="the commit never started",
    )
    ops_cluster.restart()

    for _attempt in range(6):
        response = admin.get("/api/v1/enterprises/")
        assert response.status_code == 200, response.text[:500]
    _wait_for_jobs(database, timeout=120)

    final = admin.get(f"/api/v1/rosters/{roster['id']}/").json()
    codes = [code(n) for n in range(400_000, 400_000 + LARGE_ROWS)]
    written = query(database, "SELECT count(*) FROM enterprises_enterprise WHERE credit_code = ANY(%s)", (codes,))[0][0]
    # The lost connection is a transient fault: the job retries the commit (portal.services.run_job)
    # and the roster ends committed, each row written and audited exactly once.
    assert final["status"] == "committed", final
    assert written == LARGE_ROWS
    audited = query(
        database,
        "SELECT count(*) FROM portal_auditevent WHERE origin = %s AND object_type = 'enterprises.enterprise'",
        (f"import:{roster['id']}",),
    )[0][0]
    assert audited == LARGE_ROWS


@pytest.fixture
def throttled(ops_database, tmp_path):
    with deploy(
        ops_database,
        tmp_path,
        workers=(),
        beat=False,
        web_workers=2,
        API_THROTTLE_USER="5/min",
        API_THROTTLE_TOKEN="3/min",
    ) as running:
        yield running


def test_api_rate_limits_are_shared_by_every_web_process(throttled):
    """Five requests a minute means five across both gunicorn workers (counted in Redis), then 429 with a reason."""
    client = throttled.client("ops_zw_leader")
    statuses = [client.get("/api/v1/me/").status_code for _n in range(10)]
    assert statuses == [200] * 5 + [429] * 5
    refused = client.get("/api/v1/me/")
    assert refused.json()["error"]["code"] == "throttled"
    assert "Request was throttled" in refused.json()["error"]["message"]
    assert int(refused.headers["Retry-After"]) > 0
    # Another user has a budget of their own.
    assert throttled.client("ops_zw_staff").get("/api/v1/me/").status_code == 200


def test_the_token_endpoint_is_rate_limited_per_client_address(throttled):
    """Password guessing through the API is cut off by the token scope's rate, whatever the username."""
    anonymous = throttled.client("ops_admin")
    anonymous.session.headers.pop("Authorization")
    statuses = [
        anonymous.post("/api/v1/auth/token/", json={"username": f"guess{n}", "password": "x"}).status_code
        for n in range(5)
    ]
    assert statuses == [400, 400, 400, 429, 429]
