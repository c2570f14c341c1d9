"""Points tables, column-wise: scoring.py's rules applied to a whole batch of enterprises.

Each item gives, per enterprise, a status and the lowest and highest points it
may still be worth; the table passes where even the lowest total reaches the
minimum and fails where even the highest cannot, as in scoring.py.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tiers.criteria.nodes import OPS
from tiers.criteria.scoring import _points
from tiers.criteria.vector import Outcome, VectorProgram, band_mask, compile_vector_node
from tiers.criteria.vector_metrics import (
    S_MANUAL,
    S_MET,
    S_NOT_MET,
    S_UNKNOWN,
    Batch,
    compile_vector_metric,
    rounded,
    sequential_sum,
)


@dataclass
class Points:
    status: np.ndarray
    low: np.ndarray
    high: np.ndarray


ItemProgram = Callable[[Batch], Points]


def compile_vector_score_table(node: dict) -> VectorProgram:
    items = [_item(item) for item in node["items"]]
    codes = [item["code"] for item in node["items"]]
    groups = [item.get("group", "") for item in node["items"]]
    compare, required = OPS[node.get("op", ">=")], node["min_total"]
    group_minimums = list(node.get("group_minimums", {}).items())
    nonzero = [codes.index(code) for code in node.get("nonzero", ())]

    def run(batch: Batch) -> Outcome:
        scored = [item(batch) for item in items]
        zero = np.zeros(batch.size)
        low = rounded(sequential_sum([zero, *(points.low for points in scored)]))
        high = rounded(sequential_sum([zero, *(points.high for points in scored)]))
        fails, passes = ~compare(high, required), compare(low, required)
        for group, minimum in group_minimums:
            members = [points for points, name in zip(scored, groups, strict=True) if name == group]
            fails |= rounded(sequential_sum([zero, *(points.high for points in members)])) < minimum
            passes &= rounded(sequential_sum([zero, *(points.low for points in members)])) >= minimum
        for index in nonzero:
            fails |= scored[index].high <= 0
            passes &= scored[index].low > 0
        waiting = np.where(np.logical_or.reduce([p.status == S_UNKNOWN for p in scored]), S_UNKNOWN, S_MANUAL)
        status = np.where(fails, S_NOT_MET, np.where(passes, S_MET, waiting)).astype(np.int8)
        return Outcome(status, np.zeros(batch.size, dtype=bool), low)

    return run


def _item(item: dict) -> ItemProgram:
    if "expert" in item:
        return _expert_item(item)
    if "bands" in item:
        return _banded_item(item)
    if "additive" in item:
        return _additive_item(item)
    return _rules_item(item)


def _expert_item(item: dict) -> ItemProgram:
    key, most = item["expert"], item["max"]

    def run(batch: Batch) -> Points:
        values = [facts.assessments.get(key) for facts in batch.facts]
        given = np.array([a is not None and a.value is not None for a in values], dtype=bool)
        points = np.array([min(a.value, most) if ok else 0 for a, ok in zip(values, given, strict=True)], dtype=float)
        return Points(np.where(given, S_MET, S_MANUAL), points, np.where(given, points, most))

    return run


def _banded_item(item: dict) -> ItemProgram:
    metric = compile_vector_metric(item["metric"])
    bands = [(band, _points(band["points"])) for band in item["bands"]]
    most = item["max"]

    def run(batch: Batch) -> Points:
        values = metric(batch)
        missing = np.isnan(values.value)
        low, high = np.zeros(batch.size), np.where(missing, most, 0.0)
        unplaced = ~missing
        for band, (band_low, band_high) in bands:
            chosen = unplaced & band_mask(band, values.value)
            low[chosen], high[chosen] = band_low, band_high
            unplaced &= ~chosen
        # A band worth "7–8" leaves the exact points to the experts.
        status = np.where(missing, values.missing_status(), np.where(low == high, S_MET, S_MANUAL))
        return Points(status, low, high)

    return run


def _additive_item(item: dict) -> ItemProgram:
    parts = [(compile_vector_node(part["when"]), part["points"]) for part in item["additive"]]
    most = item["max"]

    def run(batch: Batch) -> Points:
        total, unsure = np.zeros(batch.size), np.zeros(batch.size)
        for program, points in parts:
            child = program(batch)
            total = np.where(child.status == S_MET, total + points, total)
            unsure = np.where(child.status == S_UNKNOWN, unsure + points, unsure)
        low, high = np.minimum(total, most), np.minimum(total + unsure, most)
        return Points(np.where(high > low, S_UNKNOWN, S_MET), low, high)

    return run


def _rules_item(item: dict) -> ItemProgram:
    """The first rule met gives the points; a rule lacking data keeps its points possible."""
    rules = [(compile_vector_node(rule["when"]), _points(rule["points"])) for rule in item["rules"]]

    def run(batch: Batch) -> Points:
        searching = np.ones(batch.size, dtype=bool)
        low, high = np.full(batch.size, np.inf), np.full(batch.size, -np.inf)
        missing = np.zeros(batch.size, dtype=bool)
        for program, (rule_low, rule_high) in rules:
            child = program(batch)
            met = searching & (child.status == S_MET)
            unknown = searching & (child.status == S_UNKNOWN)
            possible = met | unknown
            low = np.where(possible, np.minimum(low, rule_low), low)
            high = np.where(possible, np.maximum(high, rule_high), high)
            missing |= unknown & child.has_missing
            searching &= ~met
        low = np.where(searching, np.minimum(low, 0), low)
        high = np.where(searching, np.maximum(high, 0), high)
        status = np.where(high == low, S_MET, np.where(missing, S_UNKNOWN, S_MANUAL))
        return Points(status, low, high)

    return run
