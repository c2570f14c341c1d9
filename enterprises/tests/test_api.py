"""The register over REST: /api/v1/enterprises/ and its indicators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from enterprises.credit_codes import with_check_character
from enterprises.models import AnnualIndicator, Enterprise
from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from portal.models import AuditEvent
from tiers.tests.factories import RecognitionFactory, TierFactory

pytestmark = pytest.mark.django_db


def zh(message: str, **params) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % params if params else text


CONFLICT = (
    "“%(name)s” was changed by someone else after you opened it. "
    "Reload the page to see their changes, then apply yours again."
)


@pytest.fixture
def api():
    return APIClient()


def token_client(username: str) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.fixture
def enterprise(region_tree):
    enterprise = EnterpriseFactory(name="中卫葡萄酒有限公司", region=region_tree["shapotou"], is_above_scale=True)
    RecognitionFactory(enterprise=enterprise, tier=TierFactory(code="high-tech", name="高新技术企业"))
    return enterprise


def test_token_is_issued_for_the_right_password_and_works(users, enterprise):
    client = token_client("t_spt_staff")
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["credit_code"], row["region"], row["region_name"]) == (
        enterprise.credit_code,
        enterprise.region_id,
        "沙坡头区",
    )
    assert row["tiers"][0]["tier_code"] == "high-tech"


def test_a_wrong_password_gets_no_token(api, users):
    response = api.post("/api/v1/auth/token/", {"username": "t_spt_staff", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid_credentials", "message": zh("Wrong username or password."), "fields": {}}
    }


def test_session_authentication_works_too(api, users, enterprise):
    api.force_login(users["zw_leader"])
    assert api.get("/api/v1/enterprises/").json()["count"] == 1


def test_anonymous_callers_get_401_in_the_common_error_shape(api):
    response = api.get("/api/v1/enterprises/")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "not_authenticated" and error["message"] and error["fields"] == {}


def test_list_filters_match_the_page(api, users, enterprise, region_tree):
    EnterpriseFactory(name="中宁枸杞科技有限公司", region=region_tree["zhongning"], industry_code="A0149")
    api.force_login(users["zw_staff"])
    names = lambda params: {row["name"] for row in api.get("/api/v1/enterprises/", params).json()["results"]}  # noqa: E731
    assert names({}) == {"中卫葡萄酒有限公司", "中宁枸杞科技有限公司"}
    assert names({"q": "枸杞"}) == {"中宁枸杞科技有限公司"}
    assert names({"region": region_tree["shapotou"].pk}) == {"中卫葡萄酒有限公司"}
    assert names({"industry": "A"}) == {"中宁枸杞科技有限公司"}
    assert names({"above_scale": "1"}) == {"中卫葡萄酒有限公司"}
    assert names({"tier": enterprise.recognitions.get().tier_id}) == {"中卫葡萄酒有限公司"}


def test_list_is_paginated(api, users, region_tree):
    EnterpriseFactory.create_batch(7, region=region_tree["shapotou"])
    api.force_login(users["spt_staff"])
    body = api.get("/api/v1/enterprises/", {"page_size": 5}).json()
    assert (body["count"], len(body["results"])) == (7, 5)
    assert "page=2" in body["next"]


def test_pages_are_the_list_in_order_and_a_page_past_the_end_is_404(api, users, region_tree):
    """Pages are read by id first; together they are the whole list, by name and then id."""
    for name in ["丙", "甲", "乙", "甲", "丁", "乙", "戊"]:
        EnterpriseFactory(name=f"{name}有限公司", region=region_tree["shapotou"])
    api.force_login(users["spt_staff"])

    pages = [api.get("/api/v1/enterprises/", {"page_size": 3, "page": page}).json() for page in (1, 2, 3)]

    assert [len(page["results"]) for page in pages] == [3, 3, 1]
    assert [row["id"] for page in pages for row in page["results"]] == list(
        Enterprise.objects.order_by("name", "pk").values_list("pk", flat=True)
    )
    assert (pages[0]["count"], pages[2]["next"]) == (7, None)
    past = api.get("/api/v1/enterprises/", {"page_size": 3, "page": 4})
    assert (past.status_code, past.json()["error"]["code"]) == (404, "not_found")


def test_list_query_count_stays_flat(api, users, region_tree):
    tiers = [TierFactory(code="high-tech"), TierFactory(code="srdi-sme")]
    api.force_login(users["zw_staff"])

    def grow(count):
        for enterprise in EnterpriseFactory.create_batch(count, region=region_tree["zhongning"]):
            for tier in tiers:
                RecognitionFactory(enterprise=enterprise, tier=tier)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/enterprises/").status_code == 200
        return len(captured)

    grow(5)
    small = queries()
    grow(45)
    assert queries() == small


def test_staff_creates_an_enterprise(api, users, region_tree):
    api.force_login(users["spt_staff"])
    code = with_check_character("91640502MA76XK2P2")
    response = api.post(
        "/api/v1/enterprises/",
        {"name": "沙坡头新材料有限公司", "credit_code": code.lower(), "region": region_tree["shapotou"].pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == code
    assert AuditEvent.objects.filter(object_type="enterprises.enterprise", action="create").count() == 1


def test_a_malformed_code_is_refused_on_its_field(api, users, region_tree):
    api.force_login(users["spt_staff"])
    response = api.post(
        "/api/v1/enterprises/",
        {"name": "坏代码企业", "credit_code": "123", "region": region_tree["shapotou"].pk},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == zh("The submitted data is not valid.")
    assert "123" in error["fields"]["credit_code"][0]


def test_patch_with_the_current_version_saves(api, users, enterprise):
    api.force_login(users["spt_staff"])
    url = f"/api/v1/enterprises/{enterprise.pk}/"
    response = api.patch(url, {"main_products": "红葡萄酒", "expected_version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["main_products"], response.json()["version"]) == ("红葡萄酒", 2)


def test_patch_with_a_stale_version_is_a_409_with_a_message(api, users, enterprise):
    """Two callers read version 1; the second PATCH is refused and the first change survives."""
    api.force_login(users["spt_staff"])
    url = f"/api/v1/enterprises/{enterprise.pk}/"
    assert api.patch(url, {"main_products": "干红", "expected_version": 1}, format="json").status_code == 200
    response = api.patch(url, {"main_products": "干白", "expected_version": 1}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": {"code": "conflict", "message": zh(CONFLICT, name=enterprise.name), "fields": {}}
    }
    enterprise.refresh_from_db()
    assert enterprise.main_products == "干红"


def test_indicators_per_year_read_and_write(api, users, enterprise):
    AnnualIndicatorFactory(enterprise=enterprise, year=2024, operating_revenue=5000)
    api.force_login(users["spt_staff"])
    listing = api.get(f"/api/v1/enterprises/{enterprise.pk}/indicators/").json()
    assert [row["year"] for row in listing] == [2024]
    url = f"/api/v1/enterprises/{enterprise.pk}/indicators/2024/"
    assert api.get(url).json()["operating_revenue"] == "5000.00"
    response = api.put(url, {"rd_expense": "260.5", "expected_version": 1}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["operating_revenue"], body["rd_expense"], body["version"]) == ("5000.00", "260.50", 2)
    assert body["sources"]["rd_expense"]["source"] == "manual"
    stale = api.put(url, {"rd_expense": "1", "expected_version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"


def test_put_replacing_a_year_requires_the_version_it_replaces(api, users, enterprise):
    """Without expected_version two editors would overwrite each other unseen: refused, naming the field."""
    api.force_login(users["spt_staff"])
    response = api.put(f"/api/v1/enterprises/{enterprise.pk}/indicators/2023/", {"employees": 88}, format="json")
    assert response.status_code == 400
    assert "expected_version" in response.json()["error"]["fields"]
    assert not AnnualIndicator.objects.filter(enterprise=enterprise, year=2023).exists()


def test_put_creates_a_missing_year_and_refuses_a_year_out_of_range(api, users, enterprise):
    api.force_login(users["spt_staff"])
    response = api.put(
        f"/api/v1/enterprises/{enterprise.pk}/indicators/2023/", {"employees": 88, "expected_version": 0}, format="json"
    )
    assert response.status_code == 200
    assert AnnualIndicator.objects.get(enterprise=enterprise, year=2023).employees == 88
    assert api.get(f"/api/v1/enterprises/{enterprise.pk}/indicators/2022/").status_code == 404
    response = api.put(
        f"/api/v1/enterprises/{enterprise.pk}/indicators/1980/", {"employees": 1, "expected_version": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == zh("Year %(year)s is out of range.", year=1980)


def test_a_digitalisation_level_outside_1_to_4_is_refused_with_a_message(api, users, enterprise):
    """The database's range check is never what answers: the API names the field and the range, and writes nothing."""
    from enterprises.services import save_indicators
    from portal.exceptions import ServiceError

    api.force_login(users["spt_staff"])
    url = f"/api/v1/enterprises/{enterprise.pk}/indicators/2023/"
    for level in (0, 5):
        response = api.put(url, {"digital_level": level, "expected_version": 0}, format="json")
        assert response.status_code == 400, response.content
        assert "digital_level" in response.json()["error"]["fields"]
    assert not AnnualIndicator.objects.filter(enterprise=enterprise, year=2023).exists()
    assert api.put(url, {"digital_level": 4, "expected_version": 0}, format="json").status_code == 200
    with pytest.raises(ServiceError) as refused:
        save_indicators(actor=users["spt_staff"], enterprise=enterprise, year=2023, values={"digital_level": 0})
    assert refused.value.message == "数字化水平等级应为 1–4 级。"


