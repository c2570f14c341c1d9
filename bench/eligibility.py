"""Eligibility: the set-based recompute against a per-enterprise loop on the same data.

A throwaway database (SQLite file, or `portal_bench_eligibility` on PostgreSQL when
DATABASE_URL names one) gets N enterprises with three years of indicators,
generated set-based (the enterprises in bulk, the figures and recognitions with
INSERT … SELECT). The set-based recompute runs first on 1,000 of them, then on
all N (the first 1,000 are then unchanged and not written again), counting SQL
statements both times. The per-enterprise loop (read each enterprise's figures
through the ORM, evaluate, update_or_create each tier's result) runs on a sample
of the same data, after the set-based run, and is extrapolated to N.

Size: 100,000 enterprises unless `--enterprises N` (BENCH_ENTERPRISES) or `--rows` is given.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import register
from bench.processes import run_step, throwaway_database

DEFAULT_ENTERPRISES = 100_000
FIRST = 1_000
LOOP_SAMPLE = 500
ON = "2026-06-01"


def run_eligibility_step(step: str, database_url: str, workdir: Path, *arguments: str) -> dict:
    return run_step("bench.eligibility", step, database_url, workdir, *arguments)


def enterprise_count(rows: int) -> int:
    if os.environ.get("BENCH_ENTERPRISES"):
        return int(os.environ["BENCH_ENTERPRISES"])
    # `--rows` defaults to 50,000 for the roster section; this section's default is 100,000.
    return DEFAULT_ENTERPRISES if rows == 50_000 else rows


@register("eligibility")
def eligibility_section(rows: int):
    total = enterprise_count(rows)
    first = min(FIRST, total)
    sample = min(LOOP_SAMPLE, total)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-eligibility-"))
    try:
        with throwaway_database(workdir, "portal_bench_eligibility") as (database_url, vendor):
            run_eligibility_step("setup", database_url, workdir)
            made = run_eligibility_step("add", database_url, workdir, "0", str(first))
            small = run_eligibility_step("set-based", database_url, workdir)
            if total > first:
                more = run_eligibility_step("add", database_url, workdir, str(first), str(total - first))
                made["seconds"] += more["seconds"]
            full = run_eligibility_step("set-based", database_url, workdir)
            again = run_eligibility_step("set-based", database_url, workdir)
            loop = run_eligibility_step("loop", database_url, workdir, str(sample))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    per_enterprise = loop["seconds"] / sample
    loop_full = per_enterprise * total
    ratio = loop_full / full["seconds"] if full["seconds"] else float("inf")
    header = ["path", "enterprises", "seconds", "enterprises/s", "SQL statements", "results written", "peak RSS MiB"]

    def line(label: str, count: int, outcome: dict) -> list[str]:
        return [
            label,
            f"{count:,}",
            f"{outcome['seconds']:.1f}",
            f"{count / outcome['seconds']:,.0f}",
            str(outcome["queries"]),
            f"{outcome['written']:,}",
            f"{outcome['maxrss_mib']:.0f}",
        ]

    table = [
        line("set-based recompute", first, small),
        line("set-based recompute", total, full),
        line("set-based recompute, nothing changed", total, again),
        line("per-enterprise loop (measured sample)", sample, loop),
        [
            "per-enterprise loop (extrapolated)",
            f"{total:,}",
            f"{loop_full:.0f}",
            f"{1 / per_enterprise:,.0f}",
            f"≈{loop['queries'] / sample * total:,.0f}",
            "—",
            "—",
        ],
    ]
    notes = [
        f"Database: {vendor}. Register generated set-based in {made['seconds']:.1f} s: three years of indicators per "
        "enterprise, about 10% holding a recognition; every tier with criteria in force is evaluated (9 tiers).",
        f"Speed ratio (per-enterprise loop, measured on {sample:,} enterprises of the full register and extrapolated "
        f"linearly to {total:,}, ÷ set-based run on {total:,}): **{ratio:,.1f}×** (goal ≥ 50×); "
        f"{total / full['seconds']:,.0f} vs {1 / per_enterprise:,.0f} enterprises/s.",
        f"SQL statements: {small['queries']} at {first:,} enterprises, {full['queries']} at {total:,} (goal: equal) — "
        "five streaming reads (enterprises, indicators, recognitions, staff judgements, stored digests), one bulk "
        "upsert of the changed results (SQLite: one prepared statement run per row; PostgreSQL: COPY into a temporary "
        "table and one INSERT … ON CONFLICT), one bulk insert of the history, pool rules.",
        "The set-based run evaluates column-wise (tiers/criteria/vector.py: 2,000 enterprises at a time as numpy "
        "arrays) and stores verdict, score and counts; gap sentences are worked out when a result is shown.",
        "Results whose hash (digest) did not change are not written: the third row is a nightly run over unchanged data.",
        "The loop is the straightforward path (enterprise figures, recognitions, judgements through the ORM, the "
        "per-enterprise evaluation the ladder page uses, one update_or_create per tier); both run in this process "
        "tree, one after the other, on a shared machine.",
    ]
    return f"Eligibility recompute ({total:,} enterprises)", header, table, notes


# --- steps, each run in its own process ---------------------------------------------


def step_setup() -> dict:
    from django.core.management import call_command

    from portal.models import Region
    from tiers.reference import load_tiers_and_ladders

    call_command("migrate", verbosity=0, interactive=False)
    ningxia = Region.objects.create(name="宁夏回族自治区", code="640000", kind="province")
    zhongwei = Region.objects.create(name="中卫市", code="640500", kind="city", parent=ningxia)
    for index in range(4):
        Region.objects.create(name=f"县{index}", code=f"64059{index}", kind="county", parent=zhongwei)
    load_tiers_and_ladders()
    return {}


def _fraction(salt: int, column: str = "e.id") -> str:
    """A deterministic pseudo-random number in [0, 1) per enterprise, the same in SQLite and PostgreSQL."""
    # %% is the modulo operator once the driver has put the parameters in.
    return f"(({column} * {2654435761 + salt * 7919}) %% 1000003) / 1000003.0"


def _money(expression: str) -> str:
    return f"ROUND(CAST({expression} AS NUMERIC), 2)"


def step_add(start: str, count: str) -> dict:
    """Enterprises start … start+count with three years of figures and a few recognitions, set-based."""
    import datetime
    import random

    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from enterprises.credit_codes import with_check_character
    from enterprises.models import AnnualIndicator, Enterprise
    from portal.models import Region
    from tiers.models import Recognition, Tier

    started = time.perf_counter()
    start, count = int(start), int(count)
    before = Enterprise.objects.aggregate(last=Max("pk"))["last"] or 0
    generator = random.Random(start)
    counties = list(Region.objects.filter(kind="county"))
    industries = ["C3911", "C2614", "I6510", "C1610", "D4411", "F5110", "M7320"]
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                credit_code=with_check_character(f"91640500{start + i:09d}"),
                name=f"基准企业{start + i}",
                region=counties[(start + i) % len(counties)],
                industry_code=generator.choice(industries),
                registered_on=datetime.date(generator.randint(2005, 2024), 5, 1),
                size_class=generator.choice(["micro", "small", "medium", "large", ""]),
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    low, high = before + 1, Enterprise.objects.aggregate(last=Max("pk"))["last"]
    indicator_table = connection.ops.quote_name(AnnualIndicator._meta.db_table)
    enterprise_table = connection.ops.quote_name(Enterprise._meta.db_table)
    recognition_table = connection.ops.quote_name(Recognition._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    revenue = f"(300 + 59700 * {_fraction(1)})"
    with transaction.atomic(), connection.cursor() as cursor:
        for year in (2023, 2024, 2025):
            revenue = f"({revenue} * (0.9 + 0.4 * {_fraction(10 + year)}))"
            money = {
                "operating_revenue": revenue,
                "main_business_revenue": f"{revenue} * (0.5 + 0.5 * {_fraction(20 + year)})",
                "rd_expense": f"{revenue} * 0.08 * {_fraction(30 + year)}",
                "total_assets": f"{revenue} * (0.5 + 1.5 * {_fraction(40 + year)})",
                "total_liabilities": f"{revenue} * (0.1 + 0.9 * {_fraction(50 + year)})",
                "net_profit": f"{revenue} * (0.2 * {_fraction(60 + year)} - 0.05)",
                "high_tech_product_revenue": f"{revenue} * 0.9 * {_fraction(70 + year)}",
                "main_product_revenue": f"{revenue} * (0.3 + 0.6 * {_fraction(80 + year)})",
                "equity_financing": f"CASE WHEN {_fraction(90 + year)} < 0.25 THEN 5000 * {_fraction(91 + year)} "
                "ELSE 0 END",
            }
            counts = {
                "employees": (10, 1490, 100),
                "rd_staff": (0, 80, 110),
                "tech_staff": (0, 120, 120),
                "ip_class1_count": (0, 5, 130),
                "ip_class2_count": (0, 10, 140),
                "invention_patents": (0, 3, 150),
                "high_value_patents": (0, 1, 160),
                "digital_level": (1, 3, 170),
            }
            columns = [*money, *counts]
            # CAST rounds in PostgreSQL and truncates in SQLite: below spread + 0.5 it stays within range either way.
            values = [_money(expression) for expression in money.values()] + [
                f"{low_value} + CAST({spread + 0.49} * {_fraction(salt + year)} AS INTEGER)"
                for low_value, spread, salt in counts.values()
            ]
            cursor.execute(
                f"INSERT INTO {indicator_table} (enterprise_id, year, {', '.join(columns)}, sources, version, "
                f"updated_at) SELECT e.id, {year}, {', '.join(values)}, '{{}}', 1, %s FROM {enterprise_table} e "
                "WHERE e.id BETWEEN %s AND %s",
                [now, low, high],
            )
        tiers = list(
            Tier.objects.filter(code__in=["high-tech", "srdi-sme", "innovative-sme", "tech-sme"]).values_list(
                "pk", flat=True
            )
        )
        tier = "CASE e.id %% 4 " + " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(tiers)) + " END"
        cursor.execute(
            f"INSERT INTO {recognition_table} (enterprise_id, tier_id, recognized_on, year, batch, certificate_no, "
            "valid_until, status, source, revoked_reason, version, created_at) "
            f"SELECT e.id, {tier}, %s, 2024, '', '', %s, 'valid', 'manual', '', 1, %s FROM {enterprise_table} e "
            f"WHERE e.id BETWEEN %s AND %s AND {_fraction(200)} < 0.1",
            [datetime.date(2024, 6, 1), datetime.date(2027, 5, 31), now, low, high],
        )
    return {"seconds": time.perf_counter() - started}


def step_set_based() -> dict:
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiers.eligibility import recompute_eligibility

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        summary = recompute_eligibility(
            on=datetime.date.fromisoformat(ON), workers=int(os.environ.get("BENCH_WORKERS", "1"))
        )
    return {
        "seconds": time.perf_counter() - started,
        "queries": len(queries.captured_queries) + summary.worker_queries,
        "results": summary.results,
        "written": summary.written,
    }


def step_loop(sample: str) -> dict:
    """The straightforward path on `sample` enterprises spread over the whole register."""
    import datetime

    from django.db import connection

    from enterprises.models import Enterprise
    from tiers.eligibility import CriteriaBook
    from tiers.eligibility.recompute import store_enterprise_naively

    on = datetime.date.fromisoformat(ON)
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    step = max(len(ids) // int(sample), 1)
    chosen = ids[::step][: int(sample)]
    enterprises = list(Enterprise.objects.select_related("region").filter(pk__in=chosen).order_by("pk"))
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    # Counted with a wrapper: the query log keeps only the last 9,000 statements.
    with connection.execute_wrapper(count):
        book = CriteriaBook.load()
        for enterprise in enterprises:
            store_enterprise_naively(enterprise, on=on, book=book)
    return {
        "seconds": time.perf_counter() - started,
        "queries": statements,
        "results": len(enterprises) * len(book.sets_by_tier),
        "written": len(enterprises) * len(book.sets_by_tier),
    }


def _worker(argv: list[str]) -> None:
    import resource

    import django

    django.setup()
    step, *arguments = argv
    steps = {"setup": step_setup, "add": step_add, "set-based": step_set_based, "loop": step_loop}
    outcome = steps[step](*arguments)
    outcome["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome, ensure_ascii=False))


if __name__ == "__main__":
    _worker(sys.argv[1:])
