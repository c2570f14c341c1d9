"""Bulk writes of eligibility results: one statement for any number of rows.

PostgreSQL gets the rows through COPY into a temporary table and one
INSERT … ON CONFLICT from it; SQLite gets one prepared upsert executed for every
row (in-process, so there is no round trip to save). Rows come from a generator
and are never all held in memory (PostgreSQL's are spooled to a temporary file).
"""

import contextlib
import csv
import io
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator

from django.db import connection

from tiers.models import EligibilityChange, EligibilityResult

RESULT_COLUMNS = (
    "enterprise_id",
    "tier_id",
    "criteria_set_id",
    "purpose",
    "evaluated_on",
    "computed_at",
    "verdict",
    "score",
    "missing_count",
    "unknown_count",
    "manual_count",
    "digest",
)
UPDATED_COLUMNS = [c for c in RESULT_COLUMNS if c not in ("enterprise_id", "tier_id")]
CHANGE_COLUMNS = (
    "enterprise_id",
    "tier_id",
    "criteria_set_id",
    "from_verdict",
    "to_verdict",
    "missing_count",
    "score",
    "at",
)
# pg_advisory_lock key shared by every recompute (an arbitrary constant: "tier" in ASCII).
RECOMPUTE_LOCK = 0x74696572
STAGING_TABLE = "tiers_eligibility_incoming"


def _table() -> str:
    return connection.ops.quote_name(EligibilityResult._meta.db_table)


def _on_conflict() -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in UPDATED_COLUMNS)
    return f"ON CONFLICT (enterprise_id, tier_id) DO UPDATE SET {updates}"


def upsert_results(cursor, rows: Iterator[tuple]) -> None:
    """Insert or update one result per (enterprise, tier)."""
    if connection.vendor == "postgresql":
        _copy_upsert(cursor, rows)
    else:
        _executemany(
            cursor, f"INSERT INTO {_table()} ({', '.join(RESULT_COLUMNS)}) VALUES ({_marks()}) {_on_conflict()}", rows
        )


def delete_results(cursor, ids: list[int]) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"DELETE FROM {_table()} WHERE id = ANY(%s)", [ids])
    else:
        _executemany(cursor, f"DELETE FROM {_table()} WHERE id = %s", ((pk,) for pk in ids))


def insert_changes(cursor, changes: list[tuple], at) -> None:
    """The history rows of a run, with one statement however many there are (none included)."""
    table = connection.ops.quote_name(EligibilityChange._meta.db_table)
    columns = ", ".join(CHANGE_COLUMNS)
    if connection.vendor == "postgresql":
        types = ("bigint", "bigint", "bigint", "text", "text", "integer", "numeric")
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT *, %s::timestamptz FROM unnest({arrays})",
            [at, *(list(column) for column in zip(*changes, strict=True))] if changes else [at, *([[]] * 7)],
        )
    else:
        at_value = connection.ops.adapt_datetimefield_value(at)
        marks = ", ".join(["%s"] * len(CHANGE_COLUMNS))
        _executemany(
            cursor, f"INSERT INTO {table} ({columns}) VALUES ({marks})", ((*change, at_value) for change in changes)
        )


def lock_results() -> None:
    """Inside the run's transaction: one recompute at a time reads and writes the results.

    Two runs reading the same stored verdicts would both record the same change
    in the history; SQLite's writers are already one at a time (IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK])


@contextlib.contextmanager
def serialized_runs(*, whole_session: bool) -> Iterator[None]:
    """Hold the recompute lock from before the worker processes read until this run has committed."""
    if not whole_session or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RECOMPUTE_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RECOMPUTE_LOCK])


def _marks() -> str:
    return ", ".join(["%s"] * len(RESULT_COLUMNS))


def _copy_upsert(cursor, rows: Iterator[tuple]) -> None:
    columns = ", ".join(RESULT_COLUMNS)
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ON COMMIT DROP AS "
        f"SELECT {columns} FROM {_table()} WITH NO DATA"
    )
    cursor.execute(f"TRUNCATE {STAGING_TABLE}")
    # The rows are spooled to a file first: making them reads through this connection, which
    # cannot serve a query while a COPY is in progress.
    with tempfile.TemporaryFile() as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        csv.writer(text, lineterminator="\n").writerows(rows)
        text.flush()
        spool.seek(0)
        started = time.monotonic()
        # Unquoted empty fields are NULL in CSV; the text columns take them as "".
        sql = f"COPY {STAGING_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (purpose, verdict))"
        cursor.cursor.copy_expert(sql, spool, size=1 << 20)
        _log(sql, started)
        text.detach()
    cursor.execute(
        f"INSERT INTO {_table()} ({columns}) SELECT {columns} FROM {STAGING_TABLE} "
        f"ORDER BY enterprise_id, tier_id {_on_conflict()}"
    )


def _executemany(cursor, sql: str, rows: Iterable[tuple]) -> None:
    """One statement executed for every row the generator yields, without holding the rows in memory.

    Django's SQLite wrapper tees the parameters to peek at the first row, which
    keeps every row alive until the statement ends; the raw sqlite3 cursor does
    not, so SQLite gets it directly and the statement is logged like any other.
    """
    if connection.vendor != "sqlite":
        cursor.executemany(sql, rows)
        return
    started = time.monotonic()
    sqlite3.Cursor.executemany(cursor.cursor, sql.replace("%s", "?"), rows)
    _log(f"? times: {sql}", started)


def _log(sql: str, started: float) -> None:
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
