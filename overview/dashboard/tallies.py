"""Summary rows behind the leader dashboard's counts, so that a fresh dashboard costs the same at any size.

The funnel and the regions compared count distinct enterprises over every
eligibility result, recognition, pool entry and application of the region: a
province's first view after a change read its whole register. Here those counts
are kept per region (where the rows are) and per ladder, for today
(portal.models.DashboardTally), and a dashboard sums the tallies of the regions
below it — a few thousand small rows whatever the size of the register.

Keeping them right (each measure of each region on its own):
- a region's measure is counted set-based (two grouped queries for any number of
  regions) when a view finds it missing: never counted today, or forgotten;
  days other than today are counted from the register;
- saves and deletes of recognitions, pool entries and applications forget their
  region's holders, pool or applied (signals), an enterprise's save its region's
  count, and a move everything of both regions: the next view counts one county's
  one measure again;
- writers that bypass the signals call `tallies_changed` with the enterprises and
  measures they changed — through the hooks they already call (ENTERPRISE_CHANGE_HOOKS,
  the recognition grant and revoke hooks) or directly (the eligibility recompute, the
  pool sync, generate_demo) — and the regions concerned are counted again after
  they commit, in the writer's time, not the next reader's. A region whose
  enterprises are no longer those it counted (moved by a roster import) is found
  by their ids' sum and counted again whole.

An enterprise counts once per ladder within its region, so per-region counts add
up to the distinct count of any region above. Applications are counted where they
were filed (their own region), as the dashboard always did.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Mod, Substr
from django.utils import timezone

from enterprises.models import Enterprise
from overview.dashboard.selectors.days import day_end, pool_open_on, recognition_valid_on, submitted_in_year_by
from portal.models import DashboardTally, Region
from tiers.models import Application, EligibilityResult, PoolEntry, Recognition, Verdict

ANY_TIER = 0
ENTERPRISES = "enterprises"
HOLDERS = "holders"
POOL = "pool"
ELIGIBLE = "eligible"
APPLIED = "applied"
# The region's enterprises (whenever registered) as the sum of their ids modulo a prime: a writer that moved
# enterprises without signals (a roster import) is found out by the regions whose sum changed.
MEMBERS = "members"
MEMBERS_MODULUS = 2_147_483_629
MEASURES = (ENTERPRISES, HOLDERS, POOL, ELIGIBLE, APPLIED)
# Beyond this many enterprises changed at once (a roster import, a recompute) every tally is counted again.
REFRESH_ALL_ABOVE = 200


def serves(as_of: datetime.date) -> bool:
    """Tallies are kept for today only; figures of another day are counted from the register."""
    return as_of == timezone.localdate()


# --- Counting ----------------------------------------------------------------------------


def _sources(region_ids: list[int], day: datetime.date) -> dict[str, tuple]:
    """Each measure: (rows of the regions on the day, the rows' region field)."""
    return {
        ENTERPRISES: (Enterprise.objects.filter(region_id__in=region_ids, created_at__lt=day_end(day)), "region_id"),
        HOLDERS: (
            Recognition.objects.filter(recognition_valid_on(day), enterprise__region_id__in=region_ids),
            "enterprise__region_id",
        ),
        POOL: (
            PoolEntry.objects.filter(pool_open_on(day), enterprise__region_id__in=region_ids),
            "enterprise__region_id",
        ),
        ELIGIBLE: (
            EligibilityResult.objects.filter(verdict=Verdict.MEETS, enterprise__region_id__in=region_ids),
            "enterprise__region_id",
        ),
        APPLIED: (Application.objects.filter(submitted_in_year_by(day), region_id__in=region_ids), "region_id"),
    }


def count_measure(measure: str, region_ids: list[int], day: datetime.date) -> list[DashboardTally]:
    """One measure's tallies of `region_ids` on `day`, from the register: two grouped queries for any number of regions.

    Every region gets its every-tier row, zero included: that row marks the measure as counted.
    """
    rows, field = _sources(region_ids, day)[measure]
    counted = "pk" if measure == ENTERPRISES else "enterprise_id"
    totals = {pk: 0 for pk in region_ids}
    for row in rows.values(place=F(field)).annotate(n=Count(counted, distinct=True)).order_by():
        totals[row["place"]] = row["n"]
    tallies = [
        DashboardTally(day=day, region_id=pk, ladder=ANY_TIER, measure=measure, count=n) for pk, n in totals.items()
    ]
    if measure == ENTERPRISES:
        members = _members(region_ids)
        return tallies + [
            DashboardTally(day=day, region_id=pk, ladder=ANY_TIER, measure=MEMBERS, count=members.get(pk, 0))
            for pk in region_ids
        ]
    per_ladder = (
        rows.filter(tier__rungs__isnull=False)
        .values(place=F(field), rung_ladder=F("tier__rungs__ladder_id"))
        .annotate(n=Count("enterprise_id", distinct=True))
        .order_by()
    )
    return tallies + [
        DashboardTally(day=day, region_id=row["place"], ladder=row["rung_ladder"], measure=measure, count=row["n"])
        for row in per_ladder
    ]


def _members(region_ids: list[int] | None) -> dict[int, int]:
    """Region → the sum of its enterprises' ids modulo MEMBERS_MODULUS (every region when `region_ids` is None)."""
    from enterprises.models import Enterprise

    rows = Enterprise.objects.all() if region_ids is None else Enterprise.objects.filter(region_id__in=region_ids)
    grouped = rows.values("region_id").annotate(n=Mod(Sum("pk"), Value(MEMBERS_MODULUS))).order_by()
    return {row["region_id"]: int(row["n"]) for row in grouped}


def _store(tallies: list[DashboardTally]) -> None:
    if not tallies:
        return
    try:
        with transaction.atomic():
            DashboardTally.objects.bulk_create(tallies, ignore_conflicts=True)
    except IntegrityError:  # a region deleted meanwhile: counted again next time
        pass


def _stored(measures: Iterable[str]) -> list[str]:
    """The measures as stored: the enterprises' count carries the members' sum."""
    measures = list(measures)
    return [*measures, MEMBERS] if ENTERPRISES in measures else measures


def ensure_counted(path: str, day: datetime.date) -> None:
    """Count, per measure, the regions under `path` whose tallies for `day` are missing (never counted, forgotten)."""
    regions = list(Region.objects.filter(path__startswith=path).values_list("pk", flat=True))
    present = set(
        DashboardTally.objects.filter(day=day, ladder=ANY_TIER, region__path__startswith=path).values_list(
            "region_id", "measure"
        )
    )
    tallies = []
    for measure in MEASURES:
        stale = [pk for pk in regions if (pk, measure) not in present]
        if stale:
            tallies += count_measure(measure, stale, day)
    if tallies:
        DashboardTally.objects.filter(day__lt=day).delete()  # the days before are counted from the register
    _store(tallies)


def recount(region_ids: Iterable[int], measures: Iterable[str] = MEASURES, day: datetime.date | None = None) -> None:
    """Count these regions' measures again now (a writer keeping the tallies in its own time)."""
    day = day or timezone.localdate()
    ids = sorted({pk for pk in region_ids if pk})
    measures = list(measures)
    if not ids or not measures:
        return
    with transaction.atomic():
        DashboardTally.objects.filter(region_id__in=ids, measure__in=_stored(measures)).delete()
        _store([tally for measure in measures for tally in count_measure(measure, ids, day)])


def refresh_all(day: datetime.date | None = None) -> None:
    """Count every region again now (after a change to much of the register)."""
    day = day or timezone.localdate()
    regions = list(Region.objects.values_list("pk", flat=True))
    with transaction.atomic():
        DashboardTally.objects.all().delete()
        _store([tally for measure in MEASURES for tally in count_measure(measure, regions, day)])


# --- Reading -----------------------------------------------------------------------------


def per_ladder(path: str, day: datetime.date) -> dict[str, dict[int, int]]:
    """measure → ladder → distinct enterprises of the regions under `path` (the funnel)."""
    ensure_counted(path, day)
    rows = (
        DashboardTally.objects.filter(day=day, region__path__startswith=path)
        .exclude(ladder=ANY_TIER)
        .values("measure", "ladder")
        .annotate(n=Sum("count"))
        .order_by()
    )
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        result[row["measure"]][row["ladder"]] = row["n"]
    return result


def per_child(path: str, day: datetime.date) -> dict[str, dict[str, int]]:
    """measure → child region path → distinct enterprises below it (the regions compared)."""
    ensure_counted(path, day)
    rows = (
        DashboardTally.objects.filter(day=day, ladder=ANY_TIER, region__path__startswith=path, measure__in=MEASURES)
        .annotate(child=Substr("region__path", 1, len(path) + 6))
        .values("measure", "child")
        .annotate(n=Sum("count"))
        .order_by()
    )
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["measure"]][row["child"]] = row["n"]
    return result


