"""Batches and review chains: the data that decides when and by whom applications are reviewed."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.audit import record_event, snapshot
from portal.exceptions import ServiceError
from portal.models import AuditEvent, Region, User
from tiers.applications.models import Batch, ReviewChain, ReviewLevel, ReviewStep
from tiers.models import Level, Tier

# Default chains by the tier's issuing level: (steps as (level, time limit in days), decided at).
# A 市级 tier ends at the city, which decides; higher tiers pass county and city and
# are recommended to the province, whose staff (or administrators) record the result.
DEFAULT_CHAINS: dict[str, tuple[list[tuple[ReviewLevel, int]], ReviewLevel]] = {
    Level.CITY: ([(ReviewLevel.COUNTY, 10), (ReviewLevel.CITY, 15)], ReviewLevel.CITY),
    Level.PROVINCIAL: ([(ReviewLevel.COUNTY, 10), (ReviewLevel.CITY, 15)], ReviewLevel.PROVINCE),
    Level.NATIONAL: ([(ReviewLevel.COUNTY, 10), (ReviewLevel.CITY, 15)], ReviewLevel.PROVINCE),
}

BATCH_FIELDS = ("tier", "year", "name", "opens_on", "closes_on", "region")


@transaction.atomic
def ensure_review_chain(*, tier: Tier) -> ReviewChain:
    """The tier's chain, created from the default for its level when it has none (administrators edit it after)."""
    chain = ReviewChain.objects.filter(tier=tier).first()
    if chain is not None:
        return chain
    steps, decision_level = DEFAULT_CHAINS[tier.level]
    chain, created = ReviewChain.objects.get_or_create(
        tier=tier,
        # A city-level tier's process publishes its list (公示) before the city's 认定.
        defaults={"decision_level": decision_level, "requires_publicity": tier.level == Level.CITY},
    )
    if created:
        ReviewStep.objects.bulk_create(
            [
                ReviewStep(chain=chain, position=position, level=level, time_limit_days=days)
                for position, (level, days) in enumerate(steps, start=1)
            ]
        )
    return chain


@transaction.atomic
def create_batch(
    *,
    actor: User | None,
    tier: Tier,
    year: int,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    region: Region | None = None,
) -> Batch:
    """Open a call for applications to `tier`, run by `region` (a city or province; None for a national call).

    Who may open it is tiers.applications.permissions.batch_refusal: the department leading the tier there.
    """
    if closes_on < opens_on:
        raise ServiceError(_("A batch cannot close before it opens."), code="closes_on")
    duplicate = ServiceError(
        _("%(tier)s already has a batch “%(name)s” in %(year)s.") % {"tier": tier, "name": name, "year": year},
        code="name",
    )
    if Batch.objects.filter(tier=tier, year=year, name=name.strip(), region=region).exists():
        raise duplicate
    try:
        # The same batch opened twice at the same moment: the unique constraint decides, with the same message.
        with transaction.atomic():
            batch = Batch.objects.create(
                tier=tier,
                year=year,
                name=name.strip(),
                opens_on=opens_on,
                closes_on=closes_on,
                region=region,
                created_by=actor,
            )
    except IntegrityError as error:
        raise duplicate from error
    ensure_review_chain(tier=tier)
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=batch,
        region=region,
        changes={key: [None, value] for key, value in snapshot(batch, BATCH_FIELDS).items()},
    )
    return batch


def regions_by_level(region: Region) -> dict[str, Region]:
    """The region's ancestors (and itself) that review at each level; one query.

    The county level is the nearest county or park: parks act like counties.
    """
    ancestors = sorted(Region.objects.filter(pk__in=region.ancestors_and_self), key=lambda r: r.depth)
    found: dict[str, Region] = {}
    for ancestor in ancestors:
        if ancestor.kind in (Region.Kind.COUNTY, Region.Kind.PARK):
            found[ReviewLevel.COUNTY] = ancestor
        elif ancestor.kind == Region.Kind.CITY:
            found[ReviewLevel.CITY] = ancestor
        elif ancestor.kind == Region.Kind.PROVINCE:
            found[ReviewLevel.PROVINCE] = ancestor
    return found
