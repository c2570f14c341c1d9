"""Eligibility: the set-based recompute against a per-enterprise loop on the same data.

A throwaway database (SQLite file, or `portal_bench_eligibility` on PostgreSQL when
DATABASE_URL names one) gets N enterprises with three years of indicators. The
set-based recompute runs first on 1,000 of them, then on all N, counting SQL
statements both times. The per-enterprise loop (read each enterprise's figures
through the ORM, evaluate, update_or_create each tier's result) runs on a sample
of the same data and is extrapolated to N.

Size: 100,000 enterprises unless `--rows` is given (or BENCH_ENTERPRISES is set).
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import register

DEFAULT_ENTERPRISES = 100_000
SAMPLE = 1_000
ON = "2026-06-01"


@contextlib.contextmanager
def bench_database(workdir: Path):
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://", "pgsql://")):
        yield f"sqlite:///{workdir / 'bench.sqlite3'}", "SQLite"
        return
    import environ
    import psycopg2

    config = environ.Env.db_url_config(configured)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS portal_bench_eligibility WITH (FORCE)")
        cursor.execute("CREATE DATABASE portal_bench_eligibility")
    try:
        yield f"{configured.rsplit('/', 1)[0]}/portal_bench_eligibility", "PostgreSQL"
    finally:
        with admin.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS portal_bench_eligibility WITH (FORCE)")
        admin.close()


def run_step(step: str, database_url: str, workdir: Path, *arguments: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PORTAL_VAR_DIR": str(workdir),
        "PYTHONHASHSEED": "0",
    }
    env.pop("REDIS_URL", None)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.eligibility", step, *arguments],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench step {step} failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def enterprise_count(rows: int) -> int:
    if os.environ.get("BENCH_ENTERPRISES"):
        return int(os.environ["BENCH_ENTERPRISES"])
    # `--rows` defaults to 50,000 for the roster section; this section's default is 100,000.
    return DEFAULT_ENTERPRISES if rows == 50_000 else rows


@register("eligibility")
def eligibility_section(rows: int):
    total = enterprise_count(rows)
    first = min(SAMPLE, total)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-eligibility-"))
    with bench_database(workdir) as (database_url, vendor):
        run_step("setup", database_url, workdir)
        run_step("add", database_url, workdir, "0", str(first))
        small = run_step("set-based", database_url, workdir)
        run_step("add", database_url, workdir, str(first), str(total - first))
        full = run_step("set-based", database_url, workdir)
        sample = min(SAMPLE, total)
        loop = run_step("loop", database_url, workdir, str(sample))
    per_enterprise = loop["seconds"] / sample
    loop_full = per_enterprise * total
    ratio = loop_full / full["seconds"] if full["seconds"] else float("inf")
    header = ["path", "enterprises", "seconds", "enterprises/s", "SQL statements", "results written", "peak RSS MiB"]
    table = [
        [
            "set-based recompute",
            f"{first:,}",
            f"{small['seconds']:.1f}",
            f"{first / small['seconds']:,.0f}",
            str(small["queries"]),
            f"{small['results']:,}",
            f"{small['maxrss_mib']:.0f}",
        ],
        [
            "set-based recompute",
            f"{total:,}",
            f"{full['seconds']:.1f}",
            f"{total / full['seconds']:,.0f}",
            str(full["queries"]),
            f"{full['results']:,}",
            f"{full['maxrss_mib']:.0f}",
        ],
        [
            "per-enterprise loop (measured)",
            f"{sample:,}",
            f"{loop['seconds']:.1f}",
            f"{sample / loop['seconds']:,.0f}",
            str(loop["queries"]),
            f"{loop['results']:,}",
            f"{loop['maxrss_mib']:.0f}",
        ],
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
        f"Database: {vendor}. Three years of indicators per enterprise; every tier with criteria in force is evaluated.",
        f"Speed ratio (loop extrapolated from {sample:,} enterprises ÷ set-based on {total:,}): **{ratio:,.0f}×** (goal ≥ 50×).",
        f"SQL statements: {small['queries']} at {first:,} enterprises, {full['queries']} at {total:,} (goal: equal) — "
        "four streaming reads, one upsert fed by a generator, one INSERT … SELECT for the history, one delete, pool rules.",
        "The loop is the straightforward path (enterprise.indicators, recognitions, assessments through the ORM, one "
        "update_or_create per tier); it was measured on a sample and extrapolated linearly.",
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


def step_add(start: str, count: str) -> dict:
    """Enterprises start … start+count with three years of figures and a few recognitions."""
    import datetime
    import random

    from enterprises.credit_codes import with_check_character
    from enterprises.models import AnnualIndicator, Enterprise
    from portal.models import Region
    from tiers.models import Recognition, Tier

    start, count = int(start), int(count)
    generator = random.Random(start)
    counties = list(Region.objects.filter(kind="county"))
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    industries = ["C3911", "C2614", "I6510", "C1610", "D4411", "F5110", "M7320"]
    for offset in range(0, count, 5000):
        size = min(5000, count - offset)
        enterprises = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    credit_code=with_check_character(f"91640500{start + offset + i:09d}"),
                    name=f"基准企业{start + offset + i}",
                    region=counties[(start + offset + i) % len(counties)],
                    industry_code=generator.choice(industries),
                    registered_on=datetime.date(generator.randint(2005, 2024), 5, 1),
                    size_class=generator.choice(["micro", "small", "medium", "large", ""]),
                )
                for i in range(size)
            ]
        )
        indicators, recognitions = [], []
        for enterprise in enterprises:
            revenue = generator.uniform(300, 60000)
            for year in (2023, 2024, 2025):
                revenue *= generator.uniform(0.9, 1.3)
                indicators.append(
                    AnnualIndicator(
                        enterprise=enterprise,
                        year=year,
                        operating_revenue=round(revenue, 2),
                        main_business_revenue=round(revenue * generator.uniform(0.5, 1), 2),
                        rd_expense=round(revenue * generator.uniform(0, 0.08), 2),
                        total_assets=round(revenue * generator.uniform(0.5, 2), 2),
                        total_liabilities=round(revenue * generator.uniform(0.1, 1), 2),
                        net_profit=round(revenue * generator.uniform(-0.05, 0.15), 2),
                        high_tech_product_revenue=round(revenue * generator.uniform(0, 0.9), 2),
                        main_product_revenue=round(revenue * generator.uniform(0.3, 0.9), 2),
                        equity_financing=round(generator.choice([0, 0, 0, generator.uniform(0, 5000)]), 2),
                        employees=generator.randint(10, 1500),
                        rd_staff=generator.randint(0, 80),
                        tech_staff=generator.randint(0, 120),
                        ip_class1_count=generator.randint(0, 5),
                        ip_class2_count=generator.randint(0, 10),
                        invention_patents=generator.randint(0, 3),
                        high_value_patents=generator.randint(0, 1),
                        digital_level=generator.randint(1, 4),
                    )
                )
            if generator.random() < 0.1:
                tier = tiers[generator.choice(["high-tech", "srdi-sme", "innovative-sme", "tech-sme"])]
                recognitions.append(
                    Recognition(
                        enterprise=enterprise,
                        tier=tier,
                        recognized_on=datetime.date(2024, 6, 1),
                        year=2024,
                        valid_until=datetime.date(2027, 5, 31),
                    )
                )
        AnnualIndicator.objects.bulk_create(indicators, batch_size=2000)
        Recognition.objects.bulk_create(recognitions, batch_size=2000)
    return {}


def step_set_based() -> dict:
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiers.eligibility import recompute_eligibility

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        summary = recompute_eligibility(on=datetime.date.fromisoformat(ON))
    return {
        "seconds": time.perf_counter() - started,
        "queries": len(queries.captured_queries),
        "results": summary.results,
    }


def step_loop(sample: str) -> dict:
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprises.models import Enterprise
    from tiers.eligibility import CriteriaBook
    from tiers.eligibility.recompute import store_enterprise_naively
    from tiers.models import EligibilityResult

    on = datetime.date.fromisoformat(ON)
    enterprises = list(Enterprise.objects.select_related("region").order_by("pk")[: int(sample)])
    ids = [enterprise.pk for enterprise in enterprises]
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        book = CriteriaBook.load()
        for enterprise in enterprises:
            store_enterprise_naively(enterprise, on=on, book=book)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "queries": len(queries.captured_queries),
        "results": EligibilityResult.objects.filter(enterprise_id__in=ids).count(),
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
