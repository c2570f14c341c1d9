"""Removing a generated register (`generate_demo --reset`) with a statement per table, not per row.

QuerySet.delete() reads every enterprise into memory and then deletes what
hangs off them a few hundred ids at a time: twenty seconds for 100,000
enterprises, before their eligibility results are counted. Here each table
loses its rows in one DELETE … WHERE … IN (subquery), children before parents,
following the same on_delete rules Django's collector follows. No signals:
these rows were generated, and nobody listens for their deletion.
"""

from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Substr

from enterprises.models import Enterprise
from incentives.models import Entitlement, Payment
from portal.models import DashboardSnapshot
from seed.demo.generate.vocabulary import MARKER, REPORT_MARK
from tasks.models import TaskReport
from tiers.models import Application


def generated_enterprises() -> QuerySet[Enterprise]:
    return Enterprise.objects.annotate(marker=Substr("credit_code", 9, 2)).filter(marker=MARKER)


@transaction.atomic
def remove_generated() -> int:
    """Delete the generated enterprises and everything that hangs off them; return how many rows went."""
    enterprises = generated_enterprises().values("pk")
    # Rewards and applications protect the enterprises (and recognitions) they name: they go first.
    removed = delete_set_based(Payment.objects.filter(share__entitlement__enterprise__in=enterprises))
    removed += delete_set_based(Entitlement.objects.filter(enterprise__in=enterprises))
    removed += delete_set_based(Application.objects.filter(enterprise__in=enterprises))
    removed += delete_set_based(TaskReport.objects.filter(narrative__startswith=REPORT_MARK))
    removed += delete_set_based(DashboardSnapshot.objects.all())
    return removed + delete_set_based(Enterprise.objects.filter(pk__in=enterprises))


def delete_set_based(queryset: QuerySet, *, chain: tuple[type[models.Model], ...] = ()) -> int:
    """Delete `queryset`'s rows after what cascades from them, as the collector would but a table at a time."""
    model = queryset.model
    if model in chain:
        # A cycle of cascades: leave it to Django, which resolves them row by row.
        return queryset.delete()[0]
    removed = 0
    for relation in _relations_to(model):
        field = relation.field
        dependents = relation.related_model._base_manager.filter(**{f"{field.name}__in": queryset.values("pk")})
        if relation.on_delete is models.CASCADE:
            removed += delete_set_based(dependents, chain=(*chain, model))
        elif relation.on_delete is models.SET_NULL:
            dependents.update(**{field.name: None})
        elif relation.on_delete is not models.DO_NOTHING and dependents.exists():
            raise models.ProtectedError(
                f"{relation.related_model.__name__} rows still refer to the {model.__name__} rows being removed.",
                set(dependents[:10]),
            )
    return removed + queryset._raw_delete(queryset.db)


def _relations_to(model: type[models.Model]) -> list:
    # The relations Django's collector considers: every foreign key and one-to-one pointing here, hidden ones too.
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_one or field.one_to_many)
    ]
