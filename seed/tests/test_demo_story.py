"""The demo tells a true story: after load_policies and load_demo every status has a real reason.

Tried as a new user would on 2026-12-07: no target reports 已完成, 达标, 滞后 or 未达标
unless the register covers what it counts; baselines the documents state or imply
are met where the demo can carry them and flagged 名录不全 where it deliberately
does not; 西宁's shares of 青海 are 数据范围不全; 宁夏 is counted whole.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from enterprises.models import Enterprise
from portal.models import Region
from tasks import figures as f
from tasks.models import Target
from tiers.models import Recognition

AS_OF = datetime.date(2026, 12, 7)
PROGRESS_STATUSES = (f.ACHIEVED, f.ON_TRACK, f.AT_RISK, f.BEHIND, f.NOT_ACHIEVED)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_policies", stdout=io.StringIO())
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def figures(loaded, db):
    targets = list(Target.objects.select_related("region", "policy", "measure").prefetch_related("tiers"))
    measured = f.target_figures(targets, as_of=AS_OF)
    return {target.key: measured[target.pk] for target in targets}


def test_every_progress_status_stands_on_a_covered_register_and_a_believable_baseline(figures):
    for key, figure in figures.items():
        if figure.status not in PROGRESS_STATUSES:
            continue
        assert figure.coverage is not None and figure.coverage.is_complete, key
        if figure.is_register_incomplete:
            # A 合计 then reads the document's baseline plus what is new (a 新增 needs no baseline), and says so.
            assert "名录不全" in figure.baseline.note, key
            if figure.basis == "total":
                assert figure.baseline.used == "document", key


def test_the_dashboard_shows_a_mix_of_statuses_each_for_a_reason(figures):
    statuses = {figure.status for figure in figures.values()}
    assert {
        f.ACHIEVED,
        f.ON_TRACK,
        f.AT_RISK,
        f.BEHIND,
        f.NOT_ACHIEVED,
        f.SCOPE_INCOMPLETE,
        f.UNCONFIRMED,
    } <= statuses
    assert all(figure.reason for figure in figures.values())


def test_xining_shares_of_qinghai_are_scope_incomplete_naming_the_missing_prefectures(figures):
    for key in ("xn-goal-srdi-share", "xn-goal-giant-share"):
        figure = figures[key]
        assert figure.status == f.SCOPE_INCOMPLETE
        assert "海东市" in figure.coverage.missing and "西宁市" not in figure.coverage.missing


def test_ningxia_is_covered_whole_and_its_yearly_targets_have_a_result_per_year(figures):
    ningxia = Region.objects.get(code="640000")
    for city in Region.objects.filter(parent=ningxia):
        assert Enterprise.objects.filter(region__path__startswith=city.path).count() >= 30, city.name
    innovative = figures["nx-yearly-innovative"]
    assert innovative.coverage.is_complete
    assert [(year.year, int(year.current), year.status) for year in innovative.years] == [
        (2024, 104, f.ACHIEVED),
        (2025, 96, f.NOT_ACHIEVED),
        (2026, 85, f.AT_RISK),
    ]


def test_baselines_match_the_documents_or_are_flagged_register_incomplete(figures):
    for key, held in (
        ("zw-3-2027-total", 2),
        ("zw-6-2027-total", 1),
        ("zw-11-2027-total", 3),
        ("bz-goal-innovative", 37),
    ):
        baseline = figures[key].baseline
        assert (baseline.register_count, int(baseline.value), baseline.is_register_incomplete) == (held, held, False)
    high_tech = figures["zw-2-2027-total"].baseline
    assert (high_tech.register_count, int(high_tech.value), high_tech.is_register_incomplete) == (18, 55, True)
    assert "文件推算基数 55 家" in high_tech.note and "名录中 18 家" in high_tech.note


def test_yearly_renewals_of_tech_smes_are_not_new(figures, db):
    held_every_year = (
        Recognition.objects.filter(tier__code="tech-sme")
        .values("enterprise_id")
        .annotate(years=Count("pk"))
        .filter(years=5)
    )
    assert held_every_year.count() > 50  # recognized in 2022 and renewed each year to 2026
    assert int(figures["zw-1-2027-total"].current) == 139
    assert int(figures["zw-1-2027-again"].current) == 22  # the 2026 renewals are not counted again
    assert figures["zw-1-2025-total"].final and int(figures["zw-1-2025-total"].current) == 123


def test_a_behind_target_shows_its_way_on_the_dashboard(loaded, db, client):
    from portal.models import User

    client.force_login(User.objects.get(username="zw_leader"))
    response = client.get(reverse("dashboard:index"), {"as_of": AS_OF.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="register-incomplete"' in page
    assert 'data-testid="path-link"' in page
