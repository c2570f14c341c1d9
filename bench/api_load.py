"""The enterprise list API under concurrent load on gunicorn, loopback only.

A throwaway database (as in bench.dashboard) is filled by `generate_demo` and
analysed; gunicorn serves it on a free 127.0.0.1 port, with PostgreSQL and
Redis when DATABASE_URL and REDIS_URL name them (the production path); 50
concurrent clients, each request carrying one of 50 users' tokens (so the
per-user API throttle is not what is measured), ask for pages of
/api/v1/enterprises/?region=<city> and of the whole scope for a bounded time,
then search it (`q=` pieces of names and credit codes, and the places names begin
with), one run per length of
query — one character, two, three and more — since each is served by a different
index (enterprises.search). The users are leaders of the country region: the
scope read is the whole register, and the table says how many enterprises that
is. Goals: list p95 under 500 ms, search p95 under 300 ms for every length, no
errors.

The clients are `wrk` when it is installed (C, so they take little of the CPU
the server is measured on) and Python threads otherwise; the notes say which.

`python -m bench api_load --enterprises 5000` for a quick run; BENCH_API_SECONDS
sets the duration (default 20 s). BENCH_API_DATABASE names an existing database
to reuse instead of building one (a name on DATABASE_URL's server, or a URL):
it is migrated and given the bench users, never dropped.

The port, the wait for gunicorn and the clients are bench.http_load.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench import register
from bench.eligibility import enterprise_count
from bench.http_load import free_port, load_generator, load_with_threads, load_with_wrk, wait_for
from bench.processes import create_database, run_step

CLIENTS = 50
PAGE_SIZE = 50  # the API's default (REST_FRAMEWORK["PAGE_SIZE"])
SECONDS = int(os.environ.get("BENCH_API_SECONDS", "20"))
REUSED_DATABASE = os.environ.get("BENCH_API_DATABASE", "")
# Synchronous workers, two per core. A list request is CPU-bound Python: threads add no
# throughput under the GIL, and workers with threads keep each client's connection, so one
# worker's clients queue behind each other while another idles (p95 twice p50 and more).
WORKERS = 4
ROOT = Path(__file__).resolve().parent.parent


def prepare_database(total: int, workdir: Path) -> tuple[str, dict]:
    """The database URL and what it holds: REUSED_DATABASE migrated, or a new one built by generate_demo."""
    if not REUSED_DATABASE:
        url, _vendor = create_database(workdir, "portal_bench_api")
        return url, run_step("bench.dashboard", "build", url, workdir, str(total))
    if "://" in REUSED_DATABASE:
        url = REUSED_DATABASE
    else:
        url = f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{REUSED_DATABASE}"
    return url, run_step("bench.api_load", "reuse", url, workdir)


def serve(url: str, workdir: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PORTAL_VAR_DIR": str(workdir),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One cache for every worker, as in production (the test settings give each process its own).
        "PORTAL_CACHE_KEY_PREFIX": f"bench-api-{port}",
    }
    # A file, not a pipe: nobody reads the server's log during the run, and a full pipe
    # (a warning per 4xx response) would stall the workers.
    with open(workdir / "gunicorn.log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
             "--timeout", "60", "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip


LIST_GOAL_MS = 500
SEARCH_GOAL_MS = 300
# What people type, in kinds that an index serves differently: one character and two (too short
# for a trigram: "宁", "科技" are common searches) and three or more.
SEARCH_KINDS = {"one": "1 character", "two": "2 characters", "three": "3+ characters, codes"}


def search_path(term: str) -> str:
    return f"/api/v1/enterprises/?q={urllib.parse.quote(term)}"


def describe_terms(terms: list[str]) -> str:
    shown = "、".join(terms[:4])
    return f"{len(terms)} terms ({shown}{' …' if len(terms) > 4 else ''})"


def run_load(port: int, tokens: list[str], paths: list[str], generator: str, workdir: Path) -> dict:
    if generator == "wrk":
        return load_with_wrk(port, tokens, paths, SECONDS, workdir)
    return load_with_threads(port, tokens, paths, SECONDS)


@register("api_load")
def api_load_section(rows: int):
    total = enterprise_count(rows)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-api-"))
    url, built = prepare_database(total, workdir)
    setup = run_step("bench.api_load", "tokens", url, workdir, str(CLIENTS))
    run_step("bench.api_load", "statistics", url, workdir)
    generator = load_generator()
    port = free_port()
    server = serve(url, workdir, port)
    try:
        wait_for(port, time.monotonic() + 60)
        paths = [f"/api/v1/enterprises/?region={setup['region']}&page={page}" for page in setup["region_pages"]]
        paths += [f"/api/v1/enterprises/?page={page}" for page in setup["scope_pages"]]
        listed = run_load(port, setup["tokens"], paths, generator, workdir)
        searched = {
            kind: run_load(port, setup["tokens"], [search_path(term) for term in terms], generator, workdir)
            for kind, terms in setup["search_terms"].items()
        }
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    in_scope = f"{setup['in_scope']:,} of {setup['enterprises']:,}"
    header = [
        "requests",
        "enterprises in scope",
        "clients",
        "seconds",
        "requests/s",
        "p50 ms",
        "p95 ms",
        "goal p95 ms",
        "p95 / goal",
        "goal met",
        "p99 ms",
        "errors",
    ]
    measured = [("list pages", listed, LIST_GOAL_MS)]
    measured += [(f"search q= {SEARCH_KINDS[kind]}", result, SEARCH_GOAL_MS) for kind, result in searched.items()]
    table = [
        [
            name, in_scope, str(CLIENTS), str(SECONDS), f"{result['rps']:.0f}", f"{result['p50']:.0f}",
            f"{result['p95']:.0f}", f"< {goal}", f"{result['p95'] / goal:.2f}",
            "met" if result["p95"] < goal and not result["errors"] else "NOT met", f"{result['p99']:.0f}",
            json.dumps(result["errors"]) if result["errors"] else "0",
        ]
        for name, result, goal in measured
    ]  # fmt: skip
    list_met = listed["p95"] < LIST_GOAL_MS and not listed["errors"]
    search_met = all(result["p95"] < SEARCH_GOAL_MS and not result["errors"] for result in searched.values())
    clients = "wrk (2 threads)" if generator == "wrk" else "Python threads in the bench process"
    notes = [
        f"Goal: list pages p95 < {LIST_GOAL_MS} ms and 0 errors with {CLIENTS} concurrent clients — {'met' if list_met else 'NOT met'}.",
        f"Goal: search p95 < {SEARCH_GOAL_MS} ms and 0 errors with {CLIENTS} concurrent clients, for queries of "
        f"every length — {'met' if search_met else 'NOT met'}.",
        f"Every request is a leader's of the whole register (the country region): the scope read is {in_scope} "
        "enterprises; the region filter is a city (中卫市).",
        f"gunicorn {WORKERS} sync workers on 127.0.0.1 (a connection per request); pages of 50 of "
        "/api/v1/enterprises/ (a city's region filter and the whole scope), every request with one of "
        f"{CLIENTS} leaders' tokens; clients: {clients}; cache: "
        f"{'Redis' if os.environ.get('REDIS_URL') else 'files'}, shared by the workers as in production.",
        "Search: one run per kind of query, its terms in turn, each a first page with its count — "
        + "; ".join(f"{SEARCH_KINDS[kind]}: {describe_terms(terms)}" for kind, terms in setup["search_terms"].items())
        + ". On PostgreSQL the 1–2 character queries are served by the name and code characters' index and "
        "longer ones by the pg_trgm indexes (enterprises.search); SQLite scans the scope.",
        f"Data: {built['counts']}"
        + (f" (reused database {REUSED_DATABASE})" if REUSED_DATABASE else "")
        + "; VACUUM ANALYZE after loading, as autovacuum would.",
    ]
    return f"Enterprise list API under load ({setup['in_scope']:,} enterprises in scope)", header, table, notes


def step_tokens(count: str) -> dict:
    from rest_framework.authtoken.models import Token

    from enterprises.models import Enterprise
    from portal.models import Region, Role, User

    # Leaders of the whole register (the country region): the scope read is every enterprise.
    province = Region.objects.filter(parent=None).order_by("pk").first()
    tokens = []
    for index in range(int(count)):
        user, _created = User.objects.get_or_create(
            username=f"bench_api_{index}", defaults={"role": Role.LEADER, "region": province}
        )
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    city = Region.objects.get(code="640500")
    in_city = Enterprise.objects.filter(region__path__startswith=city.path).count()
    in_province = Enterprise.objects.filter(region__path__startswith=province.path).count()
    return {
        "tokens": tokens,
        "region": city.pk,
        "in_scope": in_province,
        "search_terms": search_terms(province),
        # Pages 1–20 of the city and 1–10 of the province, or as many as a smaller register has.
        "region_pages": pages_of(in_city, 20),
        "scope_pages": pages_of(in_province, 10),
        "enterprises": Enterprise.objects.count(),
    }


def search_terms(province) -> dict[str, list[str]]:
    """What people type, by kind: pieces of names in scope one, two and three characters long; six-digit pieces of
    credit codes and one term matching nearly every row with the three; and with the two, the places names begin
    with (a county's name: thousands of matches, all together in the list's order)."""
    from enterprises.models import Enterprise

    sample = list(
        Enterprise.objects.filter(region__path__startswith=province.path)
        .order_by("pk")
        .values_list("name", "credit_code")[::97][:40]
    )

    def pieces(length: int) -> list[str]:
        return list(dict.fromkeys(name[len(name) // 3 : len(name) // 3 + length] for name, _code in sample[:30]))

    codes = [credit_code[8:14] for _name, credit_code in sample[30:]]
    places = list(dict.fromkeys(name[:2] for name, _code in sample))
    return {"one": pieces(1), "two": [*pieces(2), *places], "three": [*pieces(3), *codes, "有限公司"]}


def pages_of(rows: int, most: int) -> list[int]:
    return list(range(1, max(1, min(most, -(-rows // PAGE_SIZE))) + 1))


def step_statistics() -> dict:
    """VACUUM ANALYZE the freshly loaded tables, as autovacuum does soon after a bulk load.

    Without statistics the planner guesses every table's size and sorts a whole
    scope where an index would do; a bench server may run with autovacuum off,
    and a production one does not stay unanalysed for long.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {}


def step_reuse() -> dict:
    """Bring a reused database up to the code's migrations, and say what it holds."""
    from django.core.management import call_command

    from enterprises.models import AnnualIndicator, Enterprise
    from tiers.models import Recognition

    call_command("migrate", verbosity=0, interactive=False)
    counts = {
        "enterprises": Enterprise.objects.count(),
        "indicators": AnnualIndicator.objects.count(),
        "recognitions": Recognition.objects.count(),
    }
    return {"seconds": 0.0, "counts": ", ".join(f"{k} {v:,}" for k, v in counts.items())}


if __name__ == "__main__":
    import django

    django.setup()
    step, *arguments = sys.argv[1:]
    print(json.dumps({"tokens": step_tokens, "statistics": step_statistics, "reuse": step_reuse}[step](*arguments)))
