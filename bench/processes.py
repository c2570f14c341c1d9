"""What every bench section shares: a throwaway database, and steps run in their own processes.

Each step runs in a fresh Python process (`python -m bench.<section> <step> …`),
so peak memory is the step's own and no state leaks from one path to the other;
the step prints one JSON line, which is its result.
"""

import contextlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")


def database_name(name: str) -> str:
    """`name` prefixed so that benches run side by side on one server never share a database.

    BENCH_DATABASE_PREFIX when set, else the configured database's own name: a bench run
    with DATABASE_URL=…/portal_i17 builds portal_i17_portal_bench, another run's
    …/portal_i12 builds portal_i12_portal_bench.
    """
    prefix = os.environ.get("BENCH_DATABASE_PREFIX")
    if prefix is None:
        configured = os.environ.get("DATABASE_URL", "")
        prefix = configured.rsplit("/", 1)[-1].split("?", 1)[0] if configured.startswith(POSTGRES_SCHEMES) else ""
    if not prefix or name.startswith(prefix + "_"):
        return name
    return re.sub(r"\W", "_", f"{prefix}_{name}")[:63]


def create_database(workdir: Path, name: str) -> tuple[str, str]:
    """A new empty database of the configured kind (SQLite when DATABASE_URL names no PostgreSQL): (URL, vendor)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(POSTGRES_SCHEMES):
        workdir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{workdir / (name + '.sqlite3')}", "SQLite"
    name = database_name(name)
    _administer(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    return f"{configured.rsplit('/', 1)[0]}/{name}", "PostgreSQL"


@contextlib.contextmanager
def throwaway_database(workdir: Path, name: str) -> Iterator[tuple[str, str]]:
    """create_database, dropped again when the section is done (SQLite files go with the workdir)."""
    url, vendor = create_database(workdir, name)
    try:
        yield url, vendor
    finally:
        if vendor == "PostgreSQL":
            _administer(f"DROP DATABASE IF EXISTS {database_name(name)} WITH (FORCE)")


def _administer(*statements: str) -> None:
    import environ
    import psycopg2

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        admin.close()


def step_environment(database_url: str, workdir: Path) -> dict[str, str]:
    """A step's environment: its database, the test settings, its own var folder, no Redis unless the step asks."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PORTAL_VAR_DIR": str(workdir),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONHASHSEED": "0",
    }
    env.pop("REDIS_URL", None)
    return env


def run_step(module: str, step: str, database_url: str, workdir: Path, *arguments: str) -> dict:
    """`python -m <module> <step> <arguments>` in a fresh process; its last line of output, as JSON."""
    completed = subprocess.run(
        [sys.executable, "-m", module, step, *arguments],
        env=step_environment(database_url, workdir),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{module} {step} failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def leader_client(region_code: str, username: str = "bench_leader"):
    """(region, a test client signed in as a leader of that region): what a leader's pages and API show."""
    from django.test import Client

    from portal.models import Region, Role, User

    region = Region.objects.get(code=region_code)
    leader, _created = User.objects.get_or_create(username=username, defaults={"role": Role.LEADER, "region": region})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    return region, leader, client
