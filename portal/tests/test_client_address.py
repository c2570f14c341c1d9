"""The client's address comes from configuration, never from a header any client can send."""

import uuid

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from portal.models import AuditEvent
from portal.tests.factories import UserFactory
from portal.throttling import clear_login_failures

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(region_tree):
    user = UserFactory(username=f"t_addr_{uuid.uuid4().hex[:8]}", region=region_tree["shapotou"])
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    yield user, ip
    clear_login_failures(username=user.username, ip=ip)


def forged(attempt: int) -> str:
    return f"198.51.100.{attempt % 250}"


def test_rotating_x_forwarded_for_does_not_escape_the_login_lockout(client, person):
    """With no trusted proxy, a different X-Forwarded-For on each try is the same client: locked out."""
    user, ip = person
    for attempt in range(settings.LOGIN_ATTEMPT_LIMIT + 3):
        client.post(
            "/accounts/login/",
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR=ip,
            HTTP_X_FORWARDED_FOR=forged(attempt),
        )
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "demo-pass-2026"},
        REMOTE_ADDR=ip,
        HTTP_X_FORWARDED_FOR=forged(99),
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_rotating_x_forwarded_for_does_not_escape_the_token_lockout(person):
    user, ip = person
    api = APIClient(REMOTE_ADDR=ip)
    statuses = [
        api.post(
            "/api/v1/auth/token/",
            {"username": user.username, "password": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=forged(attempt),
        ).status_code
        for attempt in range(settings.LOGIN_ATTEMPT_LIMIT + 2)
    ]
    assert statuses[-1] == 429
    right = api.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": "demo-pass-2026"},
        format="json",
        HTTP_X_FORWARDED_FOR=forged(77),
    )
    assert right.status_code == 429


def test_a_change_is_audited_with_the_real_address_not_the_forged_one(client, person):
    user, ip = person
    client.post(
        "/accounts/login/",
        {"username": user.username, "password": "demo-pass-2026"},
        REMOTE_ADDR=ip,
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN, object_repr=user.username)
    assert event.origin == ip
    assert event.actor == user


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_address_it_appended_is_the_client(client, person):
    """The proxy appends the peer it saw; whatever the client wrote to the left is ignored."""
    user, ip = person
    client.post(
        "/accounts/login/",
        {"username": user.username, "password": "wrong"},
        REMOTE_ADDR="10.255.0.1",
        HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ip}",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED, object_repr=user.username)
    assert event.origin == ip


def test_every_failed_login_is_audited_with_the_address(client, person):
    user, ip = person
    client.post("/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR=ip)
    APIClient(REMOTE_ADDR=ip).post("/api/v1/auth/token/", {"username": "nobody-here", "password": "x"}, format="json")
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).order_by("id")
    assert [(event.object_repr, event.origin, event.region) for event in failed] == [
        (user.username, ip, user.region),
        ("nobody-here", ip, None),
    ]
    assert [event.note for event in failed] == ["page", "api token"]


def test_the_admin_signs_in_through_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
