"""The OpenAPI schema validates, the docs are served from this server only, and every API error
has the same shape."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LOCAL_URL = re.compile(r"^(/|\./|#|data:)")


def test_schema_validates_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` passes: every view documents itself."""
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"), stderr=out)
    schema = (tmp_path / "schema.yaml").read_text()
    assert "openapi: 3" in schema
    for path in ["/api/v1/auth/token/", "/api/v1/enterprises/", "/api/v1/enterprises/{id}/", "/api/v1/regions/"]:
        assert f"{path}:" in schema
    assert "/api/v1/enterprises/{id}/indicators/{year}/:" in schema


def test_schema_is_served_to_signed_in_users(users):
    api = APIClient()
    api.force_authenticate(users["spt_staff"])
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "企业梯度培育平台 API"


def test_docs_reference_only_local_static_assets(client, users):
    client.force_login(users["spt_staff"])
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any(url.startswith("/static/drf_spectacular_sidecar/") for url in urls)
    assert [url for url in urls if not LOCAL_URL.match(url)] == []
    assert not re.search(r"https?://(?!localhost|127\.0\.0\.1)", html)


def test_every_error_has_the_same_shape(users):
    api = APIClient()
    unauthenticated = api.get("/api/v1/regions/")
    api.force_authenticate(users["zw_liaison"])
    forbidden = api.get("/api/v1/enterprises/")
    not_found = api.get("/api/v1/regions/999999/")
    wrong_method = api.delete("/api/v1/regions/")
    for response, status in [(unauthenticated, 401), (forbidden, 403), (not_found, 404), (wrong_method, 405)]:
        assert response.status_code == status
        body = response.json()
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message", "fields"}
        assert body["error"]["message"]
