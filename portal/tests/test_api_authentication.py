"""API tokens: one query for the caller and their region, and DRF's refusals unchanged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.tests.factories import EnterpriseFactory
from portal.api.authentication import TokenAuthentication, token_with_user

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


@pytest.mark.parametrize("username", ["zw_staff", "admin"])
def test_the_token_read_is_the_orms_select_related(users, username):
    """The query compiled once gives the token, user and region (none for an administrator) the ORM gives."""
    token = Token.objects.create(user=users[username])
    expected = Token.objects.select_related("user__region").get(key=token.key)

    found = token_with_user(token.key)

    assert found is not None
    for ours, theirs in [(found, expected), (found.user, expected.user), (found.user.region, expected.user.region)]:
        if theirs is None:
            assert ours is None
            continue
        assert {field.attname: getattr(ours, field.attname) for field in type(theirs)._meta.concrete_fields} == {
            field.attname: getattr(theirs, field.attname) for field in type(theirs)._meta.concrete_fields
        }
        assert (ours._state.adding, ours._state.db) == (False, theirs._state.db)
    assert found.user.auth_token is found
    assert token_with_user("0" * 40) is None


def token_caller(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_deleted_token_or_a_deactivated_user_is_refused_on_the_next_request(users):
    """Nothing about the caller is kept between requests: a revoked token stops working at once."""
    revoked, deactivated = token_caller(users["zw_staff"]), token_caller(users["zw_leader"])
    assert revoked.get("/api/v1/enterprises/").status_code == 200
    assert deactivated.get("/api/v1/enterprises/").status_code == 200

    Token.objects.filter(user=users["zw_staff"]).delete()
    User = type(users["zw_leader"])
    User.objects.filter(pk=users["zw_leader"].pk).update(is_active=False)  # bypassing the model's signals

    assert revoked.get("/api/v1/enterprises/").status_code == 401
    assert deactivated.get("/api/v1/enterprises/").status_code == 401


def test_a_moved_or_demoted_caller_is_answered_for_their_new_region_and_role_at_once(users, region_tree):
    in_shapotou = EnterpriseFactory(region=region_tree["shapotou"])
    in_zhongning = EnterpriseFactory(region=region_tree["zhongning"])
    staff = users["spt_staff"]
    client = token_caller(staff)
    assert [row["id"] for row in client.get("/api/v1/enterprises/").json()["results"]] == [in_shapotou.pk]

    type(staff).objects.filter(pk=staff.pk).update(region=region_tree["zhongning"])
    assert [row["id"] for row in client.get("/api/v1/enterprises/").json()["results"]] == [in_zhongning.pk]

    type(staff).objects.filter(pk=staff.pk).update(role="liaison")
    assert client.get("/api/v1/enterprises/").status_code == 403
