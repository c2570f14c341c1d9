"""Set-based recomputation of every enterprise's eligibility.

The run reads with five streaming queries (enterprises, indicators, recognitions,
manual assessments, the stored results' digests), evaluates in memory with the
criteria compiled once, writes the results that changed with one bulk statement
fed by a generator (tiers.eligibility.storage), derives the history rows with one
INSERT … SELECT, and removes results no criteria set produces any more. The
number of statements does not depend on the number of enterprises.
"""

import contextlib
import datetime
import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from enterprises.models import Enterprise
from tiers.criteria.describe import compact_details
from tiers.eligibility.book import CriteriaBook, TierEvaluation
from tiers.eligibility.loading import CHUNK, Grouped, facts_for_enterprise, stream_facts
from tiers.eligibility.storage import delete_results, upsert_results
from tiers.models import EligibilityChange, EligibilityResult, Verdict

# One encoder for the run: json.dumps with options builds a new one per call.
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass
class RecomputeSummary:
    enterprises: int = 0
    results: int = 0
    written: int = 0
    changes: int = 0
    removed: int = 0
    pool_entered: int = 0
    pool_left: int = 0
    # Statements the worker processes ran (tiers.eligibility.parallel); the caller's own are not counted here.
    worker_queries: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def result_digest(item: TierEvaluation, details_json: str) -> int:
    """A signed 64-bit hash of what the stored row says, dates aside."""
    evaluation = item.evaluation
    head = (
        f"{item.criteria_set.id}|{item.purpose}|{evaluation.verdict}|{_score(evaluation.score)}|"
        f"{evaluation.missing_count}|{evaluation.unknown_count}|{evaluation.manual_count}|"
    )
    digest = hashlib.blake2b((head + details_json).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _score(score: float | None) -> float | None:
    return None if score is None else round(score, 2)


def result_row(enterprise_id: int, item: TierEvaluation, *, on, computed_at) -> tuple:
    """The stored row (storage.RESULT_COLUMNS); `on` and `computed_at` already adapted for the database."""
    evaluation = item.evaluation
    details_json = ENCODER.encode(compact_details(evaluation.details, in_place=True))
    return (
        enterprise_id,
        item.tier_id,
        item.criteria_set.id,
        item.purpose,
        on,
        computed_at,
        evaluation.verdict,
        "",
        _score(evaluation.score),
        evaluation.missing_count,
        evaluation.unknown_count,
        evaluation.manual_count,
        details_json,
        result_digest(item, details_json),
    )


def recompute_eligibility(
    *,
    enterprise_ids: list[int] | QuerySet | None = None,
    on: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 1000,
    sync_pool: bool = True,
    workers: int = 1,
) -> RecomputeSummary:
    """Evaluate every enterprise (or the given ones) against every tier and store the results.

    `enterprise_ids` is a list of ids or a queryset of ids (a subquery). Reads
    stream in enterprise order — the facts and the stored results' digests —
    and only results that changed are written, with one statement for any
    number of rows. Idempotent: running it twice on the same data writes
    nothing the second time and records no history.

    `workers` > 1 spreads the reading and evaluating over that many processes
    (tiers.eligibility.parallel) while this one writes; it applies only outside
    a transaction, since the processes read what is committed.
    """
    from tiers.eligibility import parallel
    from tiers.services import sync_pool_entries

    on = on or timezone.localdate()
    computed_at = timezone.now()
    summary = RecomputeSummary()
    total = _count(enterprise_ids)
    on_value = connection.ops.adapt_datefield_value(on)
    at_value = connection.ops.adapt_datetimefield_value(computed_at)
    stale: list[int] = []

    def report(done: int) -> None:
        if progress:
            progress(done, total)

    if workers > 1 and not connection.in_atomic_block:
        rows = parallel.changed_rows(
            workers=workers,
            on=on,
            enterprise_ids=enterprise_ids,
            values=(on_value, at_value),
            stale=stale,
            summary=summary,
            report=report,
            report_every=progress_every,
        )
    else:
        rows = None
    with transaction.atomic(), _fewer_collections():
        if rows is None:
            rows = changed_rows(
                book=CriteriaBook.load(),
                on=on,
                enterprise_ids=enterprise_ids,
                values=(on_value, at_value),
                stale=stale,
                summary=summary,
                report=report,
                report_every=progress_every,
            )
        with connection.cursor() as cursor:
            upsert_results(cursor, rows)
            if stale:
                delete_results(cursor, stale)
            summary.removed = len(stale)
            summary.changes = _record_changes(cursor, computed_at)
        if sync_pool:
            summary.pool_entered, summary.pool_left = sync_pool_entries(enterprise_ids=enterprise_ids)
    report(summary.enterprises)
    return summary


def changed_rows(
    *,
    book: CriteriaBook,
    on: datetime.date,
    enterprise_ids,
    values: tuple,
    stale: list[int],
    summary: RecomputeSummary,
    report: Callable[[int], None] | None = None,
    report_every: int = 1000,
) -> Iterator[tuple]:
    """The result rows that differ from the stored ones; collects the stored results no set produces any more.

    `values` are the evaluation date and the run's time, adapted for the database.
    """
    context = book.context(on)
    stored = _stored_results(enterprise_ids)
    on_value, at_value = values
    for facts in stream_facts(on=on, enterprise_ids=enterprise_ids):
        enterprise_id = facts.enterprise_id
        previous = {tier_id: (pk, digest) for _e, tier_id, pk, digest in stored.take(enterprise_id)}
        for item in book.evaluate(facts, on=on, context=context):
            row = result_row(enterprise_id, item, on=on_value, computed_at=at_value)
            summary.results += 1
            known = previous.pop(item.tier_id, None)
            if known is None or known[1] != row[-1]:
                summary.written += 1
                yield row
        stale.extend(pk for pk, _digest in previous.values())
        summary.enterprises += 1
        if report and summary.enterprises % report_every == 0:
            report(summary.enterprises)


def _count(enterprise_ids) -> int:
    if enterprise_ids is None:
        return Enterprise.objects.count()
    if isinstance(enterprise_ids, QuerySet):
        return Enterprise.objects.filter(pk__in=enterprise_ids).count()
    return len(enterprise_ids)


def _stored_results(enterprise_ids) -> Grouped:
    """(enterprise, tier, pk, digest) of the stored results, in enterprise order, streamed.

    Writes in the same run only touch enterprises this stream has passed.
    """
    rows = EligibilityResult.objects.order_by("enterprise_id", "tier_id")
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    return Grouped(rows.values_list("enterprise_id", "tier_id", "pk", "digest").iterator(chunk_size=CHUNK))


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The run allocates millions of short-lived, acyclic dicts: collect garbage less often."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _record_changes(cursor, computed_at) -> int:
    """History: every changed verdict, and first results that are already eligible.

    Only rows written by this run carry its `computed_at`; the upsert moved each
    one's verdict before the write into previous_verdict.
    """
    result_table = connection.ops.quote_name(EligibilityResult._meta.db_table)
    change_table = connection.ops.quote_name(EligibilityChange._meta.db_table)
    cursor.execute(
        f"INSERT INTO {change_table} (enterprise_id, tier_id, criteria_set_id, at, from_verdict, to_verdict, "
        f"missing_count, score) SELECT enterprise_id, tier_id, criteria_set_id, computed_at, previous_verdict, "
        f"verdict, missing_count, score FROM {result_table} WHERE computed_at = %s AND previous_verdict <> verdict "
        f"AND (previous_verdict <> '' OR verdict = %s)",
        [connection.ops.adapt_datetimefield_value(computed_at), Verdict.MEETS],
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
        details = compact_details(evaluation.details)
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
                "details": details,
                "digest": result_digest(item, ENCODER.encode(details)),
            },
        )
