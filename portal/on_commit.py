"""The current transaction's pending on-commit callbacks, read in one place.

Two kinds of work join one callback per transaction instead of queueing one per
row: the cache version bump (`portal.cache`) and the changed-enterprise hooks
(`enterprises.services.on_enterprises_changed`). Django has no public way
to look at what a transaction will run on commit, so this module reads
`connection.run_on_commit`, a list of `(savepoint ids, callback, robust)` tuples
from which Django drops the entries of a savepoint that rolls back.
`portal/tests/test_on_commit.py` pins that shape to the installed Django: an
upgrade that changes it fails there, not silently in the cache.
"""

from collections.abc import Iterator
from typing import TypeVar

from django.db import connection

Callback = TypeVar("Callback")


def pending(kind: type[Callback]) -> Iterator[Callback]:
    """The callbacks of `kind` the current transaction will run if it commits, newest first."""
    if not connection.in_atomic_block:
        return
    for _savepoints, callback, _robust in reversed(connection.run_on_commit):
        if isinstance(callback, kind):
            yield callback