def test_regions_are_scoped(api, users, region_tree):
    api.force_login(users["zw_staff"])
    names = {row["name"] for row in api.get("/api/v1/regions/").json()["results"]}
    assert names == {"中卫市", "沙坡头区", "中宁县"}
    assert api.get(f"/api/v1/regions/{region_tree['xining'].pk}/").status_code == 404


def test_leader_reads_but_cannot_write(api, users, enterprise):
    api.force_login(users["zw_leader"])
    assert api.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 200
    response = api.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    put = api.put(f"/api/v1/enterprises/{enterprise.pk}/indicators/2024/", {"employees": 1}, format="json")
    assert put.status_code == 403
    assert Enterprise.objects.get().name == "中卫葡萄酒有限公司"


def test_the_fast_list_rows_equal_the_serializer_output(client, users, region_tree):
    """The list endpoint builds rows by hand for speed; they must be exactly what the serializer gives."""
    import datetime

    from enterprises import selectors
    from enterprises.api import EnterpriseSerializer, enterprise_row
    from tiers.tests.factories import RecognitionFactory

    plain = EnterpriseFactory(
        region=region_tree["shapotou"], registered_on=None, service_commissioner=users["spt_staff"]
    )
    recognized = EnterpriseFactory(region=region_tree["shapotou"])
    RecognitionFactory(enterprise=recognized, recognized_on=datetime.date(2024, 6, 1), valid_until=None)
    RecognitionFactory(enterprise=recognized)
    enterprises = selectors.enterprise_list(users["zw_staff"], selectors.EnterpriseFilters()).filter(
        pk__in=[plain.pk, recognized.pk]
    )
    rows = selectors.list_rows([plain.pk, recognized.pk])
    assert len(rows[recognized.pk]["tiers"]) == 2
    for enterprise in enterprises:
        assert enterprise_row(rows[enterprise.pk]) == EnterpriseSerializer(enterprise).data


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement read is PostgreSQL's")
def test_list_rows_come_in_one_statement_equal_to_the_portable_read(users, region_tree):
    """On PostgreSQL a page's rows and their valid tiers are one statement, giving what the two-statement read gives."""
    import datetime

    from enterprises import selectors
    from tiers.models import Recognition

    plain = EnterpriseFactory(region=region_tree["shapotou"], registered_on=None)
    recognized = EnterpriseFactory(region=region_tree["zhongning"], service_commissioner=users["spt_staff"])
    RecognitionFactory(enterprise=recognized, tier=TierFactory(name="B 专精特新"), valid_until=None)
    RecognitionFactory(
        enterprise=recognized, tier=TierFactory(name="A 创新型"), recognized_on=datetime.date(2023, 1, 9)
    )
    RecognitionFactory(enterprise=recognized, status=Recognition.Status.EXPIRED)
    RecognitionFactory(enterprise=plain, status=Recognition.Status.REVOKED)
    missing = recognized.pk + plain.pk + 1000
    ids = [recognized.pk, plain.pk, missing]

    with CaptureQueriesContext(connection) as captured:
        rows = selectors.list_rows(ids)

    assert len(captured) == 1
    assert rows == selectors._rows_in_two_statements(ids)
    assert set(rows) == {recognized.pk, plain.pk}
    assert [held["tier__name"] for held in rows[recognized.pk]["tiers"]] == ["A 创新型", "B 专精特新"]
    assert {held["recognized_on"] for held in rows[recognized.pk]["tiers"]} == {
        datetime.date(2023, 1, 9),
        datetime.date(2024, 6, 1),
    }
    assert rows[plain.pk]["tiers"] == []


