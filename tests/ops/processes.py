"""Processes of the production topology, started for a test and always stopped.

Each class starts one process with its output in a log file, waits until it
is ready (bounded), and on exit sends SIGTERM to the main PID only: signalling
the whole process group makes a Celery worker re-queue tasks it already
finished (see shared/reference/setup-notes.md). Only when the main process
ignores SIGTERM past the deadline is the group killed, so nothing outlives a test.
"""

import concurrent.futures
import contextlib
import dataclasses
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate: Callable[[], Any], *, timeout: float, interval: float = 0.1, message: str = "") -> Any:
    """Poll `predicate` until it returns something truthy; TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            value = predicate()
            if value:
                return value
        if time.monotonic() > deadline:
            raise TimeoutError(message or f"not ready after {timeout:.0f} s")
        time.sleep(interval)


class ManagedProcess:
    """One long-running process with its output in `log_path`."""

    name = "process"
    ready_timeout = 60.0
    stop_timeout = 20.0

    def __init__(self, *, command: list[str], env: dict[str, str], log_path: Path, cwd: Path = ROOT) -> None:
        self.command, self.env, self.log_path, self.cwd = command, env, log_path, cwd
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> "ManagedProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        # Its own session: a Ctrl-C on pytest does not reach it, and the group can be killed as a last resort.
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        try:
            wait_until(
                self._ready_or_dead, timeout=self.ready_timeout, interval=0.2, message=f"{self.name} did not start"
            )
        except BaseException:
            self.stop()
            raise
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
        return self

    def _ready_or_dead(self) -> bool:
        return self.process.poll() is not None or self.is_ready()

    def is_ready(self) -> bool:
        return True

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self) -> None:
        """SIGTERM to the main PID only."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        """SIGTERM to the main PID, then SIGKILL to the group if it is still there after stop_timeout."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Orphans of a killed main process (pool children) share its session: sweep them too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_text()[-chars:]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


@contextlib.contextmanager
def running(*processes: ManagedProcess):
    """Start the processes side by side; on exit ask them all to stop at once, then wait for each."""
    with concurrent.futures.ThreadPoolExecutor(len(processes)) as pool:
        futures = [pool.submit(process.start) for process in processes]
        try:
            for future in futures:
                future.result()
            yield processes
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.stop()


class RedisServer(ManagedProcess):
    """A redis-server of our own on a free port, without persistence: stopping it loses every queued message."""

    name = "redis-server"

    def __init__(self, directory: Path, *, port: int | None = None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self.directory),
        ]  # fmt: skip
        super().__init__(command=command, env=dict(os.environ), log_path=self.directory / "redis.log")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def is_ready(self) -> bool:
        return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()


