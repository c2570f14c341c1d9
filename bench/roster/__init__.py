"""Roster import: the portal's whole user path against the physical floor and two baselines.

The same generated workbook (deterministic, 18 columns) is imported into an
empty register (inserts) and then again with changed figures (updates) by:

- the floor: python-calamine parses the sheet, COPY (executemany on SQLite) loads
  every row into a staging table, nothing else;
- the portal: upload → dry-run job → commit job, as an administrator's upload runs
  them (the jobs run eagerly in the step's process), audit events and all; the
  sheet is read by calamine whole, or a slice at a time above
  enterprises.roster.reading.STREAM_ROWS_ABOVE rows (the notes say which);
- django-import-export, default import_data() (row by row);
- django-import-export, bulk-tuned: use_bulk, batch_size 1000, skip_diff and the
  CachedInstanceLoader (one query for the existing rows instead of one per row).

Each step runs in its own subprocess so that its peak memory (ru_maxrss) is its
own. Each path has a throwaway database of the kind DATABASE_URL names (SQLite
files, or PostgreSQL databases prefixed by bench.processes.database_name).
After the portal's dry run of the insert, the dry-run page is opened at its
first, middle and last page, and at the last page of each outcome.

This module runs the section and writes its table; data generates the roster,
steps holds the steps and `python -m bench.roster <step>` runs one.
"""

import datetime
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench import register
from bench.processes import run_step as run_process_step
from bench.processes import throwaway_database
from bench.roster.data import COLUMNS, roster_file, setup_django_for_generation


def run_roster_step(step: str, database_url: str, workdir: Path, *arguments: str) -> dict:
    return run_process_step("bench.roster", step, database_url, workdir, *arguments)


# django-import-export's row-by-row path takes minutes per 5,000 rows on a loaded machine: by
# default it is measured on the first BENCH_BASELINE_ROWS rows of the same roster and its rate
# applied to the whole file (linear: it does the same queries for every row). 0 = all rows.
BASELINE_ROWS = int(os.environ.get("BENCH_BASELINE_ROWS", "5000"))
RESULTS = Path(__file__).resolve().parent.parent / "results" / "latest-roster.md"
FLOOR_GOAL = 2.5
PAGE_GOAL_MS = 300
MEMORY_GOAL_MIB = 300


