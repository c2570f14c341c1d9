"""Every filter of every list, in the API and on the pages, refuses what it cannot mean with a 400.

The API's filters are read from its OpenAPI schema; the pages' from the GET forms
they render. Each is fed a Unicode digit ("²" passes `str.isdigit()` but not
`int()`), a NUL, an integer too large for any column and a value no choice has.
A free-text filter (a search box) is fed only the NUL.
"""

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tasks.tests.conftest import loaded  # noqa: F401  (the five policies: every filter has choices)

pytestmark = pytest.mark.django_db

UNICODE_DIGIT, NUL, HUGE, UNKNOWN = "²", "\x00", "9" * 40, "null"
TYPED_VALUES = [UNICODE_DIGIT, NUL, HUGE, UNKNOWN]
# Parameters that are free text by nature: searched, never matched against a set.
FREE_TEXT = {"q", "search", "actor", "object_type", "next", "industry", "policy"}


def api_list_filters(client) -> list[tuple[str, str, list[str]]]:
    """(path, parameter, bad values) for every query parameter of every GET operation without path parameters."""
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    found = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            kind = parameter.get("schema", {})
            typed = kind.get("type") in ("integer", "number", "boolean") or "enum" in kind or "format" in kind
            if not typed and parameter["name"] not in FREE_TEXT:
                typed = True  # an undeclared string is held to the strictest reading until documented otherwise
            found.append((path, parameter["name"], TYPED_VALUES if typed else [NUL]))
    return found


class GetForms(HTMLParser):
    """The fields of the page's GET forms: name → whether it is free text."""

    def __init__(self) -> None:
        super().__init__()
        self.in_get_form = False
        self.fields: dict[str, bool] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.in_get_form = attributes.get("method", "get").lower() == "get"
        elif self.in_get_form and tag in ("input", "select") and attributes.get("name"):
            input_type = attributes.get("type", "text")
            if input_type in ("submit", "button", "hidden", "checkbox", "radio") and tag == "input":
                is_free_text = False
            else:
                is_free_text = tag == "input" and input_type in ("text", "search")
            self.fields.setdefault(attributes["name"], is_free_text)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def page_urls() -> list[str]:
    """Every page URL without path parameters, outside the admin, the API and sign-in."""
    urls = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route:
                urls.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    skip = ("/admin/", "/api/", "/accounts/", "/i18n/", "/healthz", "/static/")
    return sorted({url for url in urls if not url.startswith(skip)})


@pytest.fixture
def signed_in(client, users, loaded):  # noqa: F811
    client.force_login(users["admin"])
    return client


def test_every_api_filter_refuses_what_it_cannot_mean(signed_in):
    failures = []
    filters = api_list_filters(signed_in)
    assert len(filters) > 20
    for path, name, values in filters:
        for value in values:
            response = signed_in.get(path, {name: value})
            if response.status_code != 400 or response.json()["error"]["code"] not in ("invalid", "invalid_parameter"):
                failures.append(f"{path}?{name}={value!r}: {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_every_page_filter_refuses_what_it_cannot_mean(signed_in):
    failures, checked = [], 0
    for url in page_urls():
        page = signed_in.get(url)
        if page.status_code != 200 or "text/html" not in page["Content-Type"]:
            continue
        parser = GetForms()
        parser.feed(page.content.decode())
        for name, is_free_text in parser.fields.items():
            if name in FREE_TEXT or is_free_text:
                values = [NUL]
            else:
                values = TYPED_VALUES
            for value in values:
                checked += 1
                response = signed_in.get(url, {name: value})
                if response.status_code != 400:
                    failures.append(f"{url}?{name}={value!r}: {response.status_code}")
    assert checked > 20
    assert failures == [], "\n".join(failures)


def test_an_api_error_outside_drf_keeps_the_json_shape(signed_in):
    missing = signed_in.get("/api/v1/enterprises/abc/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    not_allowed = signed_in.delete("/api/v1/me/")
    assert not_allowed.status_code == 405
    assert not_allowed.json()["error"]["code"] == "method_not_allowed"


def test_the_refusal_names_the_parameter_in_chinese(signed_in):
    from django.utils import translation

    with translation.override("zh-hans"):
        response = signed_in.get("/api/v1/enterprises/", {"region": UNICODE_DIGIT}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert "行政区划" in error["message"] and "region" in error["fields"]


def test_a_control_character_is_not_taken_for_an_empty_filter(signed_in):
    """Found by schemathesis: "\\x1f".strip() is "", so ?enterprise=%1F listed everything."""
    response = signed_in.get("/api/v1/eligibility/", {"enterprise": "\x1f"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"enterprise"}


def test_a_repeated_filter_is_refused(signed_in):
    response = signed_in.get("/api/v1/enterprises/?region=1&region=")
    assert response.status_code == 400


def test_a_date_no_one_means_is_refused_not_a_server_error(signed_in):
    """Found by schemathesis: the dashboard's as_of=0001-01-01 overflowed date arithmetic (500)."""
    for path in ("/api/v1/dashboard/", "/api/v1/targets/"):
        for day in ("0001-01-01", "9999-12-31", "1899-12-31"):
            response = signed_in.get(path, {"as_of": day})
            assert response.status_code == 400, (path, day, response.status_code)
            assert "as_of" in response.json()["error"]["fields"]
        assert signed_in.get(path, {"as_of": "1900-01-01"}).status_code == 200, path