def test_compiled_pages_are_never_shared_between_scopes(api, users, region_tree):
    """A page's statement is compiled once per scope, region filter, filters and bounds: never another scope's."""
    from portal import services
    from portal.tests.factories import UserFactory

    in_zhongning = EnterpriseFactory(name="中宁枸杞有限公司", region=region_tree["zhongning"])
    in_xining = EnterpriseFactory(name="西宁枸杞有限公司", region=region_tree["xining"])
    xining_staff = UserFactory(username="t_xn_staff", role="staff", region=region_tree["xining"])

    def listed(user, **params) -> list[int]:
        api.force_login(user)
        response = api.get("/api/v1/enterprises/", {"q": "枸杞", **params})
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    for _ in range(2):  # the second time from the compiled statements
        assert listed(users["zw_staff"]) == [in_zhongning.pk]
        assert listed(xining_staff) == [in_xining.pk]
        assert listed(users["zw_staff"], region=region_tree["zhongning"].pk) == [in_zhongning.pk]
        assert listed(xining_staff, region=region_tree["zhongning"].pk) == []
        assert listed(users["zn_staff"], region=region_tree["zhongwei"].pk) == []

    services.move_region(actor=users["admin"], region=region_tree["zhongning"], parent=region_tree["xining"])

    assert listed(users["zw_staff"]) == []
    assert listed(users["zw_staff"], region=region_tree["zhongning"].pk) == []
    both = Enterprise.objects.filter(pk__in=[in_xining.pk, in_zhongning.pk]).order_by("name", "pk")
    assert listed(xining_staff) == list(both.values_list("pk", flat=True))
    assert listed(xining_staff, region=region_tree["zhongning"].pk) == [in_zhongning.pk]
