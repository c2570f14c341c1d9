"""Login throttling shared by the login page and the token endpoint."""

from django.conf import settings
from django.core.cache import cache


def _key(username: str, ip: str) -> str:
    return f"login-failures:{username.lower()}:{ip}"


def is_login_blocked(*, username: str, ip: str) -> bool:
    return cache.get(_key(username, ip), 0) >= settings.LOGIN_ATTEMPT_LIMIT


def record_login_failure(*, username: str, ip: str) -> None:
    key = _key(username, ip)
    cache.add(key, 0, settings.LOGIN_ATTEMPT_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_ATTEMPT_WINDOW_SECONDS)


def clear_login_failures(*, username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
