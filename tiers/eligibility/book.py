"""The criteria in force, loaded once per run in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

import numpy as np

from portal.models import Region
from tiers.criteria import Context, EnterpriseFacts, Evaluation
from tiers.criteria.nodes import SetProgram, compile_set
from tiers.criteria.vector import SetColumns, compile_vector_set
from tiers.criteria.vector_metrics import Batch
from tiers.models import CriteriaSet, Tier

NEW, REVIEW = str(CriteriaSet.Purpose.NEW), str(CriteriaSet.Purpose.REVIEW)
# Offsets from the evaluation year that any criterion may read (近三年 growth needs four years).
YEAR_OFFSETS = range(-5, 1)


@dataclass(frozen=True)
class CompiledSet:
    id: int
    tier_id: int
    tier_code: str
    code: str
    name: str
    purpose: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    nodes: tuple
    # The nodes compiled once (tiers.criteria.nodes.compile_set): what every evaluation runs.
    program: SetProgram = field(repr=False, compare=False, default=None)
    # The same set column-wise (tiers.criteria.vector): what the recompute runs on batches.
    vector: object = field(repr=False, compare=False, default=None)

    def applies(self, *, on: datetime.date, purpose: str) -> bool:
        if self.purpose not in (purpose, CriteriaSet.Purpose.BOTH):
            return False
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass
class TierColumns:
    """One tier evaluated for a batch: per enterprise, the set used (None: no set applies) and its result."""

    tier_id: int
    sets: list["CompiledSet | None"]
    purposes: list[str]
    columns: SetColumns


@dataclass(frozen=True)
class TierEvaluation:
    tier_id: int
    criteria_set: CompiledSet
    purpose: str
    evaluation: Evaluation


def _region_codes(node: dict) -> set[str]:
    codes = {node["region_code"]} if node.get("kind") == "region" else set()
    for key in ("routes", "nodes"):
        for child in node.get(key, ()):
            codes |= _region_codes(child)
    for band in node.get("bands", ()):
        if "node" in band:
            codes |= _region_codes(band["node"])
    return codes


class CriteriaBook:
    """Every tier's criteria sets, compiled to nodes, with what the nodes need to look up."""

    def __init__(self, sets: list[CompiledSet], tiers: dict[int, Tier], region_paths: dict[str, str]) -> None:
        self.sets_by_tier: dict[int, list[CompiledSet]] = {}
        self.sets_by_id: dict[int, CompiledSet] = {compiled.id: compiled for compiled in sets}
        for compiled in sorted(sets, key=lambda s: s.effective_from, reverse=True):
            self.sets_by_tier.setdefault(compiled.tier_id, []).append(compiled)
        self.tiers = tiers
        self.tier_names = {tier.code: tier.name for tier in tiers.values()}
        self.evaluated_tiers = [(tier_id, tiers[tier_id].code) for tier_id in self.sets_by_tier]
        self.region_paths = region_paths
        self._chosen: dict[tuple, CompiledSet | None] = {}

    @classmethod
    def load(cls, tier_ids: list[int] | None = None) -> "CriteriaBook":
        """Four queries: tiers, sets, criteria, regions named by the criteria."""
        tiers = {tier.pk: tier for tier in Tier.objects.all()}
        sets_qs = CriteriaSet.objects.prefetch_related("criteria")
        if tier_ids is not None:
            sets_qs = sets_qs.filter(tier_id__in=tier_ids)
        compiled = []
        for criteria_set in sets_qs:
            nodes = tuple(criterion.as_node() for criterion in criteria_set.criteria.all())
            compiled.append(
                CompiledSet(
                    id=criteria_set.pk,
                    tier_id=criteria_set.tier_id,
                    tier_code=tiers[criteria_set.tier_id].code,
                    code=criteria_set.code,
                    name=criteria_set.name,
                    purpose=criteria_set.purpose,
                    effective_from=criteria_set.effective_from,
                    effective_to=criteria_set.effective_to,
                    nodes=nodes,
                    program=compile_set(list(nodes)),
                    vector=compile_vector_set(list(nodes)),
                )
            )
        codes = set().union(*(_region_codes(node) for s in compiled for node in s.nodes))
        paths = dict(Region.objects.filter(code__in=codes).values_list("code", "path")) if codes else {}
        return cls(compiled, tiers, paths)

    def set_for(self, tier_id: int, *, on: datetime.date, purpose: str) -> CompiledSet | None:
        """The newest set in force on the date for the purpose (re-reviews keep the 2022 sets)."""
        key = (tier_id, on, purpose)
        if key not in self._chosen:
            self._chosen[key] = next(
                (s for s in self.sets_by_tier.get(tier_id, ()) if s.applies(on=on, purpose=purpose)), None
            )
        return self._chosen[key]

    def context(self, on: datetime.date) -> Context:
        return Context(on=on, region_paths=self.region_paths, tier_names=self.tier_names)

    def evaluate(
        self, facts: EnterpriseFacts, *, on: datetime.date, context: Context | None = None
    ) -> list[TierEvaluation]:
        """Every tier that has criteria in force; a holder of the tier is judged as for a re-review."""
        context = context or self.context(on)
        memo: dict = {}
        results = []
        for tier_id, tier_code in self.evaluated_tiers:
            purpose = REVIEW if facts.recognitions and facts.holds((tier_code,), on) else NEW
            compiled = self.set_for(tier_id, on=on, purpose=purpose)
            if compiled is None:
                continue
            results.append(TierEvaluation(tier_id, compiled, purpose, compiled.program(facts, context, memo)))
        return results

    def evaluate_batch(self, batch: Batch, *, on: datetime.date) -> list[TierColumns]:
        """Every tier for a batch of enterprises, column-wise; as `evaluate`, holders are judged for a re-review."""
        evaluated = []
        for tier_id, tier_code in self.evaluated_tiers:
            codes = (tier_code,)
            purposes = [REVIEW if facts.recognitions and facts.holds(codes, on) else NEW for facts in batch.facts]
            chosen = {purpose: self.set_for(tier_id, on=on, purpose=purpose) for purpose in (NEW, REVIEW)}
            sets = [chosen[purpose] for purpose in purposes]
            evaluated.append(TierColumns(tier_id, sets, purposes, _columns_by_set(batch, sets)))
        return evaluated

    def evaluate_tier(
        self, facts: EnterpriseFacts, tier_id: int, *, on: datetime.date, purpose: str
    ) -> TierEvaluation | None:
        compiled = self.set_for(tier_id, on=on, purpose=purpose)
        if compiled is None:
            return None
        return TierEvaluation(tier_id, compiled, purpose, compiled.program(facts, self.context(on)))


def _columns_by_set(batch: Batch, sets: list[CompiledSet | None]) -> SetColumns:
    """Each set evaluated on the enterprises it applies to; the whole batch at once when it is one set."""
    distinct = {id(compiled): compiled for compiled in sets if compiled is not None}
    if len(distinct) == 1 and None not in sets:
        return next(iter(distinct.values())).vector(batch)
    columns = SetColumns(
        np.zeros(batch.size, dtype=int),
        np.full(batch.size, np.nan),
        *(np.zeros(batch.size, dtype=int) for _ in range(3)),
    )
    for compiled in distinct.values():
        index = np.array([i for i, candidate in enumerate(sets) if candidate is compiled])
        part = compiled.vector(batch.take(index))
        for name in ("verdict", "score", "missing_count", "unknown_count", "manual_count"):
            getattr(columns, name)[index] = getattr(part, name)
    return columns
