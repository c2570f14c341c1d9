"""The API's per-user limit: counted across processes in the shared cache, one round trip a request."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.test import APIClient

from portal.api.throttles import UserRateThrottle
from portal.cache import count_in_windows
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def throttle_at(clock: Clock, rate: str = "5/min") -> UserRateThrottle:
    throttle = UserRateThrottle()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = clock
    return throttle


def asks(throttle: UserRateThrottle, user, times: int) -> list[bool]:
    class Request:
        pass

    request = Request()
    request.user = user
    return [throttle.allow_request(request, None) for _n in range(times)]


def test_the_limit_lets_the_rate_through_then_refuses_and_says_how_long_to_wait(region_tree):
    user = UserFactory(region=region_tree["shapotou"])
    clock = Clock(2_000_000.0)  # 20 s into a minute (each test its own minutes: user ids may repeat)
    throttle = throttle_at(clock)
    assert asks(throttle, user, 7) == [True] * 5 + [False] * 2
    # Nothing more asked: by the end of the next minute at the latest the client is let through.
    assert 1 <= throttle.wait() <= 100
    other = UserFactory(region=region_tree["shapotou"])
    assert asks(throttle, other, 1) == [True], "each user has a budget of their own"


def test_the_edge_of_a_minute_does_not_double_the_rate(region_tree):
    """Five at the end of one minute and five more just after it would be ten in a few seconds: refused."""
    user = UserFactory(region=region_tree["shapotou"])
    clock = Clock(3_000_055.0)
    throttle = throttle_at(clock)
    assert asks(throttle, user, 5) == [True] * 5
    clock.now = 3_000_062.0  # two seconds into the next minute
    assert asks(throttle, user, 1) == [False]
    clock.now = 3_000_110.0  # most of the previous minute has passed out of the last sixty seconds
    assert asks(throttle, user, 1) == [True]


def test_counting_works_on_the_file_cache_of_make_run(tmp_path):
    """Without Redis (`make run`) the same counters live in the file cache."""
    with override_settings(
        CACHES={"files": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}}
    ):
        store = caches["files"]
        assert [count_in_windows("k:2", "k:1", 120, store) for _n in range(3)] == [(1, 0), (2, 0), (3, 0)]
        assert count_in_windows("k:3", "k:2", 120, store) == (1, 3)


def test_the_api_answers_429_with_retry_after_once_the_limit_is_reached(region_tree, monkeypatch):
    """Through the API as configured (the settings' throttle classes), at three a minute."""
    # Other tests of this process may have counted requests this minute for a user of the same id (SQLite reuses
    # the ids of rolled-back rows, and the file cache keeps the counters).
    caches["default"].clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/min"})
    client = APIClient()
    client.force_authenticate(UserFactory(region=region_tree["shapotou"]))
    statuses = [client.get("/api/v1/me/").status_code for _n in range(5)]
    refused = client.get("/api/v1/me/")
    assert statuses == [200] * 3 + [429] * 2
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused.headers["Retry-After"]) >= 1
