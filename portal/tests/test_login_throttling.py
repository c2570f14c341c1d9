"""Too many failed logins from one place lock that username there, on the page and for API tokens."""

import uuid

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from portal.tests.factories import UserFactory
from portal.throttling import clear_login_failures

pytestmark = pytest.mark.django_db

BLOCKED = "Too many failed attempts. Please try again in 15 minutes."


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def person(region_tree):
    """A user of their own and a client address of their own, so that the shared cache of a
    parallel run can never mix counts with another test."""
    user = UserFactory(username=f"t_throttle_{uuid.uuid4().hex[:8]}", region=region_tree["shapotou"])
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    yield user, ip
    clear_login_failures(username=user.username, ip=ip)


def test_login_page_blocks_after_the_limit_even_with_the_right_password(client, person):
    user, ip = person
    for _attempt in range(settings.LOGIN_ATTEMPT_LIMIT):
        response = client.post("/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR=ip)
        assert response.status_code == 200
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "demo-pass-2026"}, REMOTE_ADDR=ip
    )
    assert response.status_code == 429
    assert zh(BLOCKED) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_block_is_per_address(client, person):
    """A colleague in another office can still log in while one address is locked out."""
    user, ip = person
    other_ip = ip.rsplit(".", 1)[0] + ".251"
    for _attempt in range(settings.LOGIN_ATTEMPT_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR=ip)
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "demo-pass-2026"}, REMOTE_ADDR=other_ip
    )
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, person):
    user, ip = person
    for _attempt in range(settings.LOGIN_ATTEMPT_LIMIT - 1):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR=ip)
    ok = client.post("/accounts/login/", {"username": user.username, "password": "demo-pass-2026"}, REMOTE_ADDR=ip)
    assert ok.status_code == 302
    client.logout()
    for _attempt in range(settings.LOGIN_ATTEMPT_LIMIT - 1):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR=ip)
    again = client.post("/accounts/login/", {"username": user.username, "password": "demo-pass-2026"}, REMOTE_ADDR=ip)
    assert again.status_code == 302


def test_token_endpoint_blocks_after_the_limit(person):
    user, ip = person
    api = APIClient(REMOTE_ADDR=ip)
    for _attempt in range(settings.LOGIN_ATTEMPT_LIMIT):
        response = api.post("/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json")
        assert response.status_code == 400
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 429
    assert response.json() == {"error": {"code": "throttled", "message": zh(BLOCKED), "fields": {}}}


def test_token_endpoint_has_its_own_rate_limit(monkeypatch, person):
    """Beyond the failed-login lock, the token endpoint is rate limited per client (scope "token")."""
    user, ip = person
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    api = APIClient(REMOTE_ADDR=ip)  # its own address: other tests post from 127.0.0.1
    for _attempt in range(3):
        response = api.post(
            "/api/v1/auth/token/", {"username": user.username, "password": "demo-pass-2026"}, format="json"
        )
        assert response.status_code == 200
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_api_rate_limits_are_configured():
    """Production rates come from settings (overridable by environment); the test run only raises them."""
    from portal.settings import base

    rates = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert set(rates) >= {"anon", "user", "token"}
    assert base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.AnonRateThrottle",
        "portal.api.throttles.UserRateThrottle",
    ]
