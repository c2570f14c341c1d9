"""Summary rows behind the leader dashboard's counts, so that a fresh dashboard costs the same at any size.

The funnel and the regions compared count distinct enterprises over every
eligibility result, recognition, pool entry and application of the region: a
province's first view after a change read its whole register. Here those counts
are kept per region (where the rows are) and per ladder, for today
(portal.models.DashboardTally), and a dashboard sums the tallies of the regions
below it — a few thousand small rows whatever the size of the register.

Keeping them right:
- a region's tallies are counted set-based (a fixed number of grouped queries for
  any number of regions) the first time they are read on a day, and again after
  a write forgot them; days other than today are counted from the register;
- saves and deletes of enterprises, recognitions, pool entries and applications forget the tallies of the rows' regions (signals);
- writers that bypass the signals forget them through the hooks they already
  call (ENTERPRISE_CHANGE_HOOKS, the recognition hooks), or by calling
  `tallies_changed` (the eligibility recompute, the pool sync, the expiry, generate_demo)
  — a change to more than REFRESH_ALL_ABOVE enterprises counts the whole register
  again at once, in the writer's time rather than the next reader's.

An enterprise counts once per ladder within its region, so per-region counts add
up to the distinct count of any region above. Applications are counted where they
were filed (their own region), as the dashboard always did.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from portal.models import DashboardTally, Region

ANY_TIER = 0
COUNTED = "counted"
ENTERPRISES = "enterprises"
HOLDERS = "holders"
POOL = "pool"
ELIGIBLE = "eligible"
APPLIED = "applied"
# Beyond this many enterprises changed at once (a roster import, a recompute) every tally is counted again.
REFRESH_ALL_ABOVE = 200


def serves(as_of: datetime.date) -> bool:
    """Tallies are kept for today only; figures of another day are counted from the register."""
    return as_of == timezone.localdate()


# --- Counting ----------------------------------------------------------------------------


def _sources(region_ids: list[int], day: datetime.date) -> dict[str, tuple]:
    """Each measure: (rows of the regions on the day, the rows' region field)."""
    from enterprises.models import Enterprise
    from portal.dashboard.selectors import day_end, pool_open_on, recognition_valid_on, submitted_in_year_by
    from tiers.models import Application, EligibilityResult, PoolEntry, Recognition, Verdict

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


def count_regions(region_ids: list[int], day: datetime.date) -> list[DashboardTally]:
    """The tallies of `region_ids` on `day`, counted from the register: nine grouped queries for any number of regions."""
    tallies = [DashboardTally(day=day, region_id=pk, ladder=ANY_TIER, measure=COUNTED) for pk in region_ids]
    if not region_ids:
        return tallies
    for measure, (rows, field) in _sources(region_ids, day).items():
        counted = "pk" if measure == ENTERPRISES else "enterprise_id"
        for row in rows.values(place=F(field)).annotate(n=Count(counted, distinct=True)).order_by():
            tallies.append(
                DashboardTally(day=day, region_id=row["place"], ladder=ANY_TIER, measure=measure, count=row["n"])
            )
        if measure == ENTERPRISES:
            continue
        per_ladder = (
            rows.filter(tier__rungs__isnull=False)
            .values(place=F(field), rung_ladder=F("tier__rungs__ladder_id"))
            .annotate(n=Count("enterprise_id", distinct=True))
            .order_by()
        )
        for row in per_ladder:
            tallies.append(
                DashboardTally(
                    day=day, region_id=row["place"], ladder=row["rung_ladder"], measure=measure, count=row["n"]
                )
            )
    return tallies


def _store(tallies: list[DashboardTally]) -> None:
    try:
        with transaction.atomic():
            DashboardTally.objects.bulk_create(tallies, ignore_conflicts=True)
    except IntegrityError:  # a region deleted meanwhile: counted again next time
        pass


def ensure_counted(path: str, day: datetime.date) -> None:
    """Count the regions under `path` whose tallies for `day` are missing (never counted, or forgotten)."""
    stale = list(
        Region.objects.filter(path__startswith=path)
        .exclude(pk__in=DashboardTally.objects.filter(day=day, measure=COUNTED).values("region_id"))
        .values_list("pk", flat=True)
    )
    if stale:
        _store(count_regions(stale, day))


def refresh_all(day: datetime.date | None = None) -> None:
    """Count every region again now (after a change to much of the register)."""
    day = day or timezone.localdate()
    DashboardTally.objects.all().delete()
    _store(count_regions(list(Region.objects.values_list("pk", flat=True)), day))


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
        DashboardTally.objects.filter(day=day, ladder=ANY_TIER, region__path__startswith=path)
        .exclude(measure=COUNTED)
        .annotate(child=Substr("region__path", 1, len(path) + 6))
        .values("measure", "child")
        .annotate(n=Sum("count"))
        .order_by()
    )
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["measure"]][row["child"]] = row["n"]
    return result