class PostgresCluster:
    """A PostgreSQL cluster of our own (initdb in a temporary folder), so a test may stop and restart it.

    initdb refuses to run as root: as root, the cluster belongs to the `postgres` user.
    """

    def __init__(self, directory: Path, *, port: int | None = None) -> None:
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.port = port or free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run(
            [*prefix, *command], check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def init(self) -> "PostgresCluster":
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.user:
            record = pwd.getpwnam(self.user)
            os.chown(self.directory, record.pw_uid, record.pw_gid)
        self._run(
            str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.directory / "postgres.log"), "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """`fast` disconnects every client, as a restart of the database server does."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database)
        connection.autocommit = True
        return connection

    def create_database(self, name: str, *, template: str | None = None) -> str:
        with contextlib.closing(self.connect()) as connection, connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def __enter__(self):
        self.init()
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop(mode="immediate")


def query(database_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of one SQL statement against a deployment's database, read by the test itself."""
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


class PortalEnvironment:
    """The environment every portal process of one deployment shares: the same database, Redis and
    media folder (what NFS would be across machines), production settings, and short job timings."""

    def __init__(self, *, database_url: str, redis_url: str, directory: Path, **overrides: str) -> None:
        self.directory = Path(directory)
        self.media = self.directory / "media"
        self.var = self.directory / "var"
        self.media.mkdir(parents=True, exist_ok=True)
        self.var.mkdir(parents=True, exist_ok=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "tests.ops.settings",
            "DJANGO_SECRET_KEY": "topology-test-secret-not-used-anywhere-else-0123456789",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PORTAL_MEDIA_ROOT": str(self.media),
            "PORTAL_VAR_DIR": str(self.var),
            "JOB_STALE_AFTER_SECONDS": "30",
            "JOB_SWEEP_INTERVAL_SECONDS": "2",
            "API_THROTTLE_USER": "100000/min",
            "API_THROTTLE_ANON": "100000/min",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **overrides,
        }

    def run(self, *args: str, timeout: float = 120, stdin: str | None = None) -> str:
        """A one-off command (`manage.py …` or `-m module …`) in this environment; its standard output."""
        command = [PYTHON, *args] if args[0] == "-m" else [PYTHON, "manage.py", *args]
        result = subprocess.run(
            command, cwd=ROOT, env=self.env, input=stdin, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout

    def gunicorn(self, *, port: int | None = None, workers: int = 2) -> "Gunicorn":
        return Gunicorn(self, port=port or free_port(), workers=workers)

    def worker(self, hostname: str, **options: Any) -> "CeleryWorker":
        return CeleryWorker(self, hostname=hostname, **options)

    def beat(self) -> "CeleryBeat":
        return CeleryBeat(self)


class Gunicorn(ManagedProcess):
    name = "gunicorn"

    def __init__(self, portal: PortalEnvironment, *, port: int, workers: int = 2) -> None:
        self.port = port
        command = [
            PYTHON, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
            "--no-control-socket",
        ]  # fmt: skip
        super().__init__(command=command, env=portal.env, log_path=portal.directory / f"gunicorn-{port}.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def is_ready(self) -> bool:
        import requests

        return requests.get(f"{self.url}/healthz", timeout=2).status_code in (200, 503)


class CeleryWorker(ManagedProcess):
    """A worker consuming both queues. Prefork with acks_late re-queues the task of a killed child."""

    name = "celery worker"

    def __init__(
        self, portal: PortalEnvironment, *, hostname: str, pool: str = "prefork", concurrency: int = 2
    ) -> None:
        self.hostname = hostname
        command = [
            PYTHON, "-m", "celery", "-A", "portal", "worker", "--queues=celery,periodic",
            f"--hostname={hostname}@%h", f"--pool={pool}", f"--concurrency={concurrency}",
            "--loglevel=INFO", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        super().__init__(command=command, env=portal.env, log_path=portal.directory / f"worker-{hostname}.log")

    def is_ready(self) -> bool:
        return " ready." in self.log_text()

    def children(self) -> list[int]:
        """The pool's child processes (prefork), which run the tasks."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []


class CeleryBeat(ManagedProcess):
    name = "celery beat"

    def __init__(self, portal: PortalEnvironment) -> None:
        command = [
            PYTHON, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO",
            f"--schedule={portal.var / 'celerybeat-schedule'}",
        ]  # fmt: skip
        super().__init__(command=command, env=portal.env, log_path=portal.directory / "beat.log")

    def is_ready(self) -> bool:
        return "beat: Starting" in self.log_text()


@dataclasses.dataclass
class Deployment:
    """A running portal: the shared environment, its processes, and the seeded accounts' tokens."""

    portal: PortalEnvironment
    redis: RedisServer
    web: Gunicorn
    workers: list[CeleryWorker]
    beat: CeleryBeat | None
    accounts: dict[str, dict]

    @property
    def database(self) -> str:
        return self.portal.env["DATABASE_URL"]

    def client(self, username: str):
        from tests.ops.http import ApiClient

        return ApiClient(self.web.url, self.accounts[username]["token"])

    def seed(self, *args: str) -> Any:
        return json.loads(self.portal.run("-m", "tests.ops.seed", *args, timeout=300))


@contextlib.contextmanager
def deploy(
    database_url: str,
    directory: Path,
    *,
    workers: tuple[str, ...] = ("alpha",),
    beat: bool = True,
    web_workers: int = 2,
    **overrides: str,
):
    """Redis, gunicorn, Celery workers and beat on `database_url` (already migrated), with accounts seeded."""
    with RedisServer(directory / "redis") as redis_server:
        portal = PortalEnvironment(
            database_url=database_url, redis_url=redis_server.url(), directory=directory / "portal", **overrides
        )
        accounts = json.loads(portal.run("-m", "tests.ops.seed", "users"))
        processes = [portal.gunicorn(workers=web_workers), *(portal.worker(name) for name in workers)]
        if beat:
            processes.append(portal.beat())
        with running(*processes):
            yield Deployment(
                portal=portal,
                redis=redis_server,
                web=processes[0],
                workers=processes[1 : 1 + len(workers)],
                beat=processes[-1] if beat else None,
                accounts=accounts,
            )
