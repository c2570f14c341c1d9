"""Writes of the dashboard: the daily snapshots its trend is drawn from."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, Sum, When

from enterprises.models import Enterprise
from incentives.models import EntitlementShare, Payment
from incentives.selectors import NOT_OWED
from overview.dashboard.selectors import SNAPSHOT_FIELDS, day_end, pool_open_on, recognition_valid_on
from portal.cache import figures_changed
from portal.models import DashboardSnapshot, Region
from tiers.models import EligibilityResult, PoolEntry, Recognition, Verdict

MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)


def _grouped(qs, region_field: str, value) -> dict[int, Decimal | int]:
    return {
        row["bucket"]: row["value"]
        for row in qs.values(bucket=F(region_field)).annotate(value=value).order_by()
        if row["bucket"] is not None
    }


def snapshot_figures(*, on: datetime.date) -> dict[int, dict]:
    """Every region's headline figures on `on`, rolled up the tree. Six grouped queries and the regions.

    The same definitions as the dashboard's sections (overview.dashboard.selectors):
    recognitions held on the day, pool entries open on the day, the latest
    eligibility verdicts, rewards triggered by the day and payments made by it.
    """
    per_leaf = {
        "enterprises": _grouped(Enterprise.objects.filter(created_at__lt=day_end(on)), "region_id", Count("pk")),
        "holders": _grouped(
            Recognition.objects.filter(recognition_valid_on(on)),
            "enterprise__region_id",
            Count("enterprise_id", distinct=True),
        ),
        "pool": _grouped(
            PoolEntry.objects.filter(pool_open_on(on)), "enterprise__region_id", Count("enterprise_id", distinct=True)
        ),
        "eligible": _grouped(
            EligibilityResult.objects.filter(verdict=Verdict.MEETS),
            "enterprise__region_id",
            Count("enterprise_id", distinct=True),
        ),
        "owed": _grouped(
            EntitlementShare.objects.filter(entitlement__trigger_date__lte=on).exclude(status__in=NOT_OWED),
            "entitlement__beneficiary_region_id",
            Sum("amount", output_field=MONEY),
        ),
        "paid": _grouped(
            Payment.objects.filter(paid_on__lte=on),
            "share__entitlement__beneficiary_region_id",
            Sum(Case(When(kind=Payment.Kind.CLAWBACK, then=-F("amount")), default=F("amount"), output_field=MONEY)),
        ),
    }
    regions = {region.pk: region for region in Region.objects.only("pk", "path")}
    totals: dict[int, dict] = defaultdict(lambda: dict.fromkeys(SNAPSHOT_FIELDS, 0))
    for name, values in per_leaf.items():
        for region_id, value in values.items():
            region = regions.get(region_id)
            if region is None:
                continue
            for ancestor_id in region.ancestors_and_self:
                totals[ancestor_id][name] += value or 0
    figures = {}
    for region_id in regions:
        row = totals.get(region_id) or dict.fromkeys(SNAPSHOT_FIELDS, 0)
        figures[region_id] = {
            name: float(Decimal(value).quantize(Decimal("0.01"))) if name in ("owed", "paid") else int(value)
            for name, value in row.items()
        }
    return figures


@transaction.atomic
def record_dashboard_snapshots(*, on: datetime.date) -> int:
    """Write (or rewrite) every region's snapshot for `on`. Derived figures, so not audited; idempotent."""
    figures = snapshot_figures(on=on)
    DashboardSnapshot.objects.filter(taken_on=on).delete()
    DashboardSnapshot.objects.bulk_create(
        [DashboardSnapshot(region_id=region_id, taken_on=on, figures=values) for region_id, values in figures.items()],
        batch_size=1000,
    )
    figures_changed()  # the trend reads the snapshots; bulk_create sends no model signals
    return len(figures)
