"""Which policies, tasks (measures), targets and contradictions a user may see: the scope every other read of the
tasks app starts from."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from portal.models import User
from portal.selectors import scope_filter
from tasks.models import Measure, MeasureUnit, Policy, Target, TargetConflict


def _unit_links() -> Prefetch:
    return Prefetch(
        "unit_links",
        queryset=MeasureUnit.objects.select_related("department__region").order_by("order"),
        to_attr="prefetched_unit_links",
    )


def policies_visible_to(user: User) -> QuerySet[Policy]:
    """See permissions.can_view_policy: the same rule as a queryset."""
    qs = Policy.objects.select_related("region")
    if user.is_liaison:
        if user.department_id is None:
            return qs.none()
        return qs.filter(
            Exists(MeasureUnit.objects.filter(measure__policy=OuterRef("pk"), department_id=user.department_id))
        )
    scope = user.scope_path
    if scope is None:
        return qs.none()
    if scope == "":
        return qs
    carried = MeasureUnit.objects.filter(measure__policy=OuterRef("pk"), department__region__path__startswith=scope)
    # The documents of the jurisdictions above the user (their city's, their province's) bind them too.
    above = Q(region_id__in=user.region.ancestors_and_self) if user.region is not None else Q(pk__in=[])
    return qs.filter(Q(region__path__startswith=scope) | above | Exists(carried))


def measures_visible_to(user: User) -> QuerySet[Measure]:
    qs = Measure.objects.select_related("policy__region").prefetch_related(_unit_links())
    if user.is_liaison:
        if user.department_id is None:
            return qs.none()
        return qs.filter(Exists(MeasureUnit.objects.filter(measure=OuterRef("pk"), department_id=user.department_id)))
    return qs.filter(policy__in=policies_visible_to(user))


def targets_visible_to(user: User) -> QuerySet[Target]:
    """Targets of visible policies whose region lies in the user's scope (a liaison: of their tasks' policies)."""
    qs = Target.objects.select_related("region", "policy", "measure").prefetch_related("tiers")
    qs = qs.filter(policy__in=policies_visible_to(user))
    return qs if user.is_liaison else qs.filter(scope_filter(user))


def policy_for(user: User, pk: int) -> Policy | None:
    return policies_visible_to(user).filter(pk=pk).first()


def measure_for(user: User, pk: int) -> Measure | None:
    return measures_visible_to(user).filter(pk=pk).first()


def conflicts_visible_to(user: User) -> QuerySet[TargetConflict]:
    """Contradictions in the policies the user can see, open ones first."""
    return (
        TargetConflict.objects.filter(policy__in=policies_visible_to(user))
        .select_related("policy__region", "first__measure", "second__measure", "chosen", "decided_by")
        .order_by("-state", "policy_id", "pk")
    )


def conflict_for(user: User, pk: int) -> TargetConflict | None:
    return conflicts_visible_to(user).filter(pk=pk).first()
