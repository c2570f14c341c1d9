"""What the policy loader inferred rather than read (推定): an object's inference, and every inference of the
policies a user can see with its subject and a readable value."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from portal.models import User
from tasks.models import Inference, Measure, Policy, Target
from tasks.selectors.policies import _unit_links, policies_visible_to


def inferences_for(objects, *, field: str) -> dict[int, Inference]:
    """Object id → the loader's inference of `field` about it (one query), for objects of one model."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    rows = Inference.objects.filter(content_type=content_type, object_id__in=[obj.pk for obj in objects], field=field)
    return {row.object_id: row for row in rows}


@dataclass
class InferenceRow:
    inference: Inference
    subject: object
    policy: Policy
    what: str
    shown: str


def inferences_visible_to(user: User) -> list[InferenceRow]:
    """What the loader inferred in the policies the user can see, each with its object and a readable value.

    A fixed number of queries: the inferences, then each kind of object they are about.
    """
    policies = {policy.pk: policy for policy in policies_visible_to(user)}
    types = {model: ContentType.objects.get_for_model(model) for model in (Policy, Measure, Target)}
    measures = {m.pk: m for m in Measure.objects.filter(policy_id__in=policies).prefetch_related(_unit_links())}
    targets = {t.pk: t for t in Target.objects.filter(policy_id__in=policies).select_related("measure")}
    subjects: dict[int, dict[int, Policy | Measure | Target]] = {
        types[Policy].pk: dict(policies),
        types[Measure].pk: dict(measures),
        types[Target].pk: dict(targets),
    }
    rows = []
    for inference in Inference.objects.filter(content_type__in=types.values()).order_by("pk"):
        subject = subjects.get(inference.content_type_id, {}).get(inference.object_id)
        if subject is None:
            continue
        policy = subject if isinstance(subject, Policy) else policies[subject.policy_id]
        rows.append(InferenceRow(inference, subject, policy, *_describe(inference, subject)))
    return rows


def _describe(inference: Inference, subject) -> tuple[str, str]:
    if inference.field == "lead_unit":
        names = {link.department_id: link.department.name for link in subject.prefetched_unit_links}
        return _("Lead unit of task %(number)s") % {"number": subject.number}, names.get(inference.value, "—")
    if inference.field == "baseline":
        return _("Baseline of task %(number)s") % {"number": subject.number}, str(inference.value)
    if inference.field == "plan_period" and inference.value:
        return _("Plan period"), " – ".join(inference.value)
    return inference.field, str(inference.value)


def inference_for(user: User, pk: int) -> InferenceRow | None:
    return next((row for row in inferences_visible_to(user) if row.inference.pk == pk), None)
