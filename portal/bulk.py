"""Process hygiene for bulk work (a 50,000-row roster, a province's recompute).

Such work keeps hundreds of thousands of small containers alive at once — the parsed
sheet, a batch's row plans, the rows being written — and CPython's cyclic garbage
collector scans every live container at each of its full collections, which come more
often the more containers are allocated. Measured on a 10,000-row roster, collections took
a third to a half of the import's time while finding almost nothing to free: the rows are
plain data that reference counting frees. `fewer_collections` moves what is alive at its
start out of the collector's sight (`gc.freeze`) and lets it run a hundred times less
often; on leaving, the thresholds are restored and the frozen objects handed back.

The collector's settings belong to the process, not the thread: when several threads (or
nested calls) do bulk work at once, the first to enter changes them and the last to leave
restores them, so none leaves another's work with the collector back on, nor the process
with it paused.

A leader's dashboard is such work too: its target figures read every holding of a
province (tens of thousands of rows), and a full collection in the middle of that, which
came on every other view, cost as much as the reading.
"""

import contextlib
import gc
import threading
from collections.abc import Iterator

# Allocations between young-generation collections (CPython's default is 700).
BULK_THRESHOLD = 70_000


_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(BULK_THRESHOLD, *_saved[1:])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()
