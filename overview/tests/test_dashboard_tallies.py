"""The dashboard's kept tallies give exactly the counts of the register, on random data and after random writes."""

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.models import Enterprise
from enterprises.services import on_enterprises_changed, update_enterprise
from overview.dashboard import kept_holdings, tallies
from overview.dashboard.selectors import dashboard_figures, recognition_valid_on, viewer_for
from overview.dashboard.selectors.progress import _funnel_counts, _regions_counts
from portal.models import DashboardTally, Region
from tasks.figures import target_figures
from tasks.selectors import targets_visible_to
from tiers.eligibility import recompute_eligibility
from tiers.models import Application, Ladder, PoolEntry, Recognition, Tier
from tiers.services import add_to_pool, expire_recognitions, grant_recognition, remove_from_pool, revoke_recognition

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_tallies_match_the_register() -> None:
    """Every region's funnel and regions compared: the tallies' counts equal the register's, counted afresh."""
    today = timezone.localdate()
    ladder_ids = list(Ladder.objects.values_list("pk", flat=True))
    for region in Region.objects.filter(depth__lte=2).order_by("path"):
        viewer = viewer_for(region)
        kept = tallies.per_ladder(region.path, today)
        fresh = _funnel_counts(viewer, region, today, ladder_ids)
        for measure, counted in zip(
            (tallies.POOL, tallies.ELIGIBLE, tallies.APPLIED, tallies.HOLDERS), fresh, strict=True
        ):
            assert {k: v for k, v in kept[measure].items() if v} == {k: v for k, v in counted.items() if v}, (
                region.name,
                measure,
            )
        kept_children = tallies.per_child(region.path, today)
        fresh_children = _regions_counts(viewer, region, today)
        children = list(Region.objects.filter(parent=region).values_list("path", flat=True))
        for measure, counted in zip(tallies.MEASURES, fresh_children, strict=True):
            assert [kept_children[measure].get(path, 0) for path in children] == [
                counted.get(path, 0) for path in children
            ], (region.name, measure)


def _figures(figures) -> list[tuple]:
    """What a target card and its lists show, in an order that does not depend on the order rows were read in."""
    return [
        (
            pk,
            figure.current,
            figure.current_today,
            figure.expected,
            figure.start_value,
            figure.status,
            figure.reason,
            figure.detail,
            figure.years,
            figure.baseline,
            figure.coverage,
            sorted(figure.counted, key=repr),
            sorted(figure.excluded, key=repr),
            [(region.pk, count) for region, count in figure.breakdown],
        )
        for pk, figure in sorted(figures.items())
    ]


def _assert_kept_target_figures_equal_reading_afresh() -> int:
    """Every province's and city's target cards from kept recognitions (a view, twice) equal those read now."""
    today = timezone.localdate()
    counted = 0
    for region in Region.objects.filter(depth__lte=2).order_by("path"):
        targets = list(targets_visible_to(viewer_for(region)).filter(region__path__startswith=region.path))
        tallies.ensure_counted(region.path, today)  # as the funnel does on the same view
        fresh = _figures(target_figures(targets, as_of=today))
        for _view in range(2):
            assert _figures(target_figures(targets, as_of=today, holdings=kept_holdings.kept_holdings)) == fresh, (
                region.name
            )
        counted += sum(len(row[11]) for row in fresh)
    return counted


def _random_writes(generator: random.Random, admin) -> None:
    """A few of each kind of write a user or a job makes, on random enterprises."""
    enterprises = list(Enterprise.objects.order_by("pk"))
    counties = list(Region.objects.filter(kind=Region.Kind.COUNTY).order_by("pk"))
    tiers = list(Tier.objects.filter(rungs__isnull=False).distinct().order_by("pk"))
    today = timezone.localdate()
    for enterprise in generator.sample(enterprises, 3):
        # A move to another county: both counties' tallies change.
        update_enterprise(actor=admin, enterprise=enterprise, region=generator.choice(counties))
    for enterprise in generator.sample(enterprises, 2):
        # Listed or not is read by the listed-enterprise targets: an edit, no move.
        update_enterprise(actor=admin, enterprise=enterprise, is_listed=not enterprise.is_listed)
    for enterprise in generator.sample(enterprises, 3):
        grant_recognition(actor=admin, enterprise=enterprise, tier=generator.choice(tiers), recognized_on=today)
    for recognition in generator.sample(list(Recognition.objects.filter(status=Recognition.Status.VALID)), 2):
        revoke_recognition(actor=admin, recognition=recognition, reason="随机撤销", revoked_on=today)
    for enterprise in generator.sample(enterprises, 3):
        tier = generator.choice(tiers)
        if not PoolEntry.objects.filter(enterprise=enterprise, tier=tier, left_at__isnull=True).exists():
            add_to_pool(actor=admin, enterprise=enterprise, tier=tier, reason="随机入库")
    for entry in generator.sample(list(PoolEntry.objects.filter(left_at__isnull=True)), 2):
        remove_from_pool(actor=admin, entry=entry, reason="随机出库")
    for application in generator.sample(list(Application.objects.all()), 2):
        application.delete()
    # A bulk writer that bypasses the signals and announces through the hook, as the roster importer does:
    # the counties the enterprises left are found out too.
    moved = [item.pk for item in generator.sample(enterprises, 2)]
    with transaction.atomic():
        Enterprise.objects.filter(pk__in=moved).update(region=generator.choice(counties))
        on_enterprises_changed(enterprise_ids=moved)
    recompute_eligibility(enterprise_ids=[item.pk for item in generator.sample(enterprises, 20)])
    expire_recognitions(actor=admin, today=today)