# --- Forgetting --------------------------------------------------------------------------


def forget_regions(region_ids: Iterable[int]) -> None:
    """Forget the tallies of these regions now and again once the transaction commits.

    The second time covers a reader that counted the regions from the data as it
    was before this transaction committed.
    """
    ids = sorted({pk for pk in region_ids if pk})
    if not ids:
        return
    DashboardTally.objects.filter(region_id__in=ids).delete()
    transaction.on_commit(lambda: DashboardTally.objects.filter(region_id__in=ids).delete())


def forget_all() -> None:
    DashboardTally.objects.all().delete()
    transaction.on_commit(lambda: DashboardTally.objects.all().delete())


def tallies_changed(*, enterprise_ids=None) -> None:
    """A writer changed the rows of these enterprises (None: any of them) without model signals."""
    from enterprises.models import Enterprise

    # A list of ids; anything else (None, a queryset standing for a subquery) counts as "any enterprise".
    ids = list(enterprise_ids) if isinstance(enterprise_ids, list | tuple | set | frozenset) else None
    if ids is not None and len(ids) <= REFRESH_ALL_ABOVE:
        forget_regions(Enterprise.objects.filter(pk__in=ids).values_list("region_id", flat=True))
        return

    def recount() -> None:
        refresh_all()

    forget_all()
    transaction.on_commit(recount)


def on_enterprises_changed(*, enterprise_ids: list[int]) -> None:
    """ENTERPRISE_CHANGE_HOOKS (after commit)."""
    tallies_changed(enterprise_ids=enterprise_ids)


def on_recognitions_changed(recognition_id: int | None = None, *, recognition_ids: Iterable[int] = ()) -> None:
    """RECOGNITION_BATCH_GRANTED_HOOKS and RECOGNITION_REVOKED_HOOKS (after commit)."""
    from tiers.models import Recognition

    ids = [*recognition_ids, *([recognition_id] if recognition_id else [])]
    holders = Recognition.objects.filter(pk__in=ids).values_list("enterprise_id", flat=True)
    tallies_changed(enterprise_ids=list(holders))


# --- Signals -----------------------------------------------------------------------------


def _region_of_row(sender, instance) -> list[int]:
    from enterprises.models import Enterprise
    from tiers.models import Application

    if sender is Enterprise:
        return [instance.region_id]
    if sender is Application:
        return [instance.region_id]
    return list(Enterprise.objects.filter(pk=instance.enterprise_id).values_list("region_id", flat=True))


def _row_saved(sender, instance, **_kwargs) -> None:
    forget_regions(_region_of_row(sender, instance))


def _enterprise_moving(sender, instance, **_kwargs) -> None:
    """Before an enterprise is saved: a move forgets the region it leaves too."""
    if instance.pk:
        forget_regions(
            sender.objects.filter(pk=instance.pk)
            .exclude(region_id=instance.region_id)
            .values_list("region_id", flat=True)
        )


def _structure_changed(**_kwargs) -> None:
    forget_all()


def connect() -> None:
    """Signals and hooks that keep the tallies; called once from portal.apps."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from enterprises import services as enterprise_services
    from enterprises.models import Enterprise
    from tiers import services as tier_services
    from tiers.models import Application, Ladder, LadderRung, PoolEntry, Recognition

    # Eligibility results are written by the recompute, set-based, which calls tallies_changed.
    for model in (Enterprise, Recognition, PoolEntry, Application):
        uid = f"tallies-{model._meta.label}"
        post_save.connect(_row_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_row_saved, sender=model, dispatch_uid=uid)
    pre_save.connect(_enterprise_moving, sender=Enterprise, dispatch_uid="tallies-moving")
    for model in (Region, Ladder, LadderRung):
        uid = f"tallies-{model._meta.label}"
        post_save.connect(_structure_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_structure_changed, sender=model, dispatch_uid=uid)
    for hooks, hook in (
        (enterprise_services.ENTERPRISE_CHANGE_HOOKS, on_enterprises_changed),
        (tier_services.RECOGNITION_BATCH_GRANTED_HOOKS, on_recognitions_changed),
        (tier_services.RECOGNITION_REVOKED_HOOKS, on_recognitions_changed),
    ):
        if hook not in hooks:
            hooks.append(hook)
