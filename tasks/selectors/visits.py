"""Service follow-up: commissioners' visits to enterprises, the enterprises being cultivated, and 博州's rule that
each of them is visited every quarter."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from enterprises.models import Enterprise
from portal.models import User
from portal.selectors import scope_filter
from tasks import periods
from tasks.models import ServiceVisit
from tiers.models import PoolEntry, Recognition

CULTIVATED_TIERS = ("innovative-sme", "srdi-sme", "little-giant")


def visits_visible_to(user: User) -> QuerySet[ServiceVisit]:
    qs = ServiceVisit.objects.select_related("enterprise__region", "commissioner")
    if user.is_staff_member or user.is_leader or user.is_admin:
        return qs.filter(Q(scope_filter(user, "enterprise__region")) | Q(commissioner=user))
    return qs.filter(commissioner=user)


def visitable_enterprises(user: User) -> QuerySet[Enterprise]:
    """Enterprises the user may log a visit to: those of their scope and those they are commissioner of."""
    return Enterprise.objects.filter(Q(scope_filter(user)) | Q(service_commissioner=user))


def cultivated_enterprises(user: User, *, on: datetime.date) -> QuerySet[Enterprise]:
    """Enterprises in an open pool entry or holding a valid 专精特新-ladder recognition, in the user's scope."""
    in_pool = PoolEntry.objects.filter(enterprise=OuterRef("pk"), left_at__isnull=True)
    holding = Recognition.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        enterprise=OuterRef("pk"),
        status=Recognition.Status.VALID,
        tier__code__in=CULTIVATED_TIERS,
        recognized_on__lte=on,
    )
    return (
        Enterprise.objects.filter(scope_filter(user))
        .filter(Exists(in_pool) | Exists(holding))
        .select_related("region", "service_commissioner")
    )


@dataclass
class VisitTally:
    name: str
    enterprises: int = 0
    visited: int = 0
    missed_names: list[str] = field(default_factory=list)

    @property
    def is_met(self) -> bool:
        return self.enterprises > 0 and self.visited == self.enterprises

    @property
    def missed(self) -> int:
        return self.enterprises - self.visited


def quarterly_visit_compliance(user: User, *, quarter: periods.Period) -> tuple[list[VisitTally], list[VisitTally]]:
    """博州's rule — every cultivated enterprise visited at least once a quarter — per county and per commissioner.

    Two queries: the cultivated enterprises and the enterprises visited in the quarter.
    """
    enterprises = list(cultivated_enterprises(user, on=quarter.end))
    visited = set(
        ServiceVisit.objects.filter(
            enterprise_id__in=[e.pk for e in enterprises], visited_on__gte=quarter.start, visited_on__lte=quarter.end
        ).values_list("enterprise_id", flat=True)
    )
    by_region: dict[str, VisitTally] = {}
    by_commissioner: dict[str, VisitTally] = {}
    for enterprise in enterprises:
        commissioner = str(enterprise.service_commissioner) if enterprise.service_commissioner else "—"
        for tallies, name in ((by_region, enterprise.region.name), (by_commissioner, commissioner)):
            tally = tallies.setdefault(name, VisitTally(name=name))
            tally.enterprises += 1
            if enterprise.pk in visited:
                tally.visited += 1
            else:
                tally.missed_names.append(enterprise.name)
    return sorted(by_region.values(), key=lambda t: t.name), sorted(by_commissioner.values(), key=lambda t: t.name)
