"""Roster import: the portal's whole user path against the physical floor and two baselines.

The same generated workbook (deterministic, 18 columns) is imported into an
empty register (inserts) and then again with changed figures (updates) by:

- the floor: python-calamine parses the sheet, COPY (executemany on SQLite) loads
  every row into a staging table, nothing else;
- the portal: upload → dry-run job → commit job, as an administrator's upload runs
  them (the jobs run eagerly in the step's process), audit events and all;
- django-import-export, default import_data() (row by row);
- django-import-export, bulk-tuned: use_bulk, batch_size 1000, skip_diff and the
  CachedInstanceLoader (one query for the existing rows instead of one per row).

Each step runs in its own subprocess so that its peak memory (ru_maxrss) is its
own. Each path has a throwaway database of the kind DATABASE_URL names (SQLite
files, or PostgreSQL databases prefixed by bench.processes.database_name).
After the portal's dry run of the insert, the dry-run page is opened at its
first, middle and last page, and at the last page of each outcome.
"""

import datetime
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import register
from bench.processes import run_step as run_process_step
from bench.processes import throwaway_database

COLUMNS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "所属行业",
    "成立日期",
    "企业规模",
    "是否规上",
    "营业收入（万元）",
    "主营业务收入（万元）",
    "研发费用（万元）",
    "从业人员",
    "研发人员",
    "资产总额（万元）",
    "负债总额（万元）",
    "净利润（万元）",
    "发明专利",
    "数字化水平等级",
]
# The same columns as django-import-export's resources name them.
RESOURCE_NAMES = {
    "企业名称": "name",
    "统一社会信用代码": "credit_code",
    "所在地区": "region",
    "所属行业": "industry_code",
    "成立日期": "registered_on",
    "企业规模": "size_class",
    "是否规上": "is_above_scale",
    "营业收入（万元）": "operating_revenue",
    "主营业务收入（万元）": "main_business_revenue",
    "研发费用（万元）": "rd_expense",
    "从业人员": "employees",
    "研发人员": "rd_staff",
    "资产总额（万元）": "total_assets",
    "负债总额（万元）": "total_liabilities",
    "净利润（万元）": "net_profit",
    "发明专利": "invention_patents",
    "数字化水平等级": "digital_level",
}
REGIONS = ["沙坡头区", "中宁县", "海原县", "中卫工业园区"]
INDUSTRIES = ["C3911", "C2651", "C1511", "C3360", "I6510", "M7320", "C3051", "D4411"]
SIZES = ["micro", "small", "medium", "large"]
INDICATOR_YEAR = 2025
ADMIN = "bench_admin"


def generate(path: Path, rows: int, *, variant: int) -> None:
    """A roster of `rows` enterprises; variant 1 changes every figure and a few names."""
    from openpyxl import Workbook

    from enterprises.credit_codes import with_check_character

    rng = random.Random(2026)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(COLUMNS)
    for n in range(1, rows + 1):
        revenue = round(rng.uniform(500, 50_000), 2)
        name = f"宁夏基准测试{n}有限公司" + ("（更名）" if variant and n % 10 == 0 else "")
        sheet.append(
            [
                n,
                name,
                with_check_character(f"91640500{n:09d}"),
                REGIONS[n % len(REGIONS)],
                INDUSTRIES[n % len(INDUSTRIES)],
                datetime.date(2000 + n % 24, 1 + n % 12, 1 + n % 28),
                SIZES[n % 4],
                (n % 3 == 0 and 1) or 0,
                round(revenue + variant * 10, 2),
                round(revenue * 0.9, 2),
                round(revenue * 0.05 + variant, 2),
                20 + n % 500,
                2 + n % 50 + variant,
                round(revenue * 1.5, 2),
                round(revenue * 0.6, 2),
                round(revenue * 0.08 - 100, 2),
                n % 12,
                1 + n % 4,
            ]
        )
    workbook.save(path)


CACHE = Path(tempfile.gettempdir()) / "portal-bench-rosters"


def roster_file(rows: int, *, variant: int) -> Path:
    """The generated roster, kept between runs (generating 50,000 rows takes minutes)."""
    path = CACHE / f"roster-{rows}-{variant}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        generate(partial, rows, variant=variant)
        partial.rename(path)
    return path


