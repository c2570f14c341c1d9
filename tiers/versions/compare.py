"""Comparing the register under two criteria sets (or a set and an administrator's draft).

An enterprise *meets* a set when no criterion is missed and none lacks data
(staff confirmations may still be pending: verdicts 待确认 and 符合). Each
enterprise falls in one group — both, only the old, only the new, neither —
and for the enterprises in only one group the criteria of the other set that
are not met are "the criteria that make the difference". Everything is computed
on batches with the column-wise engine (tiers.criteria.vector); `classify` is
the pure core, held equal to per-enterprise evaluation by a property test.
"""

import copy
import datetime
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet

from enterprises.models import Enterprise
from portal.models import Region, User
from portal.selectors import scope_filter
from tiers.criteria.nodes import Context
from tiers.criteria.vector import VERDICT_ORDER, compile_vector_set
from tiers.criteria.vector_metrics import S_MANUAL, S_MET, Batch
from tiers.eligibility.book import _region_codes
from tiers.eligibility.loading import CHUNK, stream_facts
from tiers.models import CriteriaSet, Tier

BOTH, ONLY_OLD, ONLY_NEW, NEITHER = "both", "only_old", "only_new", "neither"
GROUPS = (BOTH, ONLY_OLD, ONLY_NEW, NEITHER)
# Verdict indexes (VERDICT_ORDER) that count as meeting: nothing missed, nothing lacking data.
MEETING = (VERDICT_ORDER.index("meets_except_manual"), VERDICT_ORDER.index("meets"))
LISTED_LIMIT = 2000


@dataclass
class Classified:
    """One batch: per enterprise its group and the codes of the criteria (of the set it fails) that decide it."""

    groups: list[str]
    differences: list[list[str]]


def classify(batch: Batch, old_program, new_program, old_codes: list[str], new_codes: list[str]) -> Classified:
    old, new = old_program(batch), new_program(batch)
    meets_old, meets_new = np.isin(old.verdict, MEETING), np.isin(new.verdict, MEETING)
    groups, differences = [], []
    for index in range(batch.size):
        a, b = bool(meets_old[index]), bool(meets_new[index])
        group = BOTH if a and b else ONLY_OLD if a else ONLY_NEW if b else NEITHER
        groups.append(group)
        if group == ONLY_OLD:
            differences.append(_failing(new.statuses[:, index], new_codes))
        elif group == ONLY_NEW:
            differences.append(_failing(old.statuses[:, index], old_codes))
        else:
            differences.append([])
    return Classified(groups, differences)


def _failing(statuses: np.ndarray, codes: list[str]) -> list[str]:
    return [code for code, status in zip(codes, statuses, strict=True) if status not in (S_MET, S_MANUAL)]


@dataclass
class RegionCounts:
    region: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))


@dataclass
class Comparison:
    tier: Tier
    old_name: str
    new_name: str
    on: datetime.date
    totals: dict[str, int]
    regions: list[RegionCounts]
    # (criterion label, set name, enterprises it decides) most decisive first
    deciding: list[tuple[str, str, int]]
    # enterprises that change group: (id, name, region, group, labels of the deciding criteria)
    changed: list[dict]
    changed_total: int


def criteria_labels(nodes: list[dict]) -> dict[str, str]:
    return {node["code"]: node["label"] for node in nodes}