# --- Forgetting and recounting -----------------------------------------------------------


def forget_regions(region_ids: Iterable[int], measures: Iterable[str] = MEASURES) -> None:
    """Forget these regions' tallies of `measures` now and again once the transaction commits.

    The second time covers a reader that counted the regions from the data as it
    was before this transaction committed. The next view counts them again.
    """
    ids = sorted({pk for pk in region_ids if pk})
    if not ids:
        return
    # The members' sum goes only with the whole region: kept otherwise, it tells a later
    # tallies_changed that the region's enterprises changed (a move without signals).
    measures = list(measures)
    stored = [*measures, MEMBERS] if set(measures) == set(MEASURES) else measures
    DashboardTally.objects.filter(region_id__in=ids, measure__in=stored).delete()
    transaction.on_commit(lambda: DashboardTally.objects.filter(region_id__in=ids, measure__in=stored).delete())


def forget_all() -> None:
    DashboardTally.objects.all().delete()
    transaction.on_commit(lambda: DashboardTally.objects.all().delete())


def tallies_changed(*, enterprise_ids=None, measures: Iterable[str] = MEASURES) -> None:
    """A writer changed `measures` of these enterprises (None: of any) without model signals.

    The regions concerned are counted again once the writer's transaction commits,
    in the writer's time: a few enterprises' regions, plus any region whose
    enterprises are no longer those it counted (moved, added, removed); beyond
    REFRESH_ALL_ABOVE enterprises, every region.
    """
    regions = _regions_of(enterprise_ids)
    measures = list(measures)
    if regions is not None:
        forget_regions(regions, measures)

        def recount_changed() -> None:
            moved = _regions_whose_members_changed()
            recount(regions - moved, measures)
            recount(moved)

        transaction.on_commit(recount_changed)
        return
    forget_all()
    transaction.on_commit(refresh_all)


