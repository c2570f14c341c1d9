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
from bench.processes import leader_client, run_step, throwaway_database

SMALL = 1_000
RENDERS = 5
PROVINCE = "640000"
GOAL = 2.0


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
    moved_ratio = large["moved_median_ms"] / small["moved_median_ms"] if small["moved_median_ms"] else float("inf")
    granted_ratio = (
        large["granted_median_ms"] / small["granted_median_ms"] if small["granted_median_ms"] else float("inf")
    )
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
            [count, "", "first after a grant", str(measured["granted_queries"]),
             f"{measured['granted_median_ms']:.0f}", f"{measured['granted_min_ms']:.0f}",
             f"{measured['granted_max_ms']:.0f}"],
            [count, "", "first after a move", str(measured["moved_queries"]),
             f"{measured['moved_median_ms']:.0f}", f"{measured['moved_min_ms']:.0f}", f"{measured['moved_max_ms']:.0f}"],
        ]  # fmt: skip
    same_queries = small["queries"] == large["queries"] and small["cold_queries"] == large["cold_queries"]
    notes = [
        f"Query count: {small['queries']} vs {large['queries']} as leaders see it, {small['cold_queries']} vs "
        f"{large['cold_queries']} when the figures are computed (goal: identical) — {'met' if same_queries else 'NOT met'}.",
        f"Time ratio as leaders see it: **{ratio:.2f}×** (goal < {GOAL:g}×) — {'met' if ratio < GOAL else 'NOT met'}. "
        f"The figures are kept until the business data changes (portal.cache.FIGURES, at most "
        f"{large['figures_timeout'] // 60} minutes).",
        f"**First view after a change** (the figures computed afresh; the funnel and regions compared read the "
        f"per-region tallies of overview.dashboard.tallies, which the writers keep): goal within {GOAL:g}× of the "
        f"{small['in_scope']:,}-enterprise figure, measured **{cold_ratio:.2f}×** "
        f"({large['cold_median_ms']:.0f} ms vs {small['cold_median_ms']:.0f} ms) with "
        f"{large['in_scope']:,} of {large['enterprises']:,} enterprises in the leader's scope — "
        f"{'met' if cold_ratio < GOAL else 'NOT met'}. The target cards' recognitions are kept per region while the "
        f"region's tallies stand (overview.dashboard.kept_holdings, per web process: the first view in each process "
        f"reads them all). After a grant in the largest county (its holders and eligible tallies counted again by the "
        f"writer, as the grant's hooks do, and the county's recognitions read again by the view): **{granted_ratio:.2f}×** "
        f"({large['granted_median_ms']:.0f} ms vs {small['granted_median_ms']:.0f} ms). After an enterprise moved "
        f"into the largest county (every measure of that county counted again, a cost that follows the county's "
        f"size): **{moved_ratio:.2f}×**.",
        _without_targets(small["sections_ms"], large["sections_ms"]),
        "Where a fresh view's time goes, per section (ms, median of five, small → large): "
        + "; ".join(
            f"{name} {small['sections_ms'][name]:.0f} → {large['sections_ms'][name]:.0f}"
            for name in large["sections_ms"]
        )
        + ".",
        "The province dashboard (宁夏回族自治区, where `generate_demo --province 640000` puts every enterprise) rendered for a leader through Django's test client: every section, "
        "the region switcher and the template; median of five renders after one warm-up, and of five renders each "
        "after a change: the kept figures dropped and the pool and applied tallies of the largest county forgotten "
        "(what a pool entry or application saved there does), so each such render counts them again.",
        f"Data by `generate_demo` (eligibility recompute included; goal: a few minutes at 100,000): "
        f"{large_build['counts']}.",
    ]
    scopes = f"{small['in_scope']:,} vs {large['in_scope']:,} enterprises in the leader's scope"
    return f"Leader dashboard ({min(SMALL, total):,} vs {total:,} enterprises; {scopes})", header, table, notes


