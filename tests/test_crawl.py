"""Every page each demo account is offered answers, reads in Chinese and shows no raw identifier.

The demo data (load_policies + load_demo) is loaded once for the module; each demo
account then follows every link from the navigation and from the pages it reaches,
one page of each kind (a list, one detail, each tab, each export, each form).
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory

from portal.context_processors import navigation
from portal.models import User
from portal.reference.demo.accounts import DEMO_ACCOUNTS
from tests.crawl.crawler import crawl, page_kind
from tests.crawl.report import problems
from tests.crawl.seed import seed_one_of_each

pytestmark = pytest.mark.slow

# Queries one page may run with the demo data; a list that queries per row goes far past it.
# The admin's change forms fill a select per relation, so they get more.
QUERY_CEILING = 60
ADMIN_QUERY_CEILING = 100
USERNAMES = [account.username for account in DEMO_ACCOUNTS]


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The policies, the demo data, its eligibility and one record of each kind, loaded once for the
    module inside a transaction rolled back at its end (each test nests its own inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        for command in ("load_policies", "load_demo", "recompute"):
            call_command(command, stdout=io.StringIO())
        seed_one_of_each()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo_site, db):
    return demo_site


def navigation_urls(user: User) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [item["url"] for group in navigation(request)["navigation"] for item in group["items"]]


@pytest.mark.parametrize("username", USERNAMES)
def test_every_page_reads_right(demo_db, username):
    """Every page the account reaches answers without error, within the query ceiling, in Chinese words only."""
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    nav = navigation_urls(user)
    result = crawl(client, ["/", *nav], allowed_words=frozenset(USERNAMES))
    found = problems(username, result, query_ceiling=QUERY_CEILING, admin_query_ceiling=ADMIN_QUERY_CEILING)
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)
    visited = {page_kind(visit.url) for visit in result.visits}
    assert {page_kind(url) for url in nav} <= visited
