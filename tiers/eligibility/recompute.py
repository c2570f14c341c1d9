"""Set-based recomputation of every enterprise's eligibility.

The run reads with four streaming queries (enterprises, indicators, recognitions,
manual assessments), evaluates in memory, writes every result with one upsert
statement fed by a generator, derives the history rows with one INSERT … SELECT,
and removes results no criteria set produces any more. The number of statements
does not depend on the number of enterprises.
"""

import datetime
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from enterprises.models import Enterprise
from tiers.criteria import EnterpriseFacts
from tiers.eligibility.book import CriteriaBook, TierEvaluation
from tiers.eligibility.loading import facts_for_enterprise, stream_facts
from tiers.models import EligibilityChange, EligibilityResult, Verdict

RESULT_COLUMNS = (
    "enterprise_id",
    "tier_id",
    "criteria_set_id",
    "purpose",
    "evaluated_on",
    "computed_at",
    "verdict",
    "previous_verdict",
    "score",
    "missing_count",
    "unknown_count",
    "manual_count",
    "details",
)
UPDATED_COLUMNS = [c for c in RESULT_COLUMNS if c not in ("enterprise_id", "tier_id", "previous_verdict")]


@dataclass
class RecomputeSummary:
    enterprises: int = 0
    results: int = 0
    changes: int = 0
    removed: int = 0
    pool_entered: int = 0
    pool_left: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _upsert_sql() -> str:
    table = connection.ops.quote_name(EligibilityResult._meta.db_table)
    columns = ", ".join(RESULT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(RESULT_COLUMNS))
    updates = ", ".join(f"{c} = excluded.{c}" for c in UPDATED_COLUMNS)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT (enterprise_id, tier_id) DO UPDATE SET previous_verdict = {table}.verdict, {updates}"
    )


def result_row(facts: EnterpriseFacts, item: TierEvaluation, *, on: datetime.date, computed_at) -> tuple:
    evaluation = item.evaluation
    return (
        facts.enterprise_id,
        item.tier_id,
        item.criteria_set.id,
        item.purpose,
        connection.ops.adapt_datefield_value(on),
        connection.ops.adapt_datetimefield_value(computed_at),
        evaluation.verdict,
        "",
        None if evaluation.score is None else round(evaluation.score, 2),
        evaluation.missing_count,
        evaluation.unknown_count,
        evaluation.manual_count,
        json.dumps(evaluation.details, ensure_ascii=False, separators=(",", ":")),
    )


def recompute_eligibility(
    *,
    enterprise_ids: list[int] | None = None,
    on: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 1000,
    sync_pool: bool = True,
) -> RecomputeSummary:
    """Evaluate every enterprise (or the given ones) against every tier and store the results.

    Idempotent: running it twice on the same data writes the same results and no history.
    """
    from tiers.services import sync_pool_entries

    on = on or timezone.localdate()
    computed_at = timezone.now()
    summary = RecomputeSummary()
    total = Enterprise.objects.count() if enterprise_ids is None else len(enterprise_ids)
    with transaction.atomic():
        book = CriteriaBook.load()
        context = book.context(on)

        def rows() -> Iterator[tuple]:
            for facts in stream_facts(on=on, enterprise_ids=enterprise_ids):
                for item in book.evaluate(facts, on=on, context=context):
                    summary.results += 1
                    yield result_row(facts, item, on=on, computed_at=computed_at)
                summary.enterprises += 1
                if progress and summary.enterprises % progress_every == 0:
                    progress(summary.enterprises, total)

        with connection.cursor() as cursor:
            _executemany_streaming(cursor, _upsert_sql(), rows())
            summary.changes = _record_changes(cursor, computed_at, enterprise_ids)
        stale = EligibilityResult.objects.filter(computed_at__lt=computed_at)
        if enterprise_ids is not None:
            stale = stale.filter(enterprise_id__in=enterprise_ids)
        summary.removed = stale.delete()[0]
        if sync_pool:
            summary.pool_entered, summary.pool_left = sync_pool_entries(enterprise_ids=enterprise_ids)
    if progress:
        progress(summary.enterprises, total)
    return summary


def _executemany_streaming(cursor, sql: str, rows: Iterator[tuple]) -> None:
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
    if connection.queries_logged:
        connection.queries_log.append({"sql": f"? times: {sql}", "time": f"{time.monotonic() - started:.3f}"})


def _record_changes(cursor, computed_at, enterprise_ids: list[int] | None) -> int:
    """History: every changed verdict, and first results that are already eligible."""
    result_table = connection.ops.quote_name(EligibilityResult._meta.db_table)
    change_table = connection.ops.quote_name(EligibilityChange._meta.db_table)
    params: list = [connection.ops.adapt_datetimefield_value(computed_at), Verdict.MEETS]
    scope = ""
    if enterprise_ids is not None:
        scope = f" AND enterprise_id IN ({', '.join(['%s'] * len(enterprise_ids))})"
        params += list(enterprise_ids)
    cursor.execute(
        f"INSERT INTO {change_table} (enterprise_id, tier_id, criteria_set_id, at, from_verdict, to_verdict, "
        f"missing_count, score) SELECT enterprise_id, tier_id, criteria_set_id, computed_at, previous_verdict, "
        f"verdict, missing_count, score FROM {result_table} WHERE computed_at = %s AND previous_verdict <> verdict "
        f"AND (previous_verdict <> '' OR verdict = %s){scope}",
        params,
    )
    return cursor.rowcount


def evaluate_enterprise(
    enterprise: Enterprise, *, on: datetime.date, book: CriteriaBook | None = None
) -> list[TierEvaluation]:
    """The straightforward path: one enterprise's facts through its relations, every tier evaluated."""
    book = book or CriteriaBook.load()
    return book.evaluate(facts_for_enterprise(enterprise, on=on), on=on)


def store_enterprise_naively(enterprise: Enterprise, *, on: datetime.date, book: CriteriaBook) -> None:
    """Row-by-row storage, kept only as the bench's baseline for the set-based run."""
    computed_at = timezone.now()
    for item in evaluate_enterprise(enterprise, on=on, book=book):
        evaluation = item.evaluation
        EligibilityResult.objects.update_or_create(
            enterprise=enterprise,
            tier_id=item.tier_id,
            defaults={
                "criteria_set_id": item.criteria_set.id,
                "purpose": item.purpose,
                "evaluated_on": on,
                "computed_at": computed_at,
                "verdict": evaluation.verdict,
                "score": None if evaluation.score is None else round(evaluation.score, 2),
                "missing_count": evaluation.missing_count,
                "unknown_count": evaluation.unknown_count,
                "manual_count": evaluation.manual_count,
                "details": evaluation.details,
            },
        )
