"""The enterprise list API under concurrent load on gunicorn (2 workers, threads), loopback only.

A throwaway database (as in bench.dashboard) is filled by `generate_demo`;
gunicorn serves it on a free 127.0.0.1 port; 50 client threads, each with its
own user and token (so the per-user API throttle is not what is measured), ask
for pages of /api/v1/enterprises/?region=<city> for a bounded time. Goals:
p95 under 500 ms, no errors.

`python -m bench api_load --enterprises 5000` for a quick run; BENCH_API_SECONDS
sets the duration (default 20 s).
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import register
from bench.dashboard import database_url, run_step
from bench.eligibility import enterprise_count

CLIENTS = 50
SECONDS = int(os.environ.get("BENCH_API_SECONDS", "20"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def load(port: int, tokens: list[str], paths: list[str], seconds: int) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Token {tokens[index]}"}
        n = index
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else float("nan")

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
    }


@register("api_load")
def api_load_section(rows: int):
    total = enterprise_count(rows)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-api-"))
    url = database_url(workdir, "portal_bench_api")
    built = run_step("bench.dashboard", "build", url, workdir, str(total))
    setup = run_step("bench.api_load", "tokens", url, workdir, str(CLIENTS))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PORTAL_VAR_DIR": str(workdir),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", "2", "--threads", "8", "-b", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning"],
        env=env, cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(port, time.monotonic() + 60)
        paths = [f"/api/v1/enterprises/?region={setup['region']}&page={page}" for page in range(1, 21)]
        paths += [f"/api/v1/enterprises/?page={page}" for page in range(1, 11)]
        result = load(port, setup["tokens"], paths, SECONDS)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    met = result["p95"] < 500 and not result["errors"]
    header = ["enterprises", "clients", "seconds", "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors"]
    table = [[
        f"{total:,}", str(CLIENTS), str(SECONDS), f"{result['rps']:.0f}", f"{result['p50']:.0f}",
        f"{result['p95']:.0f}", f"{result['p99']:.0f}", json.dumps(result["errors"]) if result["errors"] else "0",
    ]]  # fmt: skip
    notes = [
        f"Goal: p95 < 500 ms and 0 errors with {CLIENTS} concurrent clients — {'met' if met else 'NOT met'}.",
        "gunicorn 2 workers × 8 threads on 127.0.0.1; pages of 50 of /api/v1/enterprises/ (a city's region filter "
        "and the whole scope), each client a province leader with its own token; keep-alive connections.",
        f"Data: {built['counts']}.",
    ]
    return f"Enterprise list API under load ({total:,} enterprises)", header, table, notes


def step_tokens(count: str) -> dict:
    from rest_framework.authtoken.models import Token

    from portal.models import Region, Role, User

    province = Region.objects.get(code="640000")
    tokens = []
    for index in range(int(count)):
        user, _created = User.objects.get_or_create(
            username=f"bench_api_{index}", defaults={"role": Role.LEADER, "region": province}
        )
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    return {"tokens": tokens, "region": Region.objects.get(code="640500").pk}


if __name__ == "__main__":
    import django

    django.setup()
    step, *arguments = sys.argv[1:]
    print(json.dumps({"tokens": step_tokens}[step](*arguments)))
