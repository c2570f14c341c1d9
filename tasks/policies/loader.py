"""Loading the five documents into policies, measures, units and targets. Running it twice changes nothing."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from portal.audit import audit_rows, record_event
from portal.models import AuditEvent, Region
from portal.reference import UnitResolver
from tasks.models import Measure, MeasureUnit, Policy, Target, TargetConflict
from tasks.policies.documents import SOURCES, PolicySource, read_document
from tasks.policies.inferences import decided_lead_units, decided_value, sync_inferences
from tasks.policies.parsing import PARSERS, DocumentFormatError, ParsedMeasure, ParsedPolicy
from tasks.policies.targets import TargetSet, targets_for
from tiers.models import Tier

MEASURE_FIELDS = ("number", "section", "title", "text", "units_text", "unresolved_units")
TARGET_FIELDS = (
    "label", "kind", "metric", "year", "since_year", "value", "value_max", "comparator", "unit",
    "baseline", "baseline_source", "derivation", "quote", "unmeasured_reason", "order",
)  # fmt: skip


@transaction.atomic
def load_policies(folder: Path | None = None) -> dict[str, int]:
    """Read every document and bring the database in line with it."""
    regions = {region.code: region for region in Region.objects.all()}
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    counts = {"policies": 0, "measures": 0, "targets": 0, "target_conflicts": 0}
    for source in SOURCES:
        parsed = PARSERS[source.code](read_document(source.filename, folder))
        region = regions.get(source.region_code)
        if region is None:
            raise DocumentFormatError(
                f"region {source.region_code} is not loaded; run load_regions_and_departments first"
            )
        policy = _load_policy(source, parsed, region)
        measures = _load_measures(policy, parsed.measures, UnitResolver(region))
        target_set = targets_for(source.code, parsed)
        loaded = _load_targets(policy, target_set, measures, region, tiers)
        sync_inferences(
            policy=policy, source=source, parsed=parsed, measures=measures, targets=list(policy.targets.all())
        )
        counts["policies"] += 1
        counts["measures"] += len(measures)
        counts["targets"] += loaded
        counts["target_conflicts"] += len(target_set.conflicts)
    return counts


def _load_policy(source: PolicySource, parsed: ParsedPolicy, region: Region) -> Policy:
    values = {
        "title": parsed.title,
        "short_title": source.short_title,
        "issuer": source.issuer,
        "document_number": parsed.document_number,
        "issued_on": parsed.issued_on,
        "region": region,
        "plan_start": source.plan_start,
        "plan_end": source.plan_end,
        "source_file": source.filename,
        "reporting_cycle": source.reporting_cycle,
        "notes": source.notes,
    }
    policy = Policy.objects.filter(code=source.code).first()
    if policy is not None and (decided := decided_value(policy, "plan_period")):
        values["plan_start"], values["plan_end"] = (datetime.date.fromisoformat(day) for day in decided)
    if policy is None:
        policy = Policy.objects.create(code=source.code, **values)
        record_event(actor=None, action=AuditEvent.Action.IMPORT, instance=policy, region=region, note=source.filename)
        return policy
    changed = {
        name: [str(getattr(policy, name)), str(value)]
        for name, value in values.items()
        if getattr(policy, name) != value
    }
    if changed:
        for name, value in values.items():
            setattr(policy, name, value)
        policy.save()
        record_event(actor=None, action=AuditEvent.Action.UPDATE, instance=policy, region=region, changes=changed)
    return policy


def _resolve(parsed: ParsedMeasure, resolver: UnitResolver) -> tuple[list[tuple[int, bool]], list[str]]:
    """(department id, is lead) in document order, and the fragments nothing matched."""
    if parsed.lead_text:
        groups = [(parsed.lead_text, True), (parsed.supporting_text, False)]
    else:
        groups = [(parsed.units_text, None)]
    units: list[tuple[int, bool]] = []
    unresolved: list[str] = []
    for text, is_lead in groups:
        for unit in resolver.resolve(text):
            if unit.department is None:
                unresolved.append(unit.text)
            elif all(department_id != unit.department.pk for department_id, _lead in units):
                # Without separate columns the first unit listed leads ("列第一位的为牵头单位").
                units.append((unit.department.pk, is_lead if is_lead is not None else not units))
    return units, unresolved


def _load_measures(policy: Policy, parsed_measures: list[ParsedMeasure], resolver: UnitResolver) -> dict[str, Measure]:
    existing = {measure.order: measure for measure in policy.measures.all()}
    current_units = {}
    for link in MeasureUnit.objects.filter(measure__policy=policy).order_by("order"):
        current_units.setdefault(link.measure_id, []).append((link.department_id, link.is_lead))
    audit: list[tuple[int, str, dict]] = []
    measures: dict[str, Measure] = {}
    decided_leads = decided_lead_units(policy)
    for order, parsed in enumerate(parsed_measures, start=1):
        units, unresolved = _resolve(parsed, resolver)
        values = {
            "number": parsed.number,
            "section": parsed.section,
            "title": parsed.title,
            "text": parsed.text,
            "units_text": parsed.units_text,
            "unresolved_units": unresolved,
        }
        measure = existing.pop(order, None)
        if measure is None:
            measure = Measure.objects.create(policy=policy, order=order, **values)
            audit.append((measure.pk, str(measure), {"number": [None, parsed.number]}))
        else:
            changes = {k: [getattr(measure, k), v] for k, v in values.items() if getattr(measure, k) != v}
            if changes:
                for name, value in values.items():
                    setattr(measure, name, value)
                measure.save()
                audit.append((measure.pk, str(measure), changes))
        if measure.pk in decided_leads:
            # An administrator decided who leads where the document is silent: a reload keeps it.
            units = [(department_id, department_id == decided_leads[measure.pk]) for department_id, _lead in units]
        if current_units.get(measure.pk, []) != units:
            measure.unit_links.all().delete()
            MeasureUnit.objects.bulk_create(
                [
                    MeasureUnit(measure=measure, department_id=department_id, is_lead=is_lead, order=position)
                    for position, (department_id, is_lead) in enumerate(units, start=1)
                ]
            )
            if not any(pk == measure.pk for pk, _text, _changes in audit):
                audit.append((measure.pk, str(measure), {"units": ["…", parsed.units_text]}))
        measures[parsed.number] = measure
    for stale in existing.values():
        stale.delete()
    if audit:
        audit_rows(
            actor=None,
            action=AuditEvent.Action.IMPORT,
            model=Measure,
            rows=audit,
            region_ids=[policy.region_id] * len(audit),
        )
    return measures


def _load_targets(
    policy: Policy, target_set: TargetSet, measures: dict[str, Measure], region: Region, tiers: dict[str, Tier]
) -> int:
    below = {r.name: r for r in Region.objects.filter(path__startswith=region.path)}
    existing = {target.key: target for target in policy.targets.prefetch_related("tiers")}
    by_key: dict[str, Target] = {}
    audit: list[tuple[int, str, dict]] = []
    for order, spec in enumerate(target_set.targets, start=1):
        values = {name: getattr(spec, name) for name in TARGET_FIELDS if name != "order"}
        values |= {
            "order": order,
            "measure": measures[spec.measure] if spec.measure else None,
            "region": below[spec.region_name] if spec.region_name else region,
            "also_stated": [{"measure": number, "quote": quote} for number, quote in spec.also_stated],
        }
        if spec.baseline_source == Target.BaselineSource.DERIVED and values["measure"] is not None:
            decided = decided_value(values["measure"], "baseline")
            values["baseline"] = Decimal(str(decided)) if decided is not None else values["baseline"]
        target = existing.pop(spec.key, None)
        if target is None:
            target = Target.objects.create(policy=policy, key=spec.key, **values)
            audit.append((target.pk, str(target), {"value": [None, str(spec.value)]}))
        else:
            changes = {k: [str(getattr(target, k)), str(v)] for k, v in values.items() if getattr(target, k) != v}
            if changes:
                for name, value in values.items():
                    setattr(target, name, value)
                target.save()
                audit.append((target.pk, str(target), changes))
        wanted = {tiers[code].pk for code in spec.tiers}
        if {tier.pk for tier in target.tiers.all()} != wanted:
            target.tiers.set(wanted)
        by_key[spec.key] = target
    for stale in existing.values():
        stale.delete()
    wanted_pairs = {(by_key[c.first].pk, by_key[c.second].pk): c.explanation for c in target_set.conflicts}
    for conflict in TargetConflict.objects.filter(policy=policy):
        pair = (conflict.first_id, conflict.second_id)
        if pair not in wanted_pairs:
            conflict.delete()
            continue
        explanation = wanted_pairs.pop(pair)
        if conflict.explanation != explanation:
            conflict.explanation = explanation
            conflict.save(update_fields=["explanation"])
    TargetConflict.objects.bulk_create(
        [
            TargetConflict(policy=policy, first_id=a, second_id=b, explanation=text)
            for (a, b), text in wanted_pairs.items()
        ]
    )
    if audit:
        audit_rows(
            actor=None,
            action=AuditEvent.Action.IMPORT,
            model=Target,
            rows=audit,
            region_ids=[policy.region_id] * len(audit),
        )
    return len(by_key)
