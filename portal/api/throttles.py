"""The API's per-user rate limit, counted in one cache round trip.

DRF's UserRateThrottle keeps the time of every request of the last period in one
cache value, read and written whole on every request: at the production rate of
6,000 a minute, a busy integration's value holds thousands of times (tens of KB each
way, on every request), and each request waits on two round trips to the cache.

Here each user has a counter per period (a fixed window), added to and read with the
previous period's counter in one round trip; the requests of the last period are
estimated as the previous period's count, weighted by how much of it is still within
the last period, plus the current one's. The estimate smooths a window's edge (a
client cannot make twice the rate across it), and a refused request counts too, so
a client that keeps asking stays refused. This limit is about fair use; the limits
that guard against guessing — anonymous requests, the token endpoint, sign-in — keep
DRF's exact history.
"""

import math

from rest_framework import throttling

from portal.cache import count_in_windows


class UserRateThrottle(throttling.UserRateThrottle):
    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        count, previous = count_in_windows(f"{self.key}:{window}", f"{self.key}:{window - 1}", 2 * self.duration)
        self.count, self.elapsed = count, now - window * self.duration
        self.estimate = previous * (1 - self.elapsed / self.duration) + count
        return self.estimate <= self.num_requests

    def wait(self) -> float:
        """Seconds until a request is sure to be let through again, if the client stops asking meanwhile.

        By the end of this period the previous one no longer counts; this period's count then weighs less each
        second, and is within the limit once D × (1 − limit ÷ count) seconds of the next period have passed.
        """
        rest_of_period = self.duration - self.elapsed
        into_next = self.duration * max(0.0, 1 - self.num_requests / self.count)
        return float(max(1, math.ceil(rest_of_period + into_next)))