def run_roster_step(step: str, database_url: str, workdir: Path, *arguments: str) -> dict:
    return run_process_step("bench.roster", step, database_url, workdir, *arguments)


# django-import-export's row-by-row path takes minutes per 5,000 rows on a loaded machine: by
# default it is measured on the first BENCH_BASELINE_ROWS rows of the same roster and its rate
# applied to the whole file (linear: it does the same queries for every row). 0 = all rows.
BASELINE_ROWS = int(os.environ.get("BENCH_BASELINE_ROWS", "5000"))
RESULTS = Path(__file__).resolve().parent / "results" / "latest-roster.md"
FLOOR_GOAL = 2.5
PAGE_GOAL_MS = 300
MEMORY_GOAL_MIB = 300


@register("roster")
def roster_section(rows: int):
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    baseline_rows = rows if not BASELINE_ROWS or BASELINE_ROWS >= rows else BASELINE_ROWS
    try:
        started = time.perf_counter()
        _setup_django_for_generation()
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


def _setup_django_for_generation() -> None:
    # Generation only needs the credit-code helper, which imports Django's translation.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()


# --- steps, each run in its own process ---------------------------------------------


def step_setup() -> dict:
    from django.core.management import call_command

    from portal.models import Region, User

    call_command("migrate", verbosity=0, interactive=False)
    ningxia = Region.objects.create(name="宁夏回族自治区", code="640000", kind="province")
    zhongwei = Region.objects.create(name="中卫市", code="640500", kind="city", parent=ningxia)
    for index, name in enumerate(REGIONS):
        Region.objects.create(name=name, code=f"64059{index}", kind="county", parent=zhongwei)
    User.objects.create_user(username=ADMIN, password="bench-only", role="admin", region=ningxia)
    return {}


def step_fast(path: str, pages: str = "") -> dict:
    """Upload as an administrator does; the dry run and the commit run as their jobs (eagerly, here)."""
    from enterprises.models import RosterImport
    from enterprises.roster import services
    from portal.models import User

    actor = User.objects.get(username=ADMIN)
    started = time.perf_counter()
    data = Path(path).read_bytes()
    roster_import = services.upload_roster(actor=actor, file_name=Path(path).name, data=data)
    uploaded = time.perf_counter()
    roster_import = RosterImport.objects.get(pk=roster_import.pk)
    assert roster_import.status == "analysed", (roster_import.status, roster_import.error)
    analysed = time.perf_counter()
    result = f"{roster_import.created_count} new, {roster_import.updated_count} changed, {roster_import.rejected_count} rejected"
    timed_pages = _time_pages(actor, roster_import) if pages else {}
    committing = time.perf_counter()
    if roster_import.created_count or roster_import.updated_count:
        roster_import = services.commit_roster(actor=actor, roster_import=roster_import)
        roster_import = RosterImport.objects.get(pk=roster_import.pk)
        assert roster_import.status == "committed", roster_import.status
    finished = time.perf_counter()
    return {
        "seconds": (analysed - started) + (finished - committing),
        "upload": uploaded - started,
        "dry_run": analysed - uploaded,
        "commit": finished - committing,
        "result": result,
        "pages": timed_pages,
    }


