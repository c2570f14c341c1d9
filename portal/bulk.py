"""Process hygiene for bulk work (a 50,000-row roster, a province's recompute).

Such work keeps hundreds of thousands of small containers alive at once — the parsed
sheet, a batch's row plans, the rows being written — and CPython's cyclic garbage
collector scans every live container at each of its full collections, which come more
often the more containers are allocated. Measured on a 10,000-row roster, collections took
a third to a half of the import's time while finding almost nothing to free: the rows are
plain data that reference counting frees. `fewer_collections` moves what is alive at its
start out of the collector's sight (`gc.freeze`) and lets it run a hundred times less
often; on leaving, the thresholds are restored and the frozen objects handed back.
"""

import contextlib
import gc
from collections.abc import Iterator

# Allocations between young-generation collections (CPython's default is 700).
BULK_THRESHOLD = 70_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(BULK_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