@register("roster")
def roster_section(rows: int):
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    baseline_rows = rows if not BASELINE_ROWS or BASELINE_ROWS >= rows else BASELINE_ROWS
    try:
        started = time.perf_counter()
        setup_django_for_generation()
        from enterprises.roster.reading import STREAM_ROWS_ABOVE

        first, second = roster_file(rows, variant=0), roster_file(rows, variant=1)
        # The first rows of the same roster (generation is deterministic row by row).
        sample_first, sample_second = roster_file(baseline_rows, variant=0), roster_file(baseline_rows, variant=1)
        generated = time.perf_counter() - started
        # Each path has its own empty register. The steps alternate so that a change in the
        # machine's load during the run weighs on every path.
        with (
            throwaway_database(workdir / "fast", "portal_bench") as (fast_url, vendor),
            throwaway_database(workdir / "plain", "portal_bench_baseline") as (plain_url, _vendor),
            throwaway_database(workdir / "bulk", "portal_bench_bulk") as (bulk_url, _vendor),
            throwaway_database(workdir / "floor", "portal_bench_floor") as (floor_url, _vendor),
        ):
            for url in (fast_url, plain_url, bulk_url, floor_url):
                run_roster_step("setup", url, workdir)
            floor = run_roster_step("floor", floor_url, workdir, str(first))
            plain_insert = run_roster_step("import-export", plain_url, workdir, str(sample_first), "default")
            bulk_insert = run_roster_step("import-export", bulk_url, workdir, str(sample_first), "bulk")
            fast_insert = run_roster_step("fast", fast_url, workdir, str(first), "pages")
            fast_update = run_roster_step("fast", fast_url, workdir, str(second))
            fast_again = run_roster_step("fast", fast_url, workdir, str(second))
            bulk_update = run_roster_step("import-export", bulk_url, workdir, str(sample_second), "bulk")
            plain_update = run_roster_step("import-export", plain_url, workdir, str(sample_second), "default")
            floor_again = run_roster_step("floor", floor_url, workdir, str(first))
        size = first.stat().st_size
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    floor_seconds = min(floor["seconds"], floor_again["seconds"])
    is_sampled = baseline_rows < rows
    header = ["operation", "path", "rows timed", "seconds", "rows/s", "peak RSS (MiB)", "result", "× floor", "speed-up"]
    table = [
        [
            "load",
            "floor: calamine parse + COPY into a staging table",
            f"{rows:,}",
            f"{floor_seconds:.2f}",
            f"{rows / floor_seconds:,.0f}",
            f"{floor['maxrss_mib']:.0f}",
            f"{floor['result']}",
            "1.0×",
            "",
        ]
    ]
    goals = []
    for label, fast, plain, bulk in (
        ("insert", fast_insert, plain_insert, bulk_insert),
        ("update", fast_update, plain_update, bulk_update),
    ):
        fast_rate = rows / fast["seconds"]
        plain_rate = baseline_rows / plain["seconds"]
        bulk_rate = baseline_rows / bulk["seconds"]
        ratio = fast["seconds"] / floor_seconds
        goals.append(
            f"{label}: {ratio:.1f}× the floor (goal ≤ {FLOOR_GOAL}×) — {'met' if ratio <= FLOOR_GOAL else 'NOT met'}; "
            f"peak {fast['maxrss_mib']:.0f} MiB (goal < {MEMORY_GOAL_MIB}) — "
            f"{'met' if fast['maxrss_mib'] < MEMORY_GOAL_MIB else 'NOT met'}."
        )
        table.append(
            [
                label,
                "portal: upload → dry-run job → commit job",
                f"{rows:,}",
                f"{fast['seconds']:.1f}",
                f"{fast_rate:,.0f}",
                f"{fast['maxrss_mib']:.0f}",
                fast["result"],
                f"{ratio:.1f}×",
                f"{fast_rate / plain_rate:.1f}× / {fast_rate / bulk_rate:.1f}×",
            ]
        )
        for path, measured, rate in (
            ("django-import-export, default import_data()", plain, plain_rate),
            ("django-import-export, bulk-tuned", bulk, bulk_rate),
        ):
            estimate = f" (≈{rows / rate:,.0f} for {rows:,})" if is_sampled else ""
            table.append(
                [
                    label,
                    path,
                    f"{baseline_rows:,}",
                    f"{measured['seconds']:.1f}{estimate}",
                    f"{rate:,.0f}",
                    f"{measured['maxrss_mib']:.0f}",
                    measured["result"],
                    f"{(rows / rate) / floor_seconds:.0f}×",
                    "",
                ]
            )
    pages = fast_insert["pages"]
    slowest = max(pages.values())
    notes = [
        f"{rows:,} rows × {len(COLUMNS)} columns, {size / 1024 / 1024:.1f} MiB .xlsx (generated or taken from the "
        f"cache in {generated:.1f} s); database: {vendor}. Floor: best of two runs, before and after the others.",
        *goals,
        f"Dry-run page ({rows:,} rows, 50 a page), server time through the test client: "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in pages.items())
        + f" — slowest {slowest:.0f} ms (goal < {PAGE_GOAL_MS} ms) — {'met' if slowest < PAGE_GOAL_MS else 'NOT met'}.",
        f"The portal read the sheet by {fast_insert['reader']} (an .xlsx of more than {STREAM_ROWS_ABOVE:,} rows "
        "is read a slice at a time, a smaller one whole); the floor reads it whole.",
        f"Portal, all {rows:,} rows: upload {fast_insert['upload']:.1f} s + dry run {fast_insert['dry_run']:.1f} s + "
        f"commit {fast_insert['commit']:.1f} s on insert; {fast_update['upload']:.1f} + {fast_update['dry_run']:.1f} + "
        f"{fast_update['commit']:.1f} s on update. It keeps the dry-run report (a row per sheet row) and writes one "
        "audit event per created or changed enterprise and indicator row. Re-importing the update file: "
        f"{fast_again['result']} in {fast_again['seconds']:.1f} s (nothing to commit).",
        "speed-up: the portal's rows/s over django-import-export's default / bulk-tuned. django-import-export: "
        "EnterpriseResource then AnnualIndicatorResource on the same .xlsx read with its XLSX format; no audit "
        "events, no report kept. Bulk-tuned: use_bulk=True, batch_size=1000, skip_diff=True, "
        "CachedInstanceLoader; its foreign keys (region by name, enterprise by credit code) are still one query a row.",
        (
            f"django-import-export was timed on the first {baseline_rows:,} rows of the same roster and its rows/s "
            f"applied to {rows:,} rows (≈ figures; it issues the same queries for every row, so its time grows "
            "linearly). Set BENCH_BASELINE_ROWS=0 to time it on every row."
        )
        if is_sampled
        else "Every path imported every row.",
        "Peak RSS is each step's own subprocess (Django loaded), from resource.getrusage.",
    ]
    title = f"Roster import: {rows:,} rows, {vendor}"
    _write_results(title, header, table, notes)
    return title, header, table, notes


def _write_results(title: str, header: list[str], rows: list[list[str]], notes: list[str]) -> None:
    """Keep the latest roster table per database in bench/results/latest-roster.md."""
    from bench.__main__ import table as render

    block = "\n".join(
        [
            f"## {title}",
            "",
            f"Measured {datetime.datetime.now():%Y-%m-%d %H:%M}.",
            "",
            render(header, rows),
            "",
            *notes,
            "",
        ]
    )
    vendor = title.rsplit(", ", 1)[-1]
    blocks = []
    if RESULTS.exists():
        text = RESULTS.read_text(encoding="utf-8")
        blocks = [chunk for chunk in text.split("\n## ")[1:] if not chunk.split("\n", 1)[0].endswith(", " + vendor)]
    parts = ["# Roster import benchmark", "", *["## " + chunk.rstrip("\n") + "\n" for chunk in blocks], block]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(parts), encoding="utf-8")
