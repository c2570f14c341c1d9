"""The site's frame: navigation by role, language, time zone, and nothing loaded from outside."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
EXTERNAL_URL = re.compile(r"https?://(?!localhost[:/\"']|127\.0\.0\.1[:/\"'])[^\s\"'<>)]+")
# XML namespaces are identifiers, never fetched.
NAMESPACE = re.compile(r"xmlns(:\w+)?=[\"']http://www\.w3\.org/[^\"']*[\"']")


def nav_links(client) -> list[str]:
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('data-testid="main-nav"') : html.index("</nav>", html.index('data-testid="main-nav"'))]
    return re.findall(r'href="([^"]+)"', nav)


def test_liaison_sees_no_register(client, users):
    client.force_login(users["zw_liaison"])
    links = nav_links(client)
    assert reverse("enterprises:list") not in links
    assert reverse("audit-log") not in links


def test_staff_sees_the_register_but_not_the_admin_pages(client, users):
    client.force_login(users["spt_staff"])
    links = nav_links(client)
    assert reverse("enterprises:list") in links
    assert reverse("audit-log") not in links
    assert reverse("admin:index") not in links


def test_admin_sees_roster_imports_and_the_audit_log(client, users):
    client.force_login(users["admin"])
    links = nav_links(client)
    assert {reverse("enterprises:list"), reverse("audit-log"), reverse("admin:index")} <= set(links)
    try:
        roster = reverse("enterprises:roster-list")
    except NoReverseMatch:
        pytest.fail("the roster import pages are not routed yet")
    assert roster in links


def test_leader_sees_the_audit_log(client, users):
    client.force_login(users["zw_leader"])
    assert reverse("audit-log") in nav_links(client)


def test_pages_are_simplified_chinese_by_default_and_english_on_request(client, users):
    client.force_login(users["spt_staff"])
    html = client.get(reverse("enterprises:list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'aria-label="breadcrumb"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("enterprises:list")})
    assert response.status_code == 302
    english = client.get(reverse("enterprises:list")).content.decode()
    assert '<html lang="en">' in english
    assert "Enterprise register" in english and "Log out" in english


def test_the_language_switcher_offers_both_languages(client, users):
    client.force_login(users["spt_staff"])
    html = client.get(reverse("home")).content.decode()
    assert 'value="zh-hans"' in html and 'value="en"' in html
    assert f'action="{reverse("set_language")}"' in html


def test_settings_speak_chinese_in_beijing_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def _own_text_files():
    template_dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    for folder in template_dirs:
        yield from (path for path in folder.rglob("*") if path.is_file())
    static = ROOT / "static"
    for path in static.rglob("*"):
        if path.is_file() and "vendor" not in path.relative_to(static).parts[:1]:
            yield path


def test_no_template_or_static_file_loads_anything_from_outside():
    """Government intranets have no internet: no CDN, no web font, no analytics."""
    offenders = []
    for path in _own_text_files():
        if path.suffix not in {".html", ".css", ".js", ".txt", ".svg", ".json", ".xml"}:
            continue
        text = NAMESPACE.sub("", path.read_text(encoding="utf-8", errors="replace"))
        offenders += [f"{path.relative_to(ROOT)}: {url}" for url in EXTERNAL_URL.findall(text)]
    assert offenders == []


def test_vendored_assets_carry_their_licences():
    vendor = ROOT / "static" / "vendor"
    for package in ["bootstrap", "htmx"]:
        files = [path.name.lower() for path in (vendor / package).rglob("*")]
        assert any("licen" in name for name in files), package
