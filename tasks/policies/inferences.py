"""What the loader inferred rather than read (推定): recorded beside the value, and a person's decision kept on reload.

Three things are inferred:

- a measure's lead unit, where the document names units but no 牵头单位 and does
  not state that the first listed leads (西宁's 9 measures, 宁夏's 15): the first
  listed unit is taken;
- a task's baseline derived from the document's numbers (中卫: 70 − 6 − 9 = 55), shared by its targets;
- a policy's plan period, where the document does not state it.

Once an administrator confirmed or changed one (tasks.services.decide_inference),
the loader applies the decided value instead of its own inference.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from portal.audit import audit_rows
from portal.models import AuditEvent
from tasks.models import Inference, Measure, MeasureUnit, Policy, Target
from tasks.policies.documents import PolicySource
from tasks.policies.parsing import ParsedPolicy

FIRST_LISTED_LEADS = "列第一位的为牵头单位"
LEAD_RULE = "文件未写明牵头单位，按惯例取所列第一个单位（{name}）为牵头单位。"
PLAN_RULE = "文件未写明计划期：{notes}"
BASELINE_RULE = "由文件数字推算：{derivation}"


def decided_value(obj, field: str):
    """The value a person decided for one inference about `obj`, or None while it is only inferred."""
    row = (
        Inference.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, field=field
        )
        .exclude(state=Inference.State.INFERRED)
        .first()
    )
    return row.value if row is not None else None


def decided_lead_units(policy: Policy) -> dict[int, int]:
    """Measure id → the lead department an administrator decided, for the policy's measures."""
    rows = Inference.objects.filter(
        content_type=ContentType.objects.get_for_model(Measure),
        object_id__in=Measure.objects.filter(policy=policy).values("pk"),
        field="lead_unit",
    ).exclude(state=Inference.State.INFERRED)
    return {row.object_id: row.value for row in rows}


def sync_inferences(
    *,
    policy: Policy,
    source: PolicySource,
    parsed: ParsedPolicy,
    measures: dict[str, Measure],
    targets: list[Target],
) -> None:
    """Record the loader's inferences for one policy, and apply any decision a person made on them."""
    wanted: list[tuple[object, str, object, str]] = []
    if source.is_plan_inferred:
        value = [policy.plan_start.isoformat(), policy.plan_end.isoformat()] if policy.plan_start else None
        wanted.append((policy, "plan_period", value, PLAN_RULE.format(notes=source.notes)))
    if FIRST_LISTED_LEADS not in parsed.text:
        leads = {
            link.measure_id: link.department
            for link in MeasureUnit.objects.filter(measure__policy=policy, is_lead=True).select_related("department")
        }
        for parsed_measure in parsed.measures:
            measure = measures[parsed_measure.number]
            lead = leads.get(measure.pk)
            if not parsed_measure.lead_text and lead is not None:
                wanted.append((measure, "lead_unit", lead.pk, LEAD_RULE.format(name=lead.name)))
    by_measure = {}
    for target in targets:
        if target.baseline_source == Target.BaselineSource.DERIVED and target.baseline is not None:
            by_measure.setdefault(target.measure_id, target)
    for measure in measures.values():
        target = by_measure.get(measure.pk)
        if target is not None:
            value = format(target.baseline.normalize(), "f")
            wanted.append((measure, "baseline", value, BASELINE_RULE.format(derivation=target.derivation)))
    _store(policy, wanted, measures=list(measures.values()), targets=targets)


def _store(policy: Policy, wanted: list[tuple[object, str, object, str]], *, measures, targets) -> None:
    types = {model: ContentType.objects.get_for_model(model) for model in (Policy, Measure, Target)}
    mine = (
        Q(content_type=types[Policy], object_id=policy.pk)
        | Q(content_type=types[Measure], object_id__in=[m.pk for m in measures])
        | Q(content_type=types[Target], object_id__in=[t.pk for t in targets])
    )
    existing = {(row.content_type_id, row.object_id, row.field): row for row in Inference.objects.filter(mine)}
    keys = {(types[type(obj)].pk, obj.pk, field) for obj, field, *_rest in wanted}
    # An inference the documents no longer call for goes, unless a person decided it.
    stale = [row.pk for key, row in existing.items() if key not in keys and not row.is_decided]
    Inference.objects.filter(pk__in=stale).delete()
    created = []
    for obj, field, value, rule in wanted:
        content_type = types[type(obj)]
        row = existing.get((content_type.pk, obj.pk, field))
        if row is None:
            row = Inference.objects.create(
                content_type=content_type, object_id=obj.pk, field=field, value=value, rule=rule
            )
            created.append(row)
        elif row.is_decided:
            apply_value(obj, field, row.value)
        elif (row.value, row.rule) != (value, rule):
            row.value, row.rule = value, rule
            row.save(update_fields=["value", "rule"])
    if created:
        audit_rows(
            actor=None,
            action=AuditEvent.Action.IMPORT,
            model=Inference,
            rows=[(row.pk, str(row), {"rule": [None, row.rule]}) for row in created],
            region_ids=[policy.region_id] * len(created),
            note="inferred by the loader",
        )


def apply_value(obj, field: str, value) -> None:
    """Put a decided value on its object (the loader and services.decide_inference share this)."""
    if field == "lead_unit":
        links = list(MeasureUnit.objects.filter(measure=obj))
        for link in links:
            is_lead = link.department_id == value
            if link.is_lead != is_lead:
                link.is_lead = is_lead
                link.save(update_fields=["is_lead"])
    elif field == "baseline":
        baseline = Decimal(str(value)) if value not in (None, "") else None
        Target.objects.filter(measure=obj, baseline_source=Target.BaselineSource.DERIVED).exclude(
            baseline=baseline
        ).update(baseline=baseline)
    elif field == "plan_period" and value:
        start, end = (datetime.date.fromisoformat(day) for day in value)
        if (obj.plan_start, obj.plan_end) != (start, end):
            obj.plan_start, obj.plan_end = start, end
            obj.save(update_fields=["plan_start", "plan_end"])
