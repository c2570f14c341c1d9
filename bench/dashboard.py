"""Dashboard server time at 1,000 and at N enterprises (default 100,000), in the same run.

Two throwaway databases (PostgreSQL `portal_bench_dash_small` / `_large` when
DATABASE_URL names a PostgreSQL server, else two SQLite files) are migrated and
filled by `generate_demo` (without the eligibility recompute, which the
eligibility section measures). Each then renders the province dashboard for a
leader through the test client: one warm-up, then the median of five renders,
counting SQL statements. Goals: the same query count, and time under 2×.

`python -m bench dashboard --enterprises 5000` for a quick run.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import register
from bench.eligibility import enterprise_count
from bench.processes import run_step, throwaway_database

SMALL = 1_000
RENDERS = 5


@register("dashboard")
def dashboard_section(rows: int):
    total = enterprise_count(rows)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-dashboard-"))
    try:
        with (
            throwaway_database(workdir, "portal_bench_dash_small") as (small_url, _vendor),
            throwaway_database(workdir, "portal_bench_dash_large") as (large_url, _vendor),
        ):
            small_build = run_step("bench.dashboard", "build", small_url, workdir, str(min(SMALL, total)))
            large_build = run_step("bench.dashboard", "build", large_url, workdir, str(total))
            small = run_step("bench.dashboard", "measure", small_url, workdir)
            large = run_step("bench.dashboard", "measure", large_url, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = large["median_ms"] / small["median_ms"] if small["median_ms"] else float("inf")
    cold_ratio = large["cold_median_ms"] / small["cold_median_ms"] if small["cold_median_ms"] else float("inf")
    header = ["enterprises (in the leader's scope)", "generate_demo (s)", "render", "queries", "median (ms)",
              "min (ms)", "max (ms)"]  # fmt: skip
    table = []
    for built, measured in ((small_build, small), (large_build, large)):
        count = f"{measured['enterprises']:,} ({measured['in_scope']:,})"
        table += [
            [count, f"{built['seconds']:.0f}", "as leaders see it", str(measured["queries"]),
             f"{measured['median_ms']:.0f}", f"{measured['min_ms']:.0f}", f"{measured['max_ms']:.0f}"],
            [count, "", "first after a change", str(measured["cold_queries"]),
             f"{measured['cold_median_ms']:.0f}", f"{measured['cold_min_ms']:.0f}", f"{measured['cold_max_ms']:.0f}"],
        ]  # fmt: skip
    same_queries = small["queries"] == large["queries"] and small["cold_queries"] == large["cold_queries"]
    notes = [
        f"Query count: {small['queries']} vs {large['queries']} as leaders see it, {small['cold_queries']} vs "
        f"{large['cold_queries']} when the figures are computed (goal: identical) — {'met' if same_queries else 'NOT met'}.",
        f"Time ratio as leaders see it: **{ratio:.2f}×** (goal < 2×) — {'met' if ratio < 2 else 'NOT met'}. "
        f"The figures are kept until the business data changes (portal.cache.FIGURES, at most "
        f"{large['figures_timeout'] // 60} minutes); the first render after a change computes them afresh: "
        f"**{cold_ratio:.2f}×** — "
        + (
            "met."
            if cold_ratio < 2
            else "NOT met: the counts over every eligibility result, recognition and pool "
            "entry of the province grow with the register."
        ),
        "The province dashboard (宁夏回族自治区) rendered for a leader through Django's test client: every section, "
        "the region switcher and the template; median of five renders after one warm-up, and of five renders each "
        "after the kept figures were dropped.",
        f"Data by `generate_demo` (eligibility recompute included; goal: a few minutes at 100,000): "
        f"{large_build['counts']}.",
    ]
    scopes = f"{small['in_scope']:,} vs {large['in_scope']:,} enterprises in the leader's scope"
    return f"Leader dashboard ({min(SMALL, total):,} vs {total:,} enterprises; {scopes})", header, table, notes


# --- steps, each run in its own process ---------------------------------------------


def step_build(size: str) -> dict:
    from django.core.management import call_command

    from enterprises.models import AnnualIndicator, Enterprise
    from tiers.models import Application, EligibilityResult, PoolEntry, Recognition

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    # The whole command, eligibility recompute included: its time is the generator's goal ("a few minutes").
    call_command("generate_demo", enterprises=int(size), seed=2026, stdout=open(os.devnull, "w"))
    counts = {
        "enterprises": Enterprise.objects.count(),
        "indicators": AnnualIndicator.objects.count(),
        "recognitions": Recognition.objects.count(),
        "pool entries": PoolEntry.objects.count(),
        "applications": Application.objects.count(),
        "eligibility results": EligibilityResult.objects.count(),
    }
    return {"seconds": time.perf_counter() - started, "counts": ", ".join(f"{k} {v:,}" for k, v in counts.items())}


def step_measure() -> dict:
    from django.test import Client
    from django.urls import reverse

    from portal.cache import figures_changed
    from portal.dashboard.selectors import FIGURES_TIMEOUT
    from portal.models import Region, Role, User

    province = Region.objects.get(code="640000")
    leader, _created = User.objects.get_or_create(
        username="bench_leader", defaults={"role": Role.LEADER, "region": province}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    url = reverse("dashboard:index")
    assert client.get(url).status_code == 200
    kept = _renders(client, url)
    computed = _renders(client, url, before=figures_changed)
    from enterprises.models import Enterprise
    from portal.selectors import scope_filter

    return {
        **kept,
        **{f"cold_{name}": value for name, value in computed.items()},
        "figures_timeout": FIGURES_TIMEOUT,
        "in_scope": Enterprise.objects.filter(scope_filter(leader)).count(),
        "enterprises": Enterprise.objects.count(),
    }


def _renders(client, url: str, before=lambda: None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _n in range(RENDERS):
        before()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        queries = len(captured.captured_queries)
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times), "queries": queries}


def _worker(argv: list[str]) -> None:
    import django

    django.setup()
    step, *arguments = argv
    steps = {"build": step_build, "measure": step_measure}
    print(json.dumps(steps[step](*arguments), ensure_ascii=False))


if __name__ == "__main__":
    _worker(sys.argv[1:])
