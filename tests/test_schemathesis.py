"""Every API operation fuzzed from its OpenAPI schema, as every seeded role with every schemathesis check
on: no 5xx, no undocumented status code or content type, no response that breaks the schema, and no
response naming an enterprise outside the caller's region (tests/schemathesis_hooks.py).

Runs schemathesis against gunicorn on a database of the test's own, seeded with
enterprises, applications and recognitions in two sibling counties (沙坡头区 and
中宁县). Each role gets a bounded budget (examples per operation and seconds).
"""

import concurrent.futures
import json
import os
import subprocess
import sys

import pytest

from tests.ops import deploy

pytestmark = [pytest.mark.slow]

# Every role the seed creates. Two roles are fuzzed at a time (each schemathesis client is
# one busy process, and the deployment's web server has two workers), so the 7 roles take
# 4 × SECONDS_PER_ROLE of the suite's time.
ROLES = [
    "ops_admin",
    "ops_zw_leader",
    "ops_zw_staff",
    "ops_spt_staff",
    "ops_spt_reviewer",
    "ops_zn_staff",
    "ops_zw_liaison",
]
EXAMPLES_PER_OPERATION = 6
SECONDS_PER_ROLE = 40
ROLES_AT_ONCE = 2
OWN, SIBLING, OUTSIDE = "640502", "640521", "630100"
# Names seeded per region (tests/ops/seed.py: "<region name>企业<serial>有限公司").
PREFIXES = {OWN: "沙坡头区企业", SIBLING: "中宁县企业", OUTSIDE: "西宁市企业"}
FORBIDDEN_FOR = {
    "ops_admin": [],
    "ops_zw_leader": [PREFIXES[OUTSIDE]],
    "ops_zw_staff": [PREFIXES[OUTSIDE]],
    "ops_zw_liaison": [PREFIXES[OUTSIDE]],
    "ops_spt_staff": [PREFIXES[SIBLING], PREFIXES[OUTSIDE]],
    "ops_spt_reviewer": [PREFIXES[SIBLING], PREFIXES[OUTSIDE]],
    "ops_zn_staff": [PREFIXES[OWN], PREFIXES[OUTSIDE]],
}


@pytest.fixture
def seeded(ops_database, tmp_path):
    with deploy(ops_database, tmp_path, workers=(), beat=False, web_workers=2, API_THROTTLE_TOKEN="100000/min") as d:
        yield d, d.seed("regions")


def _readable_paths(objects: dict) -> list[str]:
    paths = []
    for pk in objects["enterprises"]:
        paths += [f"/api/v1/enterprises/{pk}/", f"/api/v1/enterprises/{pk}/indicators/"]
        paths.append(f"/api/v1/enterprises/{pk}/eligibility/")
    for pk in objects["applications"]:
        paths += [f"/api/v1/applications/{pk}/", f"/api/v1/applications/{pk}/actions/"]
    for pk in objects["recognitions"]:
        paths.append(f"/api/v1/recognitions/{pk}/")
    return paths


def _assert_sibling_is_invisible(deployment, objects: dict) -> None:
    county = deployment.client("ops_spt_staff")
    for path in _readable_paths(objects[SIBLING]):
        response = county.get(path)
        assert response.status_code == 404, (path, response.status_code, response.text[:300])
        assert response.json()["error"]["code"] == "not_found"
    listed = {row["id"] for row in county.get("/api/v1/enterprises/", params={"page_size": 500}).json()["results"]}
    assert listed.isdisjoint(objects[SIBLING]["enterprises"])
    assert set(objects[OWN]["enterprises"]) <= listed


def _failure_report(output: str) -> str:
    """The failures section (which operation, which check, the request to replay it), not the summary's tail."""
    start = output.find("= FAILURES =")
    end = output.find("= SUMMARY =", start)
    if start == -1:
        return output[-6000:]
    return output[start : end if end != -1 else None][:12000]


def test_every_operation_as_every_role_gives_no_server_error_and_follows_the_schema(seeded, tmp_path):
    deployment, objects = seeded
    county = deployment.client("ops_spt_staff")
    for path in _readable_paths(objects[OWN]):
        assert county.get(path).status_code == 200, path
    _assert_sibling_is_invisible(deployment, objects)

    def fuzz(username: str) -> tuple[str, subprocess.CompletedProcess]:
        token = deployment.accounts[username]["token"]
        command = [
            sys.executable, "-m", "schemathesis.cli", "run", f"{deployment.web.url}/api/v1/schema/",
            "--header", f"Authorization: Token {token}",
            "--checks", "all",
            "--phases", "examples,fuzzing",
            "--max-examples", str(EXAMPLES_PER_OPERATION), "--max-time", str(SECONDS_PER_ROLE),
            "--seed", "20261124", "--workers", "1", "--request-timeout", "20", "--continue-on-failure",
            "--no-color",
        ]  # fmt: skip
        environment = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks",
            "PORTAL_FORBIDDEN_NAMES": json.dumps(FORBIDDEN_FOR[username], ensure_ascii=False),
        }
        return username, subprocess.run(
            command, capture_output=True, text=True, timeout=SECONDS_PER_ROLE + 120, env=environment
        )

    failures = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=ROLES_AT_ONCE) as pool:
        for username, result in pool.map(fuzz, ROLES):
            (tmp_path / f"schemathesis-{username}.log").write_text(result.stdout + result.stderr)
            if result.returncode != 0:
                failures[username] = _failure_report(result.stdout + result.stderr)
    assert failures == {}, "\n\n".join(f"== {user}\n{output}" for user, output in failures.items())
    assert "Internal Server Error" not in deployment.web.log_text()

    # The fuzzing wrote and deleted as it pleased; the sibling's records are still out of reach.
    _assert_sibling_is_invisible(deployment, objects)


def test_a_null_character_in_a_filter_is_refused_not_a_server_error(seeded):
    """PostgreSQL cannot store NUL: a filter containing one is a 400 with a reason, on every list."""
    deployment, _objects = seeded
    leader = deployment.client("ops_zw_leader")
    for path in ("/api/v1/enterprises/", "/api/v1/eligibility/", "/api/v1/pool/", "/api/v1/applications/"):
        response = leader.get(path, params={"q": "中卫\x00"})
        assert response.status_code == 400, (path, response.status_code)
        assert response.json()["error"]["message"] == "Null characters are not allowed."
