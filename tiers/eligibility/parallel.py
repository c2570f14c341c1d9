"""The recompute's reading and evaluating spread over forked processes; the parent alone writes.

Evaluation is pure Python and takes most of a run, so on a machine with more
than one core each worker process streams the facts and stored digests of its
share of the enterprises (id modulo the number of workers), evaluates them and
sends back, in chunks, only the rows that changed. The parent feeds them to its
one bulk upsert. Each worker runs the same fixed set of streaming queries, so
the statement count still does not depend on the number of enterprises.
"""

import multiprocessing
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait

from django.db import connection, connections
from django.db.models import F

from enterprises.models import Enterprise
from tiers.eligibility.book import CriteriaBook

ROWS_PER_MESSAGE = 500
# Connections inherited from the parent: kept referenced and never closed in the child, since
# closing a PostgreSQL connection would end the parent's session on the shared socket.
_inherited: list = []


def changed_rows(
    *,
    workers: int,
    on,
    enterprise_ids,
    values: tuple,
    ledger,
    summary,
    report: Callable[[int], None],
    report_every: int,
) -> Iterator[tuple]:
    """Start the workers now (before the caller opens its transaction); yield their rows as they come."""
    context = multiprocessing.get_context("fork")
    readers = []
    for share in range(workers):
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(
            target=_work, args=(share, workers, on, enterprise_ids, values, writer), name=f"eligibility-{share}"
        )
        process.start()
        writer.close()
        readers.append((reader, process))
    return _collect(readers, ledger, summary, report, report_every)


def _collect(readers, ledger, summary, report, report_every) -> Iterator[tuple]:
    processes = {reader: process for reader, process in readers}
    open_readers = list(processes)
    reported = 0
    try:
        while open_readers:
            for reader in wait(open_readers):
                message = reader.recv()
                if message[0] == "rows":
                    _kind, rows, enterprises = message
                    summary.enterprises += enterprises
                    yield from rows
                    if summary.enterprises - reported >= report_every:
                        reported = summary.enterprises
                        report(reported)
                elif message[0] == "done":
                    _kind, worker_ledger, counts = message
                    ledger.stale.extend(worker_ledger.stale)
                    ledger.changes.extend(worker_ledger.changes)
                    summary.results += counts["results"]
                    summary.written += counts["written"]
                    summary.worker_queries += counts["queries"]
                    open_readers.remove(reader)
                else:
                    raise RuntimeError(f"eligibility worker failed:\n{message[1]}")
    finally:
        for process in processes.values():
            if open_readers:
                process.terminate()
            process.join()


def _work(share: int, shares: int, on, enterprise_ids, values: tuple, writer: Connection) -> None:
    from tiers.eligibility.recompute import Ledger, RecomputeSummary, changed_rows

    _detach_inherited_connections()
    try:
        ids = Enterprise.objects.annotate(share=F("pk") % shares).filter(share=share)
        if enterprise_ids is not None:
            ids = ids.filter(pk__in=enterprise_ids)
        summary, ledger, batch, counted = RecomputeSummary(), Ledger(), [], 0
        connection.force_debug_cursor = True  # count statements, as the parent does
        rows = changed_rows(
            book=CriteriaBook.load(),
            on=on,
            enterprise_ids=ids.values("pk"),
            values=values,
            ledger=ledger,
            summary=summary,
        )
        for row in rows:
            batch.append(row)
            if len(batch) >= ROWS_PER_MESSAGE:
                writer.send(("rows", batch, summary.enterprises - counted))
                batch, counted = [], summary.enterprises
        writer.send(("rows", batch, summary.enterprises - counted))
        counts = {"results": summary.results, "written": summary.written, "queries": len(connection.queries_log)}
        writer.send(("done", ledger, counts))
    except Exception:  # noqa: BLE001
        writer.send(("error", traceback.format_exc()))
    finally:
        connection.close()
        writer.close()


def _detach_inherited_connections() -> None:
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is not None:
            _inherited.append(wrapper.connection)
            wrapper.connection = None
