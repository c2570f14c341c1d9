"""Follow every link a signed-in person is offered, once per kind of page, and check each page."""

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.crawl.checker import Finding, check_text, parse

# Not pages of the site's interface: leaving, switching language, static files,
# the JSON API (its browsable docs are the drf-spectacular bundle).
SKIPPED_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/api/", "/admin/logout/", "/admin/jsi18n/")
NUMBER = re.compile(r"/\d+(?=/|$)")
# Codes in paths ("/assessments/nx-platform/", "/ladders/quality-sme/") name records too.
CODE = re.compile(r"/[a-z0-9]+(?:-[a-z0-9]+)+(?=/|$)")
# Of the admin, the pages an administrator works in: the index, each list, one record of each.
# Add, delete, history, export and filter variants are Django's and django-import-export's own pages.
ADMIN_PAGES = re.compile(r"^/admin/(?:[a-z_]+/(?:[a-z_]+/(?:\d+/change/)?)?)?$")


def page_kind(url: str) -> tuple[str, tuple[str, ...]]:
    """Pages that differ only by ids or query values are one kind: /enterprises/<n>/?tab=…"""
    parts = urlsplit(url)
    return CODE.sub("/<code>", NUMBER.sub("/<n>", parts.path)), tuple(
        sorted({key for key, _value in parse_qsl(parts.query)})
    )


@dataclass
class Visit:
    url: str
    status: int
    queries: int = 0
    source: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)

    @property
    def kinds(self) -> set[tuple[str, tuple[str, ...]]]:
        return {page_kind(visit.url) for visit in self.visits}


def _internal(href: str, base: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.netloc not in {"testserver", ""}:
            return None
    path = parts.path or urlsplit(base).path
    if not path.startswith("/"):
        path = urlsplit(base).path.rsplit("/", 1)[0] + "/" + path
    if path.startswith(SKIPPED_PREFIXES):
        return None
    if path.startswith("/admin/"):
        return path if ADMIN_PAGES.match(path) else None
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return f"{path}?{query}" if query else path


def crawl(
    client: Client,
    start: list[str],
    *,
    chinese: bool = True,
    allowed_words: frozenset[str] = frozenset(),
    max_pages: int = 400,
    skip: tuple[str, ...] = (),
) -> Crawl:
    """Visit `start` and every page reachable from it, one page of each kind."""
    result = Crawl()
    queue: deque[tuple[str, str]] = deque((url, "navigation") for url in start)
    seen_kinds: set = set()
    while queue and len(result.visits) < max_pages:
        url, source = queue.popleft()
        kind = page_kind(url)
        if kind in seen_kinds or url.startswith(skip):
            continue
        seen_kinds.add(kind)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans" if chinese else "en")
        visit = Visit(url=url, status=response.status_code, queries=len(queries), source=source)
        result.visits.append(visit)
        if response.status_code in (301, 302, 303, 307, 308):
            target = _internal(response.headers.get("Location", ""), url)
            if target:
                queue.append((target, url))
            continue
        content_type = response.headers.get("Content-Type", "")
        if 400 <= response.status_code < 500 or "text/html" not in content_type:
            continue
        text, links = parse(response.content.decode(response.charset or "utf-8"))
        visit.findings = check_text(text, chinese=chinese, allowed=allowed_words, admin=url.startswith("/admin/"))
        for href in links:
            target = _internal(href, url)
            if target and page_kind(target) not in seen_kinds:
                queue.append((target, url))
    return result
