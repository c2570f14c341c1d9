"""The production topology on one machine: results are there exactly once.

Two gunicorn worker processes, two Celery workers (separate processes, distinct
hostnames), one beat, PostgreSQL and Redis of the test's own. Roster imports,
review actions and recomputes are driven at the same time through HTTP and the
broker; afterwards the database must hold every result once: no enterprise,
recognition, job, audit row or review action twice, none missing.
"""

import concurrent.futures
import json
import threading
import time

import pytest

from enterprises.tests.roster_files import HEADER, code, roster_rows, xlsx_bytes
from tests.ops import ApiClient, PortalEnvironment, RedisServer, query, running, wait_until

pytestmark = [pytest.mark.slow]

DEADLINE_SECONDS = 240
LITTLE_GIANT_TITLE = "2023年第五批专精特新“小巨人”企业名单"
# Just over INLINE_ROW_LIMIT (500): analysed and committed by the workers, not the request.
LARGE_ROWS = 520
SMALL_ROWS = 10
SMALL_FILES = 2
APPLICATIONS = 6


@pytest.fixture
def deployment(ops_database, tmp_path):
    with RedisServer(tmp_path / "redis") as redis_server:
        portal = PortalEnvironment(
            database_url=ops_database, redis_url=redis_server.url(), directory=tmp_path / "portal"
        )
        accounts = json.loads(portal.run("-m", "tests.ops.seed", "users"))
        seeded = (
            json.loads(portal.run("-m", "tests.ops.seed", "applications", "--count", str(APPLICATIONS)))
            if APPLICATIONS
            else {"applications": []}
        )
        with running(portal.gunicorn(workers=2), portal.worker("alpha"), portal.worker("bravo"), portal.beat()) as (
            web,
            alpha,
            bravo,
            beat,
        ):
            yield {
                "portal": portal,
                "web": web,
                "workers": [alpha, bravo],
                "beat": beat,
                "database": ops_database,
                "accounts": accounts,
                "applications": seeded["applications"],
            }


def _client(deployment, username: str) -> ApiClient:
    return ApiClient(deployment["web"].url, deployment["accounts"][username]["token"])


def _roster_files() -> list[tuple[str, bytes, int]]:
    """Disjoint credit codes: one large file, and small ones whose title grants 小巨人 recognitions."""
    files = [("大名单.xlsx", xlsx_bytes([HEADER, *roster_rows(LARGE_ROWS, start=100_000)]), LARGE_ROWS)]
    for index in range(SMALL_FILES):
        rows = roster_rows(SMALL_ROWS, start=200_000 + index * 1000, region="中宁县")
        files.append((f"小巨人名单{index}.xlsx", xlsx_bytes([[LITTLE_GIANT_TITLE], HEADER, *rows]), SMALL_ROWS))
    return files


def _import(deployment, name: str, data: bytes) -> dict:
    """Upload, wait for the dry run, then commit from two clients at once: exactly one is accepted."""
    client = _client(deployment, "ops_admin")
    response = client.post("/api/v1/rosters/", files={"file": (name, data)})
    assert response.status_code == 201, response.text
    report = client.wait_for_job(response.json()["id"])
    assert report["status"] == "analysed", report
    barrier = threading.Barrier(2)

    def commit() -> tuple[int, dict]:
        other = _client(deployment, "ops_admin")
        barrier.wait(timeout=30)
        reply = other.post(f"/api/v1/rosters/{report['id']}/commit/")
        return reply.status_code, reply.json()

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _n: commit(), range(2)))
    accepted = [body for status, body in outcomes if status in (200, 202)]
    refused = [body for status, body in outcomes if status == 400]
    assert len(accepted) == 1 and len(refused) == 1, outcomes
    assert refused[0]["error"]["code"] == "not_ready"
    assert "cannot be committed now" in refused[0]["error"]["message"]
    final = client.wait_for_job(report["id"], timeout=120)
    assert final["status"] == "committed", final
    return final


def _review(deployment, application_id: int) -> list[tuple[int, dict]]:
    """Two of the county's reviewers, neither the one who submitted, act on the same version at the same
    moment: one passes, one returns."""
    reviewers = {"ops_spt_reviewer": "pass", "ops_spt_reviewer2": "return"}
    version = _client(deployment, "ops_spt_reviewer").get(f"/api/v1/applications/{application_id}/").json()["version"]
    barrier = threading.Barrier(2)

    def act(username: str) -> tuple[int, dict]:
        client = _client(deployment, username)
        barrier.wait(timeout=30)
        reply = client.post(
            f"/api/v1/applications/{application_id}/actions/",
            json={"action": reviewers[username], "expected_version": version, "comment": "并发审核测试"},
        )
        return reply.status_code, reply.json()

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return list(pool.map(act, reviewers))


def _recompute(deployment) -> None:
    deployment["portal"].run(
        "shell", "-c", "from portal.services import queue_job; queue_job(kind='tiers.jobs.recompute_all', actor=None)"
    )