def _regions_of(enterprise_ids) -> set[int] | None:
    """The regions of at most REFRESH_ALL_ABOVE enterprises; None for more, or for any (None).

    `enterprise_ids` is a collection of ids, or a queryset of them standing for a subquery (the
    recompute's batch): a batch of a few enterprises, as a grant's recompute is, forgets their
    regions, not every region's tallies. One statement either way.
    """
    from enterprises.models import Enterprise

    if isinstance(enterprise_ids, list | tuple | set | frozenset):
        if len(enterprise_ids) > REFRESH_ALL_ABOVE:
            return None
        enterprise_ids = list(enterprise_ids)
    elif not isinstance(enterprise_ids, QuerySet):
        return None
    grouped = Enterprise.objects.filter(pk__in=enterprise_ids).values("region_id").annotate(n=Count("pk")).order_by()
    counts = {row["region_id"]: row["n"] for row in grouped}
    return set(counts) if sum(counts.values()) <= REFRESH_ALL_ABOVE else None


def _regions_whose_members_changed() -> set[int]:
    """Regions counted today whose enterprises are no longer those counted (moved in or out, added, removed)."""
    today = timezone.localdate()
    counted = dict(DashboardTally.objects.filter(day=today, measure=MEMBERS).values_list("region_id", "count"))
    live = _members(None)
    return {pk for pk, members in counted.items() if members != live.get(pk, 0)}


def on_enterprises_changed(*, enterprise_ids: list[int]) -> None:
    """ENTERPRISE_CHANGE_HOOKS (after commit): enterprises added or moved (a roster import, an edit)."""
    tallies_changed(enterprise_ids=enterprise_ids, measures=[ENTERPRISES])