def _without_targets(small: dict[str, float], large: dict[str, float]) -> str:
    """The fresh figures split: the target cards (tasks.figures, which read the holdings) against every other section."""
    rest_small = sum(value for name, value in small.items() if not name.startswith("targets"))
    rest_large = sum(value for name, value in large.items() if not name.startswith("targets"))
    rest = rest_large / rest_small if rest_small else float("inf")
    targets = large["targets"] / small["targets"] if small["targets"] else float("inf")
    read = "targets, recognitions read"
    read_ratio = large[read] / small[read] if small[read] else float("inf")
    return (
        f"Computed afresh, every section but the target cards: {rest_small:.0f} → {rest_large:.0f} ms, "
        f"**{rest:.2f}×** (goal < {GOAL:g}× — {'met' if rest < GOAL else 'NOT met'}); the target cards "
        f"(tasks.figures.target_figures) with the recognitions kept: {small['targets']:.0f} → "
        f"{large['targets']:.0f} ms, **{targets:.2f}×**; with every region's recognitions read (the first view in "
        f"a process, or after a change to every region): {small[read]:.0f} → {large[read]:.0f} ms, "
        f"**{read_ratio:.2f}×**."
    )


# --- steps, each run in its own process ---------------------------------------------


def step_build(size: str) -> dict:
    from django.core.management import call_command

    from enterprises.models import AnnualIndicator, Enterprise
    from tiers.models import Application, EligibilityResult, PoolEntry, Recognition

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    # The whole command, eligibility recompute included: its time is the generator's goal ("a few minutes").
    # Every enterprise in 宁夏, the province whose dashboard is measured: the leader's scope is the whole register.
    call_command("generate_demo", enterprises=int(size), seed=2026, province=PROVINCE, stdout=open(os.devnull, "w"))
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
    from django.db.models import Count
    from django.urls import reverse

    from enterprises.models import Enterprise
    from overview.dashboard.selectors import FIGURES_TIMEOUT
    from overview.dashboard.tallies import APPLIED, ELIGIBLE, HOLDERS, POOL, forget_regions, recount
    from portal.cache import figures_changed

    province, leader, client = leader_client(PROVINCE)
    url = reverse("dashboard:index")
    assert client.get(url).status_code == 200
    kept = _renders(client, url)
    # A change as a pool entry or an application saved in the largest county makes it: the kept figures
    # dropped and that county's pool and applied tallies forgotten, counted again by the render. (Grants,
    # the recompute and imports count theirs again in the writer's time.) The worst case, an enterprise
    # moved there, forgets every measure of the county.
    largest = (
        Enterprise.objects.filter(region__path__startswith=province.path)
        .values_list("region_id", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )

    def change() -> None:
        forget_regions([largest], [POOL, APPLIED])
        figures_changed()

    def grant() -> None:
        # What a grant's writer does after it commits (tallies_changed through its hooks, and the recompute's):
        # that county's holders and eligible tallies counted again, in the writer's time.
        recount([largest], [HOLDERS, ELIGIBLE])
        figures_changed()

    def move() -> None:
        forget_regions([largest])
        figures_changed()

    computed = _renders(client, url, before=change)
    granted = _renders(client, url, before=grant)
    moved = _renders(client, url, before=move)
    from portal.selectors import scope_filter

    return {
        **kept,
        **{f"cold_{name}": value for name, value in computed.items()},
        **{f"granted_{name}": value for name, value in granted.items()},
        **{f"moved_{name}": value for name, value in moved.items()},
        "sections_ms": _section_times(province),
        "figures_timeout": FIGURES_TIMEOUT,
        "in_scope": Enterprise.objects.filter(scope_filter(leader)).count(),
        "enterprises": Enterprise.objects.count(),
    }


def _section_times(province) -> dict[str, float]:
    """Each section of the figures computed afresh (the median of RENDERS), to show where a fresh view's time goes."""
    from django.utils import timezone, translation

    from overview.dashboard import selectors
    from overview.dashboard.kept_holdings import forget_kept

    translation.activate("zh-hans")
    viewer, today = selectors.viewer_for(province), timezone.localdate()
    parts = {
        "targets": lambda: selectors.targets_section(viewer, province, today),
        "targets, recognitions read": lambda: (forget_kept(), selectors.targets_section(viewer, province, today)),
        "ladder funnel": lambda: selectors.funnel_section(viewer, province, today),
        "regions compared": lambda: selectors.regions_section(viewer, province, today),
        "trend": lambda: selectors.trend_section(province, today),
        "money": lambda: selectors.money_section(viewer, province, today),
        "tasks": lambda: selectors.task_sections(viewer, province, today),
        "waiting longest": lambda: selectors.stuck_section(viewer, province, today),
    }
    times: dict[str, list[float]] = {name: [] for name in parts}
    for _n in range(RENDERS):
        for name, compute in parts.items():
            started = time.perf_counter()
            compute()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


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
