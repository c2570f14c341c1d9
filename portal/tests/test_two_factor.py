"""Administrators, and users of regions whose policy says so, sign in with a second factor."""

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from portal.models import AuditEvent
from portal.tests.factories import UserFactory
from portal.two_factor import must_use_two_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]

PASSWORD = "demo-pass-2026"


@pytest.fixture
def two_factor_on():
    with override_settings(TWO_FACTOR_REQUIRED=True):
        yield


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user, password=PASSWORD):
    """The password step; then the second step's page, as the browser follows the redirect."""
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": password}, REMOTE_ADDR="10.9.9.9"
    )
    if response.status_code == 302 and response["Location"] == "/accounts/two-factor/":
        client.get("/accounts/two-factor/")
    return response


def test_an_administrator_sets_up_an_authenticator_and_gets_recovery_codes(client, users):
    admin = users["admin"]
    response = sign_in(client, admin)
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/two-factor/")
    assert "<svg" in page.content.decode()

    done = client.post("/accounts/two-factor/", {"code": current_code(admin)})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert AuditEvent.objects.filter(action="login", object_repr=admin.username, note="page, two-factor").exists()


@override_settings(OTP_STATIC_THROTTLE_FACTOR=0, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_wrong_code_is_refused_and_audited_and_a_recovery_code_works_once(client, users):
    """(django-otp's own back-off after a wrong code, a second apart, is switched off here to keep the test quick.)"""
    admin = users["admin"]
    sign_in(client, admin)
    codes = client.post("/accounts/two-factor/", {"code": current_code(admin)}).context["codes"]
    client.logout()

    sign_in(client, admin)
    wrong = client.post("/accounts/two-factor/", {"code": "000000" if current_code(admin) != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", note="two-factor").exists()
    assert client.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 302
    client.logout()

    sign_in(client, admin)
    client.post("/accounts/two-factor/", {"code": codes[0]})
    assert "_auth_user_id" not in client.session


def test_a_regions_policy_extends_it_to_every_user_below(users, region_tree):
    zhongwei = region_tree["zhongwei"]
    zhongwei.requires_two_factor = True
    zhongwei.save()
    assert must_use_two_factor(users["spt_staff"])
    assert not must_use_two_factor(UserFactory(username="t_xn_2fa", region=region_tree["xining"]))


def test_the_token_endpoint_asks_for_the_second_factor_too(client, users):
    admin = users["admin"]
    sign_in(client, admin)
    codes = client.post("/accounts/two-factor/", {"code": current_code(admin)}).context["codes"]
    api = APIClient(REMOTE_ADDR="10.9.9.8")
    without = api.post("/api/v1/auth/token/", {"username": admin.username, "password": PASSWORD}, format="json")
    assert without.status_code == 400 and without.json()["error"]["code"] == "two_factor_required"
    # The app's code was just used on the page and is never accepted twice: a recovery code instead.
    body = {"username": admin.username, "password": PASSWORD, "otp": codes[0]}
    assert "token" in api.post("/api/v1/auth/token/", body, format="json").json()


def test_the_demo_setting_lets_administrators_sign_in_with_the_password_alone(client, users):
    with override_settings(TWO_FACTOR_REQUIRED=False):
        response = sign_in(client, users["admin"])
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(users["admin"].pk)
