"""A Redis cache that degrades instead of failing when Redis is unreachable.

Pages never depend on the cache for correctness: it holds API rate-limit counters
and login-failure counts. With Django's own RedisCache every request that
touches those (every API call, every login) answers 500 while Redis restarts.
This backend answers from a per-process memory cache instead, and stops trying
Redis for RETRY_AFTER seconds after a failure so that a dead Redis costs one
failed connection per process every few seconds, not one per request. Limits
keep working per process during the outage, and shared again once Redis is back.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

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