def compare_register(
    *,
    user: User,
    tier: Tier,
    old_nodes: list[dict],
    new_nodes: list[dict],
    old_name: str,
    new_name: str,
    on: datetime.date,
    region: Region | None = None,
) -> Comparison:
    """Every enterprise the user may see (or of `region`) evaluated under both sets, in batches."""
    old_program, new_program = compile_vector_set(old_nodes), compile_vector_set(new_nodes)
    old_codes, new_codes = [n["code"] for n in old_nodes], [n["code"] for n in new_nodes]
    old_labels, new_labels = criteria_labels(old_nodes), criteria_labels(new_nodes)
    codes = set().union(*(_region_codes(node) for node in [*old_nodes, *new_nodes]))
    region_paths = dict(Region.objects.filter(code__in=codes).values_list("code", "path"))
    context = Context(on=on, region_paths=region_paths, tier_names=dict(Tier.objects.values_list("code", "name")))
    ids = scoped_enterprise_ids(user, region)
    names = dict(
        Region.objects.filter(pk__in=Enterprise.objects.filter(pk__in=ids).values("region_id")).values_list(
            "path", "name"
        )
    )
    totals = dict.fromkeys(GROUPS, 0)
    by_region: dict[str, RegionCounts] = {}
    deciding: Counter = Counter()
    changed: list[dict] = []
    changed_total = 0
    batch_facts: list = []

    def run(facts_list: list) -> None:
        nonlocal changed_total
        result = classify(Batch(facts_list, context), old_program, new_program, old_codes, new_codes)
        for facts, group, codes in zip(facts_list, result.groups, result.differences, strict=True):
            totals[group] += 1
            region_name = names.get(facts.region_path, facts.region_path)
            by_region.setdefault(facts.region_path, RegionCounts(region_name)).counts[group] += 1
            if group in (ONLY_OLD, ONLY_NEW):
                changed_total += 1
                labels = new_labels if group == ONLY_OLD else old_labels
                set_name = new_name if group == ONLY_OLD else old_name
                for code in codes:
                    deciding[(labels[code], set_name)] += 1
                if len(changed) < LISTED_LIMIT:
                    changed.append(
                        {
                            "id": facts.enterprise_id,
                            "region": region_name,
                            "group": group,
                            "criteria": [labels[code] for code in codes],
                        }
                    )

    for facts in stream_facts(on=on, enterprise_ids=ids):
        batch_facts.append(facts)
        if len(batch_facts) == CHUNK:
            run(batch_facts)
            batch_facts = []
    if batch_facts:
        run(batch_facts)
    enterprise_names = dict(Enterprise.objects.filter(pk__in=[row["id"] for row in changed]).values_list("pk", "name"))
    for row in changed:
        row["name"] = enterprise_names.get(row["id"], "")
    return Comparison(
        tier=tier,
        old_name=old_name,
        new_name=new_name,
        on=on,
        totals=totals,
        regions=sorted(by_region.values(), key=lambda item: item.region),
        deciding=[(label, set_name, count) for (label, set_name), count in deciding.most_common()],
        changed=changed,
        changed_total=changed_total,
    )


def scoped_enterprise_ids(user: User, region: Region | None) -> QuerySet:
    enterprises = Enterprise.objects.filter(scope_filter(user))
    if region is not None:
        enterprises = enterprises.filter(region__path__startswith=region.path)
    return enterprises.values("pk")


# --- sets and drafts -------------------------------------------------------------------


def comparable_sets(tier: Tier) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.filter(tier=tier).prefetch_related("criteria").order_by("effective_from")


def set_nodes(criteria_set: CriteriaSet) -> list[dict]:
    return [criterion.as_node() for criterion in criteria_set.criteria.all()]


def thresholds(nodes: list[dict]) -> list[dict]:
    """Every threshold of a set, with a path an edit can name ("3.1" = 4th criterion, its 2nd part)."""
    found = []

    def walk(node: dict, path: str, parent: str) -> None:
        label = node.get("label", "")
        if node.get("kind") == "threshold" and isinstance(node.get("value"), int | float):
            found.append(
                {
                    "path": path,
                    "label": label if not parent or label == parent else f"{parent} · {label}",
                    "op": node["op"],
                    "value": node["value"],
                    "unit": node.get("unit", ""),
                }
            )
        for key in ("routes", "nodes"):
            for index, child in enumerate(node.get(key, ())):
                walk(child, f"{path}.{index}", label)

    for index, node in enumerate(nodes):
        walk(node, str(index), "")
    return found


def apply_thresholds(nodes: list[dict], values: dict[str, float]) -> list[dict]:
    """A copy of the set with the thresholds at the given paths changed (the draft)."""
    draft = copy.deepcopy(nodes)
    for path, value in values.items():
        parts = [int(part) for part in path.split(".")]
        node = draft[parts[0]]
        for index in parts[1:]:
            node = node["routes" if node.get("kind") == "any_of" else "nodes"][index]
        node["value"] = value
    return draft
