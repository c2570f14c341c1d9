"""Who sees and changes which enterprise, in pages and in the API.

The users fixture: t_spt_staff (沙坡头区 staff), t_zn_staff (中宁县 staff), t_zw_staff (中卫市 staff),
t_zw_leader (中卫市 leader), t_zw_liaison (中卫市 liaison), t_admin (everything).
A record outside a user's region is a 404 exactly like a missing one; a role that may not use
the register at all gets 403.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enterprises.models import AnnualIndicator, Enterprise
from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

NAMES = {"spt": "沙坡头甲公司", "zn": "中宁乙公司", "xn": "西宁丙公司"}


@pytest.fixture
def enterprises(region_tree):
    rows = {
        "spt": EnterpriseFactory(name=NAMES["spt"], region=region_tree["shapotou"]),
        "zn": EnterpriseFactory(name=NAMES["zn"], region=region_tree["zhongning"]),
        "xn": EnterpriseFactory(name=NAMES["xn"], region=region_tree["xining"]),
    }
    for enterprise in rows.values():
        AnnualIndicatorFactory(enterprise=enterprise, year=2024)
    return rows


# user -> (enterprises they see, enterprises they may edit)
SCOPE = {
    "spt_staff": ({"spt"}, {"spt"}),
    "zn_staff": ({"zn"}, {"zn"}),
    "zw_staff": ({"spt", "zn"}, {"spt", "zn"}),
    "zw_leader": ({"spt", "zn"}, set()),
    "admin": ({"spt", "zn", "xn"}, {"spt", "zn", "xn"}),
}
CASES = [(user, key) for user in SCOPE for key in NAMES]


def page_names(response) -> set[str]:
    return {enterprise.name for enterprise in response.context["page"].object_list}


def export_names(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]}


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- pages ---------------------------------------------------------------------


@pytest.mark.parametrize("username", SCOPE)
def test_list_export_and_search_show_exactly_the_users_scope(client, users, enterprises, username):
    visible, _editable = SCOPE[username]
    client.force_login(users[username])
    assert page_names(client.get(reverse("enterprises:list"))) == {NAMES[key] for key in visible}
    assert export_names(client.get(reverse("enterprises:export"))) == {NAMES[key] for key in visible}
    for key, name in NAMES.items():
        by_name = page_names(client.get(reverse("enterprises:list"), {"q": name}))
        by_code = page_names(client.get(reverse("enterprises:list"), {"q": enterprises[key].credit_code}))
        exported = export_names(client.get(reverse("enterprises:export"), {"q": name}))
        expected = {name} if key in visible else set()
        assert by_name == by_code == exported == expected, (username, key)


@pytest.mark.parametrize(("username", "key"), CASES)
def test_pages_read_and_edit_follow_scope_and_role(client, users, enterprises, username, key):
    """In scope: 200 to read; edit 200 for editors, 403 for leaders. Out of scope: 404 everywhere."""
    visible, editable = SCOPE[username]
    enterprise = enterprises[key]
    client.force_login(users[username])
    read = 200 if key in visible else 404
    write = 200 if key in editable else (403 if key in visible else 404)
    assert client.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == read
    assert client.get(reverse("enterprises:edit", args=[enterprise.pk])).status_code == write
    assert client.get(reverse("enterprises:indicators", args=[enterprise.pk, 2024])).status_code == write
    posted = client.post(reverse("enterprises:edit", args=[enterprise.pk]), {"name": "篡改"})
    assert posted.status_code in ({200, 302} if write == 200 else {write})
    posted = client.post(reverse("enterprises:indicators", args=[enterprise.pk, 2024]), {"employees": "1"})
    assert posted.status_code in ({200, 302} if write == 200 else {write})
    if write != 200:
        assert Enterprise.objects.get(pk=enterprise.pk).name == NAMES[key]
        assert enterprise.indicators.get().employees == 120


def test_a_county_user_cannot_move_an_enterprise_into_a_sibling_county(client, users, enterprises, region_tree):
    client.force_login(users["spt_staff"])
    enterprise = enterprises["spt"]
    response = client.post(
        reverse("enterprises:edit", args=[enterprise.pk]),
        {"name": enterprise.name, "credit_code": enterprise.credit_code, "region": region_tree["zhongning"].pk},
    )
    assert response.status_code == 200 and 'data-testid="error-region"' in response.content.decode()
    assert Enterprise.objects.get(pk=enterprise.pk).region == region_tree["shapotou"]


def test_liaison_cannot_use_the_register_pages(client, users, enterprises):
    client.force_login(users["zw_liaison"])
    enterprise = enterprises["spt"]
    for url in [
        reverse("enterprises:list"),
        reverse("enterprises:export"),
        reverse("enterprises:create"),
        reverse("enterprises:detail", args=[enterprise.pk]),
        reverse("enterprises:edit", args=[enterprise.pk]),
        reverse("enterprises:indicators", args=[enterprise.pk, 2024]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("enterprises:recognition-create", args=[enterprise.pk]), {}).status_code == 403


def test_leader_cannot_create(client, users, region_tree):
    client.force_login(users["zw_leader"])
    assert client.get(reverse("enterprises:create")).status_code == 403


# --- API -----------------------------------------------------------------------


@pytest.mark.parametrize("username", SCOPE)
def test_api_list_and_search_show_exactly_the_users_scope(users, enterprises, username):
    visible, _editable = SCOPE[username]
    api = api_for(users[username])
    names = {row["name"] for row in api.get("/api/v1/enterprises/").json()["results"]}
    assert names == {NAMES[key] for key in visible}
    for key, name in NAMES.items():
        found = {row["name"] for row in api.get("/api/v1/enterprises/", {"q": name}).json()["results"]}
        assert found == ({name} if key in visible else set()), (username, key)


@pytest.mark.parametrize(("username", "key"), CASES)
def test_api_read_and_write_follow_scope_and_role(users, enterprises, username, key):
    visible, editable = SCOPE[username]
    enterprise = enterprises[key]
    api = api_for(users[username])
    read = 200 if key in visible else 404
    write = 200 if key in editable else (403 if key in visible else 404)
    base = f"/api/v1/enterprises/{enterprise.pk}/"
    assert api.get(base).status_code == read
    assert api.get(f"{base}indicators/").status_code == read
    assert api.get(f"{base}indicators/2024/").status_code == read
    assert api.patch(base, {"contact_name": "张三"}, format="json").status_code == write
    version = AnnualIndicator.objects.filter(enterprise=enterprise, year=2024).values_list("version", flat=True).first()
    indicators = {"employees": 7, "expected_version": version or 0}
    assert api.put(f"{base}indicators/2024/", indicators, format="json").status_code == write
    if read == 404:
        assert api.get(base).json()["error"]["code"] == "not_found"
    if write != 200:
        assert Enterprise.objects.get(pk=enterprise.pk).contact_name == ""
        assert enterprise.indicators.get().employees == 120


def test_api_missing_and_out_of_scope_look_the_same(users, enterprises):
    api = api_for(users["spt_staff"])
    missing = api.get("/api/v1/enterprises/999999/")
    hidden = api.get(f"/api/v1/enterprises/{enterprises['zn'].pk}/")
    assert (missing.status_code, missing.json()) == (hidden.status_code, hidden.json())


def test_api_refuses_creating_in_a_sibling_county(users, enterprises, region_tree):
    api = api_for(users["spt_staff"])
    response = api.post(
        "/api/v1/enterprises/",
        {"name": "越权企业", "credit_code": "91640521MA76XK2P2X", "region": region_tree["zhongning"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert "region" in response.json()["error"]["fields"]
    assert not Enterprise.objects.filter(name="越权企业").exists()


def test_api_register_endpoints_refuse_liaisons(users, enterprises):
    api = api_for(users["zw_liaison"])
    base = f"/api/v1/enterprises/{enterprises['spt'].pk}/"
    for response in [
        api.get("/api/v1/enterprises/"),
        api.post("/api/v1/enterprises/", {}, format="json"),
        api.get(base),
        api.patch(base, {"name": "x"}, format="json"),
        api.get(f"{base}indicators/"),
        api.get(f"{base}indicators/2024/"),
        api.put(f"{base}indicators/2024/", {"employees": 1}, format="json"),
    ]:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("spt_staff", {"沙坡头区"}),
        ("zw_staff", {"中卫市", "沙坡头区", "中宁县"}),
        ("zw_liaison", {"中卫市", "沙坡头区", "中宁县"}),
        ("admin", {"宁夏回族自治区", "中卫市", "沙坡头区", "中宁县", "青海省", "西宁市"}),
    ],
)
def test_api_regions_are_scoped(users, username, expected):
    names = {row["name"] for row in api_for(users[username]).get("/api/v1/regions/").json()["results"]}
    assert names == expected
