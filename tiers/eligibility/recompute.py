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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from enterprises.models import Enterprise
from portal.cache import figures_changed
from tiers.criteria.vector import VERDICT_ORDER as VERDICTS
from tiers.criteria.vector_metrics import Batch
from tiers.eligibility.book import NEW, REVIEW, CriteriaBook, TierColumns, TierEvaluation
from tiers.eligibility.loading import CHUNK, Grouped, facts_for_enterprise, stream_facts
from tiers.eligibility.storage import delete_results, insert_changes, lock_results, serialized_runs, upsert_results
from tiers.models import EligibilityResult, Verdict

PURPOSES = (NEW, REVIEW)
MEETS = str(Verdict.MEETS)
# Enterprises evaluated together, column-wise: large enough that array operations pay, small enough to stream.
BATCH = 2000


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
        return {name: value for name, value in self.__dict__.items() if not isinstance(value, list)}


@dataclass
class Ledger:
    """What a run learns while it streams: stored results no set produces any more, and verdicts that changed."""

    stale: list[int] = field(default_factory=list)
    # (enterprise, tier, criteria set, from verdict, to verdict, criteria missed, score): the history rows.
    changes: list[tuple] = field(default_factory=list)

    def note(self, row: tuple, before: str) -> None:
        """History: every changed verdict, and a first result that is already eligible."""
        verdict = row[6]
        if verdict != before and (before or verdict == MEETS):
            self.changes.append((row[0], row[1], row[2], before, verdict, row[8], row[7]))


def result_digest(criteria_set_id: int, purpose: str, verdict: str, score, missed, unknown, manual) -> int:
    """A signed 64-bit hash of what the stored row says, dates aside.

    Built from numbers only (strings hash differently in every process), so a
    worker process, a later run and the per-enterprise path agree on it.
    """
    return hash(
        (
            criteria_set_id,
            PURPOSES.index(purpose),
            VERDICTS.index(verdict),
            -1.0 if score is None else score,
            missed,
            unknown,
            manual,
        )
    )


def _score(score: float | None) -> float | None:
    return None if score is None else round(score, 2)


def evaluation_row(enterprise_id: int, item: TierEvaluation, *, on, computed_at) -> tuple:
    """The stored row (storage.RESULT_COLUMNS) of a per-enterprise evaluation."""
    evaluation = item.evaluation
    return result_row(
        enterprise_id,
        item.tier_id,
        (item.criteria_set.id, item.purpose, evaluation.verdict, _score(evaluation.score)),
        (evaluation.missing_count, evaluation.unknown_count, evaluation.manual_count),
        on=on,
        computed_at=computed_at,
    )


def result_row(enterprise_id: int, tier_id: int, head: tuple, counts: tuple, *, on, computed_at) -> tuple:
    """`head` is (criteria set id, purpose, verdict, score); `on` and `computed_at` adapted for the database."""
    set_id, purpose, verdict, score = head
    missed, unknown, manual = counts
    digest = result_digest(set_id, purpose, verdict, score, missed, unknown, manual)
    return (enterprise_id, tier_id, set_id, purpose, on, computed_at, verdict, score, *counts, digest)


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
    from tiers.services import ELIGIBILITY_WRITTEN_HOOKS, sync_pool_entries

    on = on or timezone.localdate()
    computed_at = timezone.now()
    summary = RecomputeSummary()
    total = _count(enterprise_ids)
    on_value = connection.ops.adapt_datefield_value(on)
    at_value = connection.ops.adapt_datetimefield_value(computed_at)
    ledger = Ledger()

    def report(done: int) -> None:
        if progress:
            progress(done, total)

    parallel_run = workers > 1 and not connection.in_atomic_block
    # What either way of producing the rows reads, and where it reports.
    stream = {
        "on": on,
        "enterprise_ids": enterprise_ids,
        "values": (on_value, at_value),
        "ledger": ledger,
        "summary": summary,
        "report": report,
        "report_every": progress_every,
    }
    with serialized_runs(whole_session=parallel_run):
        if parallel_run:
            rows = parallel.changed_rows(workers=workers, **stream)
        with transaction.atomic(), _fewer_collections():
            if not parallel_run:
                lock_results()
                rows = changed_rows(book=CriteriaBook.load(), **stream)
            with connection.cursor() as cursor:
                upsert_results(cursor, rows)
                if ledger.stale:
                    delete_results(cursor, ledger.stale)
                summary.removed = len(ledger.stale)
                insert_changes(cursor, ledger.changes, computed_at)
                summary.changes = len(ledger.changes)
            if sync_pool:
                summary.pool_entered, summary.pool_left = sync_pool_entries(enterprise_ids=enterprise_ids)
            if summary.written or summary.removed:
                figures_changed()  # the results are written in SQL, which sends no model signals
                for hook in list(ELIGIBILITY_WRITTEN_HOOKS):
                    hook(enterprise_ids=enterprise_ids)
    report(summary.enterprises)
    return summary