@pytest.mark.parametrize("seed", [3, 2026])
def test_tallies_equal_counting_afresh_on_random_data_and_after_random_writes(seed, admin_user):
    generator = random.Random(seed)
    call_command("generate_demo", enterprises=generator.randint(150, 300), seed=seed, stdout=io.StringIO())
    _assert_tallies_match_the_register()
    assert DashboardTally.objects.filter(measure=tallies.ELIGIBLE).exclude(ladder=tallies.ANY_TIER).exists()
    assert _assert_kept_target_figures_equal_reading_afresh() > 0

    _random_writes(generator, admin_user)
    _assert_tallies_match_the_register()
    _assert_kept_target_figures_equal_reading_afresh()


def test_a_grant_has_the_next_view_count_one_county_s_holders_again_and_nothing_else(admin_user):
    call_command("generate_demo", enterprises=120, seed=5, stdout=io.StringIO())
    province = Region.objects.get(code="640000")
    today = timezone.localdate()
    DashboardTally.objects.all().delete()
    dashboard_figures(province, as_of=today)
    regions = Region.objects.filter(path__startswith=province.path).count()
    marks = DashboardTally.objects.filter(ladder=tallies.ANY_TIER, measure__in=tallies.MEASURES)
    assert marks.count() == regions * len(tallies.MEASURES)

    enterprise = Enterprise.objects.filter(region__path__startswith=province.path).first()
    tier = Tier.objects.filter(rungs__isnull=False).first()
    grant_recognition(actor=admin_user, enterprise=enterprise, tier=tier, recognized_on=today)
    # The grant's hooks have counted the county's holders again after it committed; nothing else was forgotten.
    assert marks.count() == regions * len(tallies.MEASURES)
    holders = DashboardTally.objects.get(
        day=today, region=enterprise.region, ladder=tallies.ANY_TIER, measure=tallies.HOLDERS
    )
    assert holders.count == (
        Recognition.objects.filter(recognition_valid_on(today), enterprise__region=enterprise.region)
        .values("enterprise")
        .distinct()
        .count()
    )
    after = dashboard_figures(province, as_of=today)
    regions_section = next(item for item in after["sections"] if item["key"] == "regions")
    fresh = _regions_counts(viewer_for(province), province, today)[1]
    children = Region.objects.filter(parent=province).order_by("path")
    assert [row[2] for row in regions_section["rows"]] == [fresh.get(child.path, 0) for child in children]


def test_after_a_grant_the_target_cards_read_again_only_the_granted_county_s_recognitions(admin_user):
    call_command("generate_demo", enterprises=150, seed=7, stdout=io.StringIO())
    province = Region.objects.get(code="640000")
    today = timezone.localdate()
    kept_holdings.forget_kept()
    dashboard_figures(province, as_of=today)
    targets = list(targets_visible_to(viewer_for(province)).filter(region__path__startswith=province.path))

    def recognitions_read() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            kept = _figures(target_figures(targets, as_of=today, holdings=kept_holdings.kept_holdings))
        assert kept == _figures(target_figures(targets, as_of=today))
        return [q["sql"] for q in captured.captured_queries if '"tiers_recognition"' in q["sql"]]

    assert recognitions_read() == []  # every county's tallies stand: nothing read
    enterprise = Enterprise.objects.filter(region__path__startswith=province.path).order_by("pk").first()
    tier = Tier.objects.filter(rungs__isnull=False).order_by("pk").first()
    grant_recognition(actor=admin_user, enterprise=enterprise, tier=tier, recognized_on=today)
    (read,) = recognitions_read()
    assert f"IN ({enterprise.region_id})" in read
    assert recognitions_read() == []

    # Inside a transaction nothing is kept or used: its writes are its own until it commits.
    with transaction.atomic():
        assert len(recognitions_read()) == 1
