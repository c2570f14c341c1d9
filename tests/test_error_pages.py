"""Errors answer with the site's own page, in Chinese: what happened, what to do, a way home."""

import pytest
from django.test import Client

from portal.tests.factories import UserFactory
from tests.crawl.checker import check_html

pytestmark = pytest.mark.django_db


def assert_error_page(response, status: int, heading: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert f'data-status="{status}"' in html
    assert heading in html
    assert "返回首页" in html and 'href="/"' in html
    assert "portal.css" in html  # the site's layout, not a bare server page
    assert check_html(html, allowed=frozenset({"t_zw_staff", "t_zw_liaison"})) == []


def test_a_missing_page_answers_the_sites_404(client, region_tree):
    client.force_login(UserFactory(role="staff", region=region_tree["zhongwei"]))

    response = client.get("/no-such-page/")

    assert_error_page(response, 404, "页面不存在")
    assert 'data-testid="main-nav"' in response.content.decode()


def test_a_page_the_role_may_not_open_answers_the_sites_403(client, users):
    client.force_login(users["zw_liaison"])

    response = client.get("/audit/")

    assert_error_page(response, 403, "您无权访问此页面")


def test_a_form_without_its_csrf_token_answers_that_the_form_expired(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["zw_staff"])

    response = client.post("/notifications/", {})

    assert_error_page(response, 403, "表单已过期")


def test_a_request_for_an_unknown_host_answers_the_sites_400(client):
    response = client.get("/", HTTP_HOST="portal.evil.example")

    assert_error_page(response, 400, "请求无法处理")


def test_an_unexpected_error_answers_the_sites_500(settings, users):
    settings.ROOT_URLCONF = "tests.error_urls"
    client = Client(raise_request_exception=False)
    client.force_login(users["zw_staff"])

    response = client.get("/broken/")

    assert_error_page(response, 500, "系统出现错误")
    assert "a bug" not in response.content.decode()
