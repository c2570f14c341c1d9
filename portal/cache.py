"""A Redis cache that degrades instead of failing when Redis is unreachable; versioned reads.

Pages never depend on the cache for correctness: it holds API rate-limit counters,
login-failure counts, and reads kept under a version token (below) that are
recomputed whenever they are missing. With Django's own RedisCache every request
that touches those (every API call, every login) answers 500 while Redis restarts.
This backend answers from a per-process memory cache instead, and stops trying
Redis for RETRY_AFTER seconds after a failure so that a dead Redis costs one
failed connection per process every few seconds, not one per request. Limits
keep working per process during the outage, and shared again once Redis is back.
During an outage a version change reaches only the process that made it, so
versioned reads must also have a short timeout.
"""

import logging
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from redis.exceptions import RedisError

from portal import on_commit

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback = LocMemCache(f"resilient-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._down_until:
            return getattr(self._fallback, method)(*args, **kwargs)
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            logger.warning("cache: Redis unreachable (%s); using process memory for %ss", error, RETRY_AFTER)
            self._down_until = time.monotonic() + RETRY_AFTER
            return getattr(self._fallback, method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")

    def count_in_windows(self, current: str, previous: str, timeout: int) -> tuple[int, int]:
        """count_in_windows, in one round trip to Redis (a pipeline); process memory while Redis is down."""
        if time.monotonic() < self._down_until:
            return count_in_windows(current, previous, timeout, self._fallback)
        try:
            client = self._cache.get_client(current, write=True)
            current_key, previous_key = self.make_and_validate_key(current), self.make_and_validate_key(previous)
            pipeline = client.pipeline(transaction=False)
            pipeline.incr(current_key)
            pipeline.expire(current_key, timeout)  # from the latest count: the key names its window anyway
            pipeline.get(previous_key)
            count, _expiry, before = pipeline.execute()
            return int(count), int(before or 0)
        except RedisError as error:
            logger.warning("cache: Redis unreachable (%s); using process memory for %ss", error, RETRY_AFTER)
            self._down_until = time.monotonic() + RETRY_AFTER
            return count_in_windows(current, previous, timeout, self._fallback)


def count_in_windows(current: str, previous: str, timeout: int, store: Any = None) -> tuple[int, int]:
    """Add one to the counter `current` (kept `timeout` seconds from its first count): (its count, `previous`'s).

    Any cache works (the file cache of `make run`); ResilientRedisCache does it in one round trip.
    """
    store = caches[DEFAULT_CACHE_ALIAS] if store is None else store
    if isinstance(store, ResilientRedisCache):
        return store.count_in_windows(current, previous, timeout)
    store.add(current, 0, timeout)
    try:
        count = store.incr(current)
    except ValueError:  # expired between the two calls: this is its first count
        store.set(current, 1, timeout)
        count = 1
    return count, int(store.get(previous) or 0)


# --- Versioned reads ------------------------------------------------------------
# A namespace of cached reads (say, the enterprise list's counts) is keyed by a
# version token. Writes call bump_namespace; once their transaction commits the
# token changes, which forgets every read cached under the old one at once,
# whatever its key; the old entries simply expire.


# Figures computed from the business data as a whole (the leader dashboard). Any saved or
# deleted enterprise, recognition, application, pool entry, reward or task forgets them
# (portal.apps connects the signals); writers that bypass the models' signals (the roster
# importer, the eligibility recompute, bulk inserts) call figures_changed themselves.
FIGURES = "register-figures"


def figures_changed(**_signal_arguments) -> None:
    bump_namespace(FIGURES)


def versioned_read(namespace: str, parts: tuple[object, ...], compute: Callable[[], Any], timeout: int) -> Any:
    """compute(), cached under the namespace's current version and `parts` (versioned_reads of one value)."""
    return versioned_reads(namespace, {parts: compute}, timeout)[parts]


def versioned_reads(
    namespace: str, reads: Mapping[tuple[object, ...], Callable[[], Any]], timeout: int
) -> dict[tuple[object, ...], Any]:
    """Each compute() of `reads`, cached under the namespace's current version and its parts.

    A transaction that has changed what the namespace caches neither uses nor
    fills the cache: it must see its own uncommitted rows, which other
    processes cannot, so their cached values are not its answer, nor its
    answer theirs.

    Each value is kept with the version it was computed under, and all are read in
    one round trip with the namespace's current version: a value of another version
    is not an answer. (Reading the version, then each value under a key that named
    the version, took a round trip each; on a loaded server each round trip waits for
    the cache's process to be scheduled, and the list API made several per request.)
    """
    if has_pending_bump(namespace):
        return {parts: compute() for parts, compute in reads.items()}
    version_key = _version_key(namespace)
    keys = {parts: _value_key(namespace, parts) for parts in reads}
    found = cache.get_many([version_key, *keys.values()])
    version = found.get(version_key)
    values: dict[tuple[object, ...], Any] = {}
    for parts, compute in reads.items():
        kept = found.get(keys[parts])
        if version is not None and isinstance(kept, tuple) and len(kept) == 2 and kept[0] == version:
            values[parts] = kept[1]
            continue
        if version is None:
            version = _current_version(namespace)
        values[parts] = compute()
        cache.set(keys[parts], (version, values[parts]), timeout)
    return values


def bump_namespace(namespace: str) -> None:
    """Forget the namespace's cached reads once the current transaction commits (at once outside one).

    After the commit, not before: until then other processes still read the old
    rows, and whatever they cache meanwhile goes with the old version.
    """
    if not connection.in_atomic_block:
        _new_version(namespace)
    elif not has_pending_bump(namespace):
        # One callback per namespace and transaction, however many rows the transaction writes.
        transaction.on_commit(_NewVersionAfterCommit(namespace))


def has_pending_bump(namespace: str) -> bool:
    """Whether the current transaction has changed what the namespace caches.

    Django forgets the on-commit callbacks of a transaction or savepoint that
    rolls back, so this is true exactly while the change may still commit.
    """
    return any(callback.namespace == namespace for callback in on_commit.pending(_NewVersionAfterCommit))


class _NewVersionAfterCommit:
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def __call__(self) -> None:
        _new_version(self.namespace)


def _value_key(namespace: str, parts: tuple[object, ...]) -> str:
    """The key of a read of the namespace (its value is kept with the version it was computed under).

    The database name is part of it: the test database and the development one
    (or two bench databases) may share a cache and must not read each other's.
    """
    database = connection.settings_dict["NAME"]
    return ":".join([namespace, "read", str(database), *map(str, parts)])


def _current_version(namespace: str) -> str:
    """The namespace's version token; a new random one if the cache has none.

    Random, never a counter: a token lost to eviction or a cache restart must not
    come back later and revive values cached before it was lost.
    """
    key = _version_key(namespace)
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, None):
            token = cache.get(key) or token
    return token


def _version_key(namespace: str) -> str:
    return f"version:{namespace}"


def _new_version(namespace: str) -> None:
    cache.set(_version_key(namespace), uuid.uuid4().hex, None)
