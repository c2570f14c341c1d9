"""How the register's size changes the costs that matter: 1,000 to 1,000,000 enterprises in one run.

For each size (BENCH_SCALES, default 1,000, 10,000, 100,000 and 1,000,000) one throwaway
database (PostgreSQL when DATABASE_URL names a server, else SQLite) is migrated and filled
by `generate_demo --province 640000 --skip-eligibility`, so that every enterprise is in the
province leader's scope; then, each in its own process:

- the whole eligibility recompute (`recompute_eligibility`), timed: goal linear, so the time
  per 1,000 enterprises stays about the same;
- the province dashboard rendered for its leader, as leaders see it (kept figures) and the
  first view after a change (`bench.dashboard`'s measure step): goal flat;
- name and code search through the list API as that leader, one request at a time, the
  first request of a term (its count included) and again (count kept): goal flat.

Each database is dropped before the next is built, so the disk holds one size at a time.
`BENCH_SCALES=1000,10000 python -m bench scaling` for a quick run.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench import register
from bench.processes import leader_client, run_step, throwaway_database

DEFAULT_SCALES = (1_000, 10_000, 100_000, 1_000_000)
PROVINCE = "640000"
SEARCH_ROUNDS = 3
FLAT = 2.0  # "flat": the largest size within this many times the smallest
LINEAR = 2.0  # "linear": time per enterprise at the largest size within this many times the smallest's


def scales() -> list[int]:
    configured = os.environ.get("BENCH_SCALES", "")
    return [int(part) for part in configured.split(",") if part.strip()] or list(DEFAULT_SCALES)


@register("scaling")
def scaling_section(_rows: int):
    measured = []
    for size in scales():
        workdir = Path(tempfile.mkdtemp(prefix="portal-bench-scaling-"))
        try:
            with throwaway_database(workdir, f"portal_bench_scale_{size}") as (url, vendor):
                built = run_step("bench.scaling", "build", url, workdir, str(size))
                recompute = run_step("bench.scaling", "recompute", url, workdir)
                dashboard = run_step("bench.dashboard", "measure", url, workdir)
                search = run_step("bench.scaling", "search", url, workdir)
                measured.append(
                    {"size": size, "vendor": vendor, **built, **recompute, **search, "dashboard": dashboard}
                )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return _table(measured)


def _table(measured: list[dict]):
    header = ["enterprises (all in scope)", "generate_demo (s)", "recompute (s)", "recompute per 1,000 (s)",
              "dashboard kept (ms)", "dashboard first after a change (ms)", "search 1 / 2 / 3+ characters, first (ms)",
              "search, count kept (ms)"]  # fmt: skip
    rows = []
    for m in measured:
        d = m["dashboard"]
        rows.append([
            f"{m['size']:,} ({d['in_scope']:,})", f"{m['build_seconds']:.0f}", f"{m['recompute_seconds']:.1f}",
            f"{m['recompute_seconds'] / m['size'] * 1000:.2f}", f"{d['median_ms']:.0f}", f"{d['cold_median_ms']:.0f}",
            " / ".join(f"{m['search_first_ms'][kind]:.0f}" for kind in ("one", "two", "three")),
            " / ".join(f"{m['search_kept_ms'][kind]:.0f}" for kind in ("one", "two", "three")),
        ])  # fmt: skip
    small, large = measured[0], measured[-1]
    per = [m["recompute_seconds"] / m["size"] for m in measured]
    linear = per[-1] / per[0] if per[0] else float("inf")
    cold = large["dashboard"]["cold_median_ms"] / small["dashboard"]["cold_median_ms"]
    kept = large["dashboard"]["median_ms"] / small["dashboard"]["median_ms"]
    search = max(large["search_kept_ms"][kind] / small["search_kept_ms"][kind] for kind in ("one", "two", "three"))
    search_first = max(
        large["search_first_ms"][kind] / small["search_first_ms"][kind] for kind in ("one", "two", "three")
    )

    def verdict(ratio: float, goal: float) -> str:
        return f"**{ratio:.2f}×** (goal < {goal:g}× — {'met' if ratio < goal else 'NOT met'})"

    span = f"{small['size']:,} → {large['size']:,}"
    notes = [
        f"Recompute per enterprise, {span}: {verdict(linear, LINEAR)} — linear when the time per 1,000 stays put.",
        f"Dashboard as leaders see it, {span}: {verdict(kept, FLAT)}; first view after a change: {verdict(cold, FLAT)}.",
        f"Search, one client, count kept, worst of the three lengths, {span}: {verdict(search, FLAT)}; a term's first "
        f"request (its count included): **{search_first:.2f}×**.",
        f"Every enterprise is in 宁夏 (`generate_demo --province {PROVINCE}`), so the province leader's scope is the whole "
        "register; the dashboard's figures are bench.dashboard's (median of five renders; after a change the kept "
        "figures are dropped and the largest county's pool and applied tallies forgotten). Search times are the API's "
        f"server time through Django's test client, medians of {SEARCH_ROUNDS} rounds over the same terms as the load "
        "test (pieces of names in scope, the places names begin with, six-digit pieces of credit codes, 有限公司).",
        f"Database: {large['vendor']}. Data per size: "
        + "; ".join(
            f"{m['size']:,}: {m['counts']}"
            + (f", {m['database_mb']:,.0f} MB on disk after the recompute" if m.get("database_mb") else "")
            for m in measured
        ),
    ]
    return f"Scaling: {span} enterprises", header, rows, notes


# --- steps, each run in its own process ---------------------------------------------


def step_build(size: str) -> dict:
    from django.core.management import call_command

    from bench.api_load import step_statistics
    from enterprises.models import AnnualIndicator, Enterprise
    from tiers.models import Recognition

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command(
        "generate_demo",
        enterprises=int(size),
        seed=2026,
        province=PROVINCE,
        skip_eligibility=True,
        stdout=open(os.devnull, "w"),
    )
    seconds = time.perf_counter() - started
    step_statistics()
    counts = {
        "indicators": AnnualIndicator.objects.count(),
        "recognitions": Recognition.objects.count(),
        "enterprises": Enterprise.objects.count(),
    }
    return {"build_seconds": seconds, "counts": ", ".join(f"{k} {v:,}" for k, v in counts.items())}


def step_recompute() -> dict:
    from tiers.eligibility import recompute_eligibility

    started = time.perf_counter()
    summary = recompute_eligibility()
    seconds = time.perf_counter() - started
    from bench.api_load import step_statistics

    step_statistics()  # the results are fresh rows: the dashboard and search steps plan with statistics
    return {"recompute_seconds": seconds, "recomputed": summary.enterprises, "database_mb": _database_mb()}


def _database_mb() -> float | None:
    """The database's size on disk once everything is written (PostgreSQL), for sizing a province."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0] / 2**20


def step_search() -> dict:
    from django.core.cache import cache

    from bench.api_load import search_terms

    province, _leader, client = leader_client(PROVINCE, "bench_search_leader")
    terms = search_terms(province)
    first: dict[str, list[float]] = {kind: [] for kind in terms}
    kept: dict[str, list[float]] = {kind: [] for kind in terms}
    for _round in range(SEARCH_ROUNDS):
        cache.clear()  # each round's first request of a term counts its matches again
        for kind, words in terms.items():
            for word in words:
                path = f"/api/v1/enterprises/?q={urllib.parse.quote(word)}"
                for times in (first, kept):
                    started = time.perf_counter()
                    response = client.get(path)
                    times[kind].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.content[:300]
    return {
        "search_first_ms": {kind: statistics.median(values) for kind, values in first.items()},
        "search_kept_ms": {kind: statistics.median(values) for kind, values in kept.items()},
    }


if __name__ == "__main__":
    import django

    django.setup()
    step, *arguments = sys.argv[1:]
    steps = {"build": step_build, "recompute": step_recompute, "search": step_search}
    print(json.dumps(steps[step](*arguments), ensure_ascii=False))