def _time_pages(actor, roster_import) -> dict[str, float]:
    """Server time of the dry-run page: first, middle and last page of all rows, last page of each outcome."""
    from django.test import Client
    from django.urls import reverse

    client = Client(SERVER_NAME="localhost")
    client.force_login(actor)
    url = reverse("enterprises:roster-detail", args=[roster_import.pk])
    last = max(1, -(-roster_import.total_rows // 50))
    opened = {"first": "", "middle": f"?page={last // 2 or 1}", "last": f"?page={last}"}
    for action, count in (("create", roster_import.created_count), ("update", roster_import.updated_count)):
        if count:
            opened[f"{action}, last"] = f"?action={action}&page={max(1, -(-count // 50))}"
    opened["with warnings"] = "?action=warning"
    client.get(url)  # templates and translations loaded before the clock starts
    timed = {}
    for name, query in opened.items():
        began = time.perf_counter()
        response = client.get(url + query)
        timed[name] = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, response.status_code
    return timed


def step_floor(path: str) -> dict:
    """The physical floor: calamine parses the sheet, every row goes into a staging table by COPY."""
    import io

    import python_calamine
    from django.db import connection

    started = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(Path(path).read_bytes())).get_sheet_by_index(0)
    rows = sheet.iter_rows()
    header = next(rows)
    columns = ", ".join(f"c{index} text" for index in range(len(header)))
    loaded = 0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS roster_staging")
        cursor.execute(f"CREATE TABLE roster_staging ({columns})")
        if connection.vendor == "postgresql":
            text = io.StringIO()
            for row in rows:
                text.write("\t".join("\\N" if value in (None, "") else str(value) for value in row) + "\n")
                loaded += 1
            text.seek(0)
            cursor.cursor.copy_expert("COPY roster_staging FROM STDIN", text, size=1 << 20)
        else:
            placeholders = ", ".join(["%s"] * len(header))
            values = [[None if value == "" else str(value) for value in row] for row in rows]
            loaded = len(values)
            cursor.executemany(f"INSERT INTO roster_staging VALUES ({placeholders})", values)
    finished = time.perf_counter()
    return {"seconds": finished - started, "result": f"{loaded} rows staged"}


def step_import_export(path: str, configuration: str) -> dict:
    import tablib
    from import_export.formats.base_formats import XLSX
    from import_export.instance_loaders import CachedInstanceLoader

    from enterprises.resources import AnnualIndicatorResource, EnterpriseResource

    resources = (EnterpriseResource, AnnualIndicatorResource)
    if configuration == "bulk":

        class Tuned:
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            instance_loader_class = CachedInstanceLoader

        resources = tuple(
            type(f"Bulk{base.__name__}", (base,), {"Meta": type("Meta", (Tuned, base.Meta), {})}) for base in resources
        )
    started = time.perf_counter()
    dataset = XLSX().create_dataset(Path(path).read_bytes())
    dataset.headers = [RESOURCE_NAMES.get(header, header) for header in dataset.headers]
    enterprise_columns = [
        "credit_code",
        "name",
        "region",
        "industry_code",
        "registered_on",
        "size_class",
        "is_above_scale",
    ]
    indicator_columns = [name for name in RESOURCE_NAMES.values() if name not in enterprise_columns]
    enterprises = tablib.Dataset(headers=enterprise_columns)
    indicators = tablib.Dataset(headers=["credit_code", "year", *indicator_columns])
    for row in dataset.dict:
        enterprises.append([row[name] for name in enterprise_columns])
        indicators.append([row["credit_code"], INDICATOR_YEAR, *[row[name] for name in indicator_columns]])
    first = resources[0]().import_data(enterprises, dry_run=False)
    second = resources[1]().import_data(indicators, dry_run=False)
    finished = time.perf_counter()
    totals = first.totals
    errors = len(first.row_errors()) + len(second.row_errors()) + len(first.invalid_rows) + len(second.invalid_rows)
    # skip_diff leaves nothing to tell a changed row from an unchanged one: both count as updates.
    result = f"{totals['new']} new, {totals['update']} changed, {errors} errors"
    return {"seconds": finished - started, "result": result}


def _worker(argv: list[str]) -> None:
    import resource

    import django

    django.setup()
    # Downstream work (eligibility recomputes, rewards) hooks in after commit; it is not part
    # of either import path and django-import-export's path would not trigger it at all.
    from enterprises.services import ENTERPRISE_CHANGE_HOOKS
    from tiers.services import RECOGNITION_BATCH_GRANTED_HOOKS, RECOGNITION_GRANTED_HOOKS

    ENTERPRISE_CHANGE_HOOKS.clear()
    RECOGNITION_GRANTED_HOOKS.clear()
    RECOGNITION_BATCH_GRANTED_HOOKS.clear()
    # Load the URLconf (and with it every app's views) before the clock starts, for both paths.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    import import_export.formats.base_formats  # noqa: F401

    step, *arguments = argv
    steps = {"setup": step_setup, "fast": step_fast, "import-export": step_import_export, "floor": step_floor}
    outcome = steps[step](*arguments)
    outcome["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome, ensure_ascii=False))


if __name__ == "__main__":
    _worker(sys.argv[1:])