def changed_rows(
    *,
    book: CriteriaBook,
    on: datetime.date,
    enterprise_ids,
    values: tuple,
    ledger: Ledger,
    summary: RecomputeSummary,
    report: Callable[[int], None] | None = None,
    report_every: int = 1000,
) -> Iterator[tuple]:
    """The result rows that differ from the stored ones; the ledger collects stale results and verdict changes.

    `values` are the evaluation date and the run's time, adapted for the database.
    """
    context = book.context(on)
    stored = _stored_results(enterprise_ids)
    on_value, at_value = values
    for chunk in _chunks(stream_facts(on=on, enterprise_ids=enterprise_ids), BATCH):
        evaluated = [
            (tier.tier_id, tier.sets, tier.purposes, _as_lists(tier))
            for tier in book.evaluate_batch(Batch(chunk, context), on=on)
        ]
        for index, facts in enumerate(chunk):
            enterprise_id = facts.enterprise_id
            previous = {row[1]: row[2:] for row in stored.take(enterprise_id)}
            for tier_id, sets, purposes, (verdicts, scores, missed, unknown, manual) in evaluated:
                compiled = sets[index]
                if compiled is None:
                    continue
                score = scores[index]
                head = (compiled.id, purposes[index], verdicts[index], None if score != score else round(score, 2))
                row = result_row(
                    enterprise_id,
                    tier_id,
                    head,
                    (missed[index], unknown[index], manual[index]),
                    on=on_value,
                    computed_at=at_value,
                )
                summary.results += 1
                known = previous.pop(tier_id, None)
                if known is None or known[1] != row[-1]:
                    summary.written += 1
                    ledger.note(row, known[2] if known else "")
                    yield row
            ledger.stale.extend(pk for pk, _digest, _verdict in previous.values())
            summary.enterprises += 1
            if report and summary.enterprises % report_every == 0:
                report(summary.enterprises)


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _as_lists(tier: TierColumns) -> tuple[list, ...]:
    """The batch's columns as Python values (NaN score: not scored), read row by row below."""
    columns = tier.columns
    return (
        [VERDICTS[code] for code in columns.verdict.tolist()],
        columns.score.tolist(),
        columns.missing_count.tolist(),
        columns.unknown_count.tolist(),
        columns.manual_count.tolist(),
    )


def _count(enterprise_ids) -> int:
    if enterprise_ids is None:
        return Enterprise.objects.count()
    if isinstance(enterprise_ids, QuerySet):
        return Enterprise.objects.filter(pk__in=enterprise_ids).count()
    return len(enterprise_ids)


def _stored_results(enterprise_ids) -> Grouped:
    """(enterprise, tier, pk, digest, verdict) of the stored results, in enterprise order, streamed.

    Writes in the same run only touch enterprises this stream has passed.
    """
    rows = EligibilityResult.objects.order_by("enterprise_id", "tier_id")
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    return Grouped(rows.values_list("enterprise_id", "tier_id", "pk", "digest", "verdict").iterator(chunk_size=CHUNK))


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The run allocates millions of short-lived, acyclic dicts: collect garbage less often."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


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
        row = evaluation_row(enterprise.pk, item, on=on, computed_at=computed_at)
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
                "digest": row[-1],
            },
        )
