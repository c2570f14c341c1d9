"""API tokens: one query for the caller and their region, and DRF's refusals unchanged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.api.authentication import TokenAuthentication

pytestmark = pytest.mark.django_db


def test_a_token_gives_its_user_with_the_region_in_one_query(users):
    """Every API read is scoped by the caller's region, so it comes with the user."""
    token = Token.objects.create(user=users["zw_staff"])

    with CaptureQueriesContext(connection) as captured:
        user, found = TokenAuthentication().authenticate_credentials(token.key)
        assert user.scope_path == users["zw_staff"].region.path

    assert (user, found) == (users["zw_staff"], token)
    assert len(captured) == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [("unknown", "Invalid token."), ("inactive", "User inactive or deleted.")],
)
def test_unknown_tokens_and_inactive_users_get_drfs_401(users, case, message):
    token = Token.objects.create(user=users["zw_staff"])
    if case == "inactive":
        users["zw_staff"].is_active = False
        users["zw_staff"].save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key if case == 'inactive' else 'f' * 40}")

    response = client.get("/api/v1/enterprises/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 401
    with translation.override("zh-hans"):
        assert response.json()["error"]["message"] == translation.gettext(message)