def test_concurrent_imports_reviews_and_recomputes_leave_every_result_exactly_once(deployment):
    """Four imports, six contested reviews and two full recomputes at once, across two web and two worker processes."""
    started = time.monotonic()
    files = _roster_files()
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        imports = [pool.submit(_import, deployment, name, data) for name, data, _rows in files]
        reviews = {pk: pool.submit(_review, deployment, pk) for pk in deployment["applications"]}
        recomputes = [pool.submit(_recompute, deployment) for _n in range(2)]
        committed = [future.result(timeout=DEADLINE_SECONDS) for future in imports]
        contested = {pk: future.result(timeout=DEADLINE_SECONDS) for pk, future in reviews.items()}
        for future in recomputes:
            future.result(timeout=DEADLINE_SECONDS)

    database = deployment["database"]
    remaining = DEADLINE_SECONDS - (time.monotonic() - started)
    unfinished = "SELECT count(*) FROM portal_job WHERE status IN ('queued', 'running')"
    wait_until(
        lambda: query(database, unfinished)[0][0] == 0,
        timeout=max(remaining, 10),
        interval=1,
        message=f"jobs still unfinished: {query(database, 'SELECT kind, status, count(*) FROM portal_job GROUP BY 1, 2')}",
    )

    # Imports: every row once, created by exactly one commit, audited once.
    assert [report["created_count"] for report in committed] == [rows for _name, _data, rows in files]
    imported_codes = [code(n) for n in range(100_000, 100_000 + LARGE_ROWS)] + [
        code(200_000 + index * 1000 + n) for index in range(SMALL_FILES) for n in range(SMALL_ROWS)
    ]
    assert query(
        database, "SELECT count(*) FROM enterprises_enterprise WHERE credit_code = ANY(%s)", (imported_codes,)
    )[0][0] == len(imported_codes)
    assert query(database, "SELECT credit_code FROM enterprises_enterprise GROUP BY 1 HAVING count(*) > 1") == []
    created_twice = query(
        database,
        "SELECT object_id FROM portal_auditevent WHERE object_type = 'enterprises.enterprise' AND action = 'create' "
        "GROUP BY 1 HAVING count(*) > 1",
    )
    assert created_twice == []
    for report in committed:
        events = query(
            database,
            "SELECT count(*) FROM portal_auditevent WHERE origin = %s AND object_type = 'enterprises.enterprise' "
            "AND action = 'create'",
            (f"import:{report['id']}",),
        )[0][0]
        assert events == report["created_count"]

    # Recognitions from the titled files: one per row, none twice.
    recognitions = query(
        database,
        "SELECT count(*) FROM tiers_recognition r JOIN tiers_tier t ON t.id = r.tier_id "
        "JOIN enterprises_enterprise e ON e.id = r.enterprise_id "
        "WHERE t.code = 'little-giant' AND e.credit_code = ANY(%s)",
        (imported_codes,),
    )[0][0]
    assert recognitions == SMALL_FILES * SMALL_ROWS
    assert (
        query(
            database,
            "SELECT enterprise_id, tier_id FROM tiers_recognition GROUP BY 1, 2, recognized_on HAVING count(*) > 1",
        )
        == []
    )

    # Reviews: one winner per application, the loser told why, one review action and one audit event.
    for application_id, outcomes in contested.items():
        statuses = sorted(status for status, _body in outcomes)
        # The loser is refused by the version check (409), the state check (400), or — when the winner
        # passed it on to the city — by who may act at the new step (403); each says why.
        assert statuses[0] == 200 and statuses[1] in (400, 403, 409), outcomes
        loser = next(body for status, body in outcomes if status != 200)["error"]["message"]
        assert any(
            reason in loser
            for reason in ("already been handled by someone else", "this one is", "is done by bureau staff of")
        ), loser
        actions = query(
            database,
            "SELECT action FROM tiers_reviewaction WHERE application_id = %s AND action IN ('pass', 'return')",
            (application_id,),
        )
        assert len(actions) == 1, actions
        transitions = query(
            database,
            "SELECT count(*) FROM portal_auditevent WHERE object_type = 'tiers.application' AND object_id = %s "
            "AND action = 'transition'",
            (str(application_id),),
        )[0][0]
        assert transitions == 2  # submit, then the one decision that won

    # Jobs: every one succeeded, on its first attempt; both workers took part.
    jobs = query(database, "SELECT kind, status, attempts, error FROM portal_job")
    assert [job for job in jobs if job[1] != "succeeded" or job[2] != 1] == []
    kinds = {kind for kind, *_rest in jobs}
    assert {"enterprises.jobs.analyse_roster", "enterprises.jobs.commit_roster", "tiers.jobs.recompute_all"} <= kinds
    assert sum(1 for kind, *_rest in jobs if kind == "enterprises.jobs.commit_roster") == 1
    assert sum(1 for kind, *_rest in jobs if kind == "tiers.jobs.recompute_all") == 2
    for worker in deployment["workers"]:
        assert "succeeded in" in worker.log_text(), f"{worker.hostname} ran nothing:\n{worker.log_tail()}"

    # Eligibility: one current result per enterprise and tier after all those recomputes.
    assert (
        query(database, "SELECT enterprise_id, tier_id FROM tiers_eligibilityresult GROUP BY 1, 2 HAVING count(*) > 1")
        == []
    )
    assert time.monotonic() - started < DEADLINE_SECONDS
