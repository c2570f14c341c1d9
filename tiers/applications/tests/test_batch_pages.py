"""The batch page: the batches of the reader's jurisdictions with their state and the applications of the reader's
region; the responsible department of a city (and administrators) open new ones."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.tests.factories import EnterpriseFactory
from portal.models import AuditEvent
from tiers.applications.models import Batch, ReviewChain
from tiers.applications.tests.factories import ApplicationFactory, BatchFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def row_of(html: str, batch: Batch) -> str:
    match = re.search(rf'<tr data-testid="batch-{batch.pk}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {batch.name}"
    return match.group(1)


def new_batch_data(tier, **changes) -> dict:
    return {
        "tier": tier.pk,
        "year": TODAY.year,
        "name": "2026年第二批",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        **changes,
    }


@pytest.fixture
def batches(national_tier, city_tier):
    return {
        "open": BatchFactory(tier=national_tier, name="2026年第一批"),
        "upcoming": BatchFactory(
            tier=city_tier,
            name="2026年市级第一批",
            opens_on=TODAY + datetime.timedelta(days=5),
            closes_on=TODAY + datetime.timedelta(days=40),
        ),
        "closed": BatchFactory(
            tier=national_tier,
            year=TODAY.year - 1,
            name="2025年第一批",
            opens_on=TODAY - datetime.timedelta(days=400),
            closes_on=TODAY - datetime.timedelta(days=300),
        ),
    }


def test_staff_see_every_batch_with_its_state_in_chinese(client, users, batches):
    client.force_login(users["zw_staff"])
    html = client.get(reverse("applications:batches")).content.decode()
    assert '<h1 class="h4 mb-0">申报批次</h1>' in html
    assert "申报中" in row_of(html, batches["open"])
    assert "未开始" in row_of(html, batches["upcoming"])
    assert "已截止" in row_of(html, batches["closed"])
    assert "市级专精特新中小企业" in row_of(html, batches["upcoming"])
    assert f"{TODAY - datetime.timedelta(days=400):%Y-%m-%d} – {TODAY - datetime.timedelta(days=300):%Y-%m-%d}" in (
        row_of(html, batches["closed"])
    )


def test_application_counts_cover_only_the_readers_region(client, users, region_tree, batches):
    for region in ("shapotou", "shapotou", "zhongning", "xining"):
        ApplicationFactory(batch=batches["open"], enterprise=EnterpriseFactory(region=region_tree[region]))
    expected = {"zw_staff": 3, "spt_staff": 2, "admin": 4}
    for username, count in expected.items():
        client.force_login(users[username])
        response = client.get(reverse("applications:batches"))
        counts = {row.batch.name: row.application_count for row in response.context["rows"]}
        assert counts == {"2026年第一批": count, "2026年市级第一批": 0, "2025年第一批": 0}, username


def test_filters_by_tier_and_year(client, users, batches, national_tier):
    client.force_login(users["zw_leader"])
    url = reverse("applications:batches")
    by_tier = client.get(url, {"tier": national_tier.pk})
    assert {row.batch.name for row in by_tier.context["rows"]} == {"2026年第一批", "2025年第一批"}
    by_year = client.get(url, {"year": TODAY.year - 1})
    assert [row.batch.name for row in by_year.context["rows"]] == ["2025年第一批"]
    both = client.get(url, {"tier": national_tier.pk, "year": TODAY.year})
    assert [row.batch.name for row in both.context["rows"]] == ["2026年第一批"]
    assert f'<option value="{TODAY.year - 1}" selected>' in by_year.content.decode()
    nothing = client.get(url, {"tier": national_tier.pk, "year": 1999})
    assert "暂无批次：请联系" in nothing.content.decode()


def test_the_query_count_does_not_grow_with_batches(
    client, users, region_tree, national_tier, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for _ in range(count):
            batch = BatchFactory(tier=national_tier)
            ApplicationFactory(batch=batch, enterprise=EnterpriseFactory(region=region_tree["shapotou"]))

    client.force_login(users["admin"])
    add(2)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("applications:batches"))
    add(18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("applications:batches"))
    assert len(response.context["rows"]) == 20
    assert {row.application_count for row in response.context["rows"]} == {1}


def test_an_administrator_opens_a_batch_through_the_form_and_it_is_audited(client, users, batches, national_tier):
    admin = users["admin"]
    client.force_login(admin)
    html = client.get(reverse("applications:batches")).content.decode()
    assert 'data-testid="new-batch"' in html
    response = client.post(reverse("applications:batch-create"), new_batch_data(national_tier), follow=True)
    assert response.redirect_chain[-1][0] == (
        f"{reverse('applications:batches')}?tier={national_tier.pk}&year={TODAY.year}"
    )
    batch = Batch.objects.get(tier=national_tier, year=TODAY.year, name="2026年第二批")
    assert "已创建专精特新“小巨人”企业的批次“2026年第二批”。" in response.content.decode()
    assert "申报中" in row_of(response.content.decode(), batch)
    event = AuditEvent.objects.get(object_type="tiers.batch", object_id=str(batch.pk))
    assert (event.actor, event.action) == (admin, AuditEvent.Action.CREATE)
    assert event.changes["name"] == [None, "2026年第二批"]
    assert ReviewChain.objects.filter(tier=national_tier).exists()


def test_the_citys_industry_bureau_opens_a_batch_for_its_city(client, users, national_tier, region_tree):
    """Batches are opened by the department that leads the tier at the level that runs them, not only by admins."""
    client.force_login(users["zw_staff"])
    assert 'data-testid="new-batch"' in client.get(reverse("applications:batches")).content.decode()
    client.post(reverse("applications:batch-create"), new_batch_data(national_tier))
    batch = Batch.objects.get(name="2026年第二批")
    assert (batch.region, batch.created_by) == (region_tree["zhongwei"], users["zw_staff"])


@pytest.mark.parametrize("username", ["spt_staff", "zw_leader"])
def test_readers_who_may_not_open_batches_see_no_button_and_are_refused(client, users, national_tier, username):
    client.force_login(users[username])
    assert 'data-testid="new-batch"' not in client.get(reverse("applications:batches")).content.decode()
    assert client.get(reverse("applications:batch-create")).status_code == 403
    assert client.post(reverse("applications:batch-create"), new_batch_data(national_tier)).status_code == 403
    assert not Batch.objects.exists()


def test_a_liaison_may_not_read_the_batches(client, users):
    client.force_login(users["zw_liaison"])
    assert client.get(reverse("applications:batches")).status_code == 403


def test_a_batch_closing_before_it_opens_is_refused_next_to_the_closing_date(client, users, national_tier):
    client.force_login(users["admin"])
    data = new_batch_data(national_tier, closes_on=(TODAY - datetime.timedelta(days=1)).isoformat())
    response = client.post(reverse("applications:batch-create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'data-testid="error-closes_on">批次截止日期不得早于开始日期。<', html)
    assert 'data-testid="form-errors"' not in html
    assert not Batch.objects.exists()


def test_a_duplicate_name_is_refused_next_to_the_name(client, users, batches, national_tier):
    client.force_login(users["admin"])
    data = new_batch_data(national_tier, name=" 2026年第一批 ")
    response = client.post(reverse("applications:batch-create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    expected = f"专精特新“小巨人”企业在{TODAY.year}年已有批次“2026年第一批”。"
    assert re.search(rf'data-testid="error-name">{re.escape(expected)}<', html)
    assert Batch.objects.filter(name="2026年第一批").count() == 1
