"""Writing the generated register: enterprises, yearly figures, recognitions, pool entries, applications."""

import datetime
import random
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from enterprises.models import AnnualIndicator, Enterprise
from portal.models import Region
from seed.demo.generate import planner as plan
from seed.demo.generate.tables import TableWriter, analyze, reset_sequence
from seed.demo.generate.vocabulary import APPLICATION_TIERS
from tiers.models import Application, Batch, PoolEntry, Recognition, Tier

# Enterprises planned (and written) together; part of what a seed means, since the draws go batch by batch.
BATCH = 5000


def prepare_planner(*, generator: random.Random, today: datetime.date, province: str = "") -> plan.RegisterPlanner:
    """Read what the plan draws on, and open the review batches the applications are filed in.

    `province` (a region code) places every enterprise in that province's counties and parks;
    by default they are spread over every province loaded.
    """
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    leaves = Region.objects.filter(kind__in=[Region.Kind.COUNTY, Region.Kind.PARK]).order_by("path")
    if province:
        leaves = leaves.filter(path__startswith=Region.objects.get(code=province).path)
    leaves = list(leaves)
    batches = open_batches(tiers, today)
    return plan.RegisterPlanner(
        generator=generator,
        today=today,
        tiers=tiers,
        leaves=leaves,
        regions={region.pk: region for region in Region.objects.all()},
        batches=batches,
        steps={batch.tier_id: list(batch.tier.review_chain.steps.order_by("position")) for batch in batches},
    )


def open_batches(tiers: dict[str, Tier], today: datetime.date) -> list[Batch]:
    """Last year's and this year's first batch of each tier enterprises apply for, with its review chain."""
    from tiers.applications.services import ensure_review_chain

    result = []
    for code in APPLICATION_TIERS:
        tier = tiers.get(code)
        if tier is None:
            continue
        ensure_review_chain(tier=tier)
        for year in (today.year - 1, today.year):
            batch, _created = Batch.objects.get_or_create(
                tier=tier,
                year=year,
                name=f"{year}年第一批",
                defaults={"opens_on": datetime.date(year, 3, 1), "closes_on": datetime.date(year, 12, 31)},
            )
            result.append(batch)
    return result


def write_register(
    planner: plan.RegisterPlanner, *, total: int, progress: Callable[[Counter], None] = lambda counts: None
) -> Counter:
    """Plan and write `total` enterprises with everything hanging off them, all or nothing.

    Enterprises are written with their ids (the next ones free), so that the
    rows hanging off them can name them without reading anything back.
    """
    now = timezone.now()
    writers = {
        "enterprises": TableWriter(Enterprise, plan.ENTERPRISE_COLUMNS, now=now),
        "indicators": TableWriter(
            AnnualIndicator, plan.INDICATOR_COLUMNS, now=now, constants={"sources": {"generated": True}}
        ),
        "recognitions": TableWriter(Recognition, plan.RECOGNITION_COLUMNS, now=now),
        "pool_entries": TableWriter(PoolEntry, plan.POOL_COLUMNS, now=now),
        "applications": TableWriter(Application, plan.APPLICATION_COLUMNS, now=now),
    }
    counts = Counter(dict.fromkeys(writers, 0))
    with transaction.atomic():
        first_id = (Enterprise.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        for offset in range(0, total, BATCH):
            planned = planner.batch(first_id + offset, min(BATCH, total - offset))
            for name, writer in writers.items():
                counts[name] += writer.write(getattr(planned, name))
            progress(counts)
        reset_sequence(Enterprise)
    analyze([writer.model for writer in writers.values()])
    return counts