def on_recognitions_changed(recognition_id: int | None = None, *, recognition_ids: Iterable[int] = ()) -> None:
    """RECOGNITION_BATCH_GRANTED_HOOKS and RECOGNITION_REVOKED_HOOKS (after commit)."""
    from tiers.models import Recognition

    ids = [*recognition_ids, *([recognition_id] if recognition_id else [])]
    holders = Recognition.objects.filter(pk__in=ids).values_list("enterprise_id", flat=True)
    tallies_changed(enterprise_ids=list(holders), measures=[HOLDERS])


# --- Signals -----------------------------------------------------------------------------


def on_eligibility_written(*, enterprise_ids: list[int] | None) -> None:
    """ELIGIBILITY_WRITTEN_HOOKS (in the recompute's transaction): results written set-based."""
    tallies_changed(enterprise_ids=enterprise_ids, measures=[ELIGIBLE])


def on_pool_written(*, enterprise_ids: list[int] | None) -> None:
    """POOL_WRITTEN_HOOKS (in the pool sync's transaction): entries written set-based."""
    tallies_changed(enterprise_ids=enterprise_ids, measures=[POOL])


def _forget_for_row(sender, instance, **_kwargs) -> None:
    """A saved or deleted row forgets its region's tallies of what it counts in (the next view counts them again)."""
    from enterprises.models import Enterprise
    from tiers.models import Application, PoolEntry

    if sender is Enterprise:
        forget_regions([instance.region_id], [ENTERPRISES])
    elif sender is Application:
        forget_regions([instance.region_id], [APPLIED])
    else:
        region = Enterprise.objects.filter(pk=instance.enterprise_id).values_list("region_id", flat=True)
        forget_regions(region, [POOL] if sender is PoolEntry else [HOLDERS])


def _enterprise_moving(sender, instance, **_kwargs) -> None:
    """Before an enterprise is saved: a move forgets everything of the region it leaves and of the one it joins."""
    if instance.pk:
        left = list(
            sender.objects.filter(pk=instance.pk)
            .exclude(region_id=instance.region_id)
            .values_list("region_id", flat=True)
        )
        if left:
            forget_regions([*left, instance.region_id])


def _enterprise_deleted(sender, instance, **_kwargs) -> None:
    forget_regions([instance.region_id])


def _structure_changed(**_kwargs) -> None:
    forget_all()


def connect() -> None:
    """Signals and hooks that keep the tallies; called once from overview.apps."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from enterprises import services as enterprise_services
    from enterprises.models import Enterprise
    from tiers import services as tier_services
    from tiers.models import Application, Ladder, LadderRung, PoolEntry, Recognition

    # Eligibility results are written by the recompute, set-based, which calls tallies_changed.
    for model in (Enterprise, Recognition, PoolEntry, Application):
        post_save.connect(_forget_for_row, sender=model, dispatch_uid=f"tallies-{model._meta.label}")
    for model in (Recognition, PoolEntry, Application):
        post_delete.connect(_forget_for_row, sender=model, dispatch_uid=f"tallies-{model._meta.label}")
    post_delete.connect(_enterprise_deleted, sender=Enterprise, dispatch_uid="tallies-enterprise-deleted")
    pre_save.connect(_enterprise_moving, sender=Enterprise, dispatch_uid="tallies-moving")
    for model in (Region, Ladder, LadderRung):
        uid = f"tallies-{model._meta.label}"
        post_save.connect(_structure_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_structure_changed, sender=model, dispatch_uid=uid)
    for hooks, hook in (
        (enterprise_services.ENTERPRISE_CHANGE_HOOKS, on_enterprises_changed),
        (tier_services.RECOGNITION_BATCH_GRANTED_HOOKS, on_recognitions_changed),
        (tier_services.RECOGNITION_REVOKED_HOOKS, on_recognitions_changed),
        (tier_services.ELIGIBILITY_WRITTEN_HOOKS, on_eligibility_written),
        (tier_services.POOL_WRITTEN_HOOKS, on_pool_written),
    ):
        if hook not in hooks:
            hooks.append(hook)
