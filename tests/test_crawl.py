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

from incentives.models import Entitlement
from incentives.services import compute_entitlements_for_rules
from portal.context_processors import navigation
from portal.models import User
from seed.demo.accounts import DEMO_ACCOUNTS
from tests.crawl.crawler import crawl, page_kind
from tests.crawl.report import problems
from tests.crawl.seed import seed_one_of_each

pytestmark = pytest.mark.slow

# Queries one page may run with the demo data; a list that queries per row goes far past it.
# The admin's change forms fill a select per relation, so they get more.
QUERY_CEILING = 60
ADMIN_QUERY_CEILING = 100
USERNAMES = [account.username for account in DEMO_ACCOUNTS]

# One detail page of each kind, reached by following links from the navigation.
STAFF_DETAIL_PAGES = {
    "/enterprises/<n>/",
    "/enterprises/<n>/indicators/<n>/",
    "/tiers/enterprises/<n>/ladder/",
    "/tiers/enterprises/<n>/assessments/<code>/",
    "/tiers/pool/<n>/",
    "/applications/<n>/",
    "/applications/recognitions/<n>/",
    "/tasks/policies/<n>/",
    "/tasks/measures/<n>/",
}
DETAIL_PAGES = {
    "admin": STAFF_DETAIL_PAGES | {"/incentives/<n>/"},
    "zw_staff": STAFF_DETAIL_PAGES,
    "spt_staff": STAFF_DETAIL_PAGES,
    "zw_kjj_liaison": {"/tasks/measures/<n>/", "/tasks/measures/<n>/report/"},
}


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The policies, the demo data, its eligibility and one record of each kind, loaded once for the
    module inside a transaction rolled back at its end (each test nests its own inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        for command in ("load_policies", "load_demo", "recompute"):
            call_command(command, stdout=io.StringIO())
        # What the hooks do after a commit, which never comes inside this transaction.
        compute_entitlements_for_rules(rule_ids=None, actor=None)
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
    # The reward list opens on this year, which the demo's rewards predate: start from one of them too.
    entitlement = Entitlement.objects.order_by("pk").first()
    extra = [f"/incentives/{entitlement.pk}/"] if user.is_admin and entitlement else []
    result = crawl(client, ["/", *nav, *extra], allowed_words=frozenset(USERNAMES))
    found = problems(username, result, query_ceiling=QUERY_CEILING, admin_query_ceiling=ADMIN_QUERY_CEILING)
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)
    visited = {page_kind(visit.url) for visit in result.visits}
    assert {page_kind(url) for url in nav} <= visited
    missing = DETAIL_PAGES.get(username, set()) - {path for path, _query in visited}
    assert not missing, f"[{username}] no link led to: {sorted(missing)}"
