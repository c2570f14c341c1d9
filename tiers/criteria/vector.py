"""Column-wise evaluation: a criteria set applied to thousands of enterprises at once.

The recompute stores only what lists filter and count on (verdict, score, the
numbers of criteria missed, lacking data and awaiting staff), so it does not
need the per-criterion sentences that nodes.py builds. Here each node becomes a
function of a `Batch` (the facts of many enterprises) returning numpy arrays:
a status code per enterprise, whether that status came with missing data, and
the score the node carries. Thresholds, ratios, sums and growth rates — the bulk
of the work — run as array arithmetic (vector_metrics.py, vector_scoring.py);
the light kinds that look at one field (age, industry, region, held tiers) and
the rare metrics run the scalar code of nodes.py and metrics.py enterprise by
enterprise, so both paths share one definition of them.

Every operation mirrors nodes.py, metrics.py and scoring.py step for step, in
the same order of floating-point operations (metrics.rounded is defined so that
numpy reproduces it bit for bit); the property tests in tiers/tests/test_vector.py
(every catalogue set, random batches) and test_recompute.py (through the database)
hold the two paths to the same results.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tiers.criteria.nodes import OPS, compile_node
from tiers.criteria.vector_metrics import (
    S_MANUAL,
    S_MET,
    S_NOT_MET,
    S_UNKNOWN,
    STATUS_CODES,
    Batch,
    Values,
    compile_vector_metric,
)


@dataclass
class Outcome:
    """A node for every enterprise: status code, whether it reported missing data, and its score (NaN: none)."""

    status: np.ndarray
    has_missing: np.ndarray
    score: np.ndarray


# --- nodes -------------------------------------------------------------------------


VectorProgram = Callable[[Batch], Outcome]


def compile_vector_node(node: dict) -> VectorProgram:
    kind = node["kind"]
    if kind == "threshold":
        return _threshold(node)
    if kind == "banded":
        return _banded(node)
    if kind in ("any_of", "all_of"):
        return _combined(node)
    if kind == "score_table":
        from tiers.criteria.vector_scoring import compile_vector_score_table

        return compile_vector_score_table(node)
    if kind == "manual":
        return _manual(node)
    if kind == "compliance":
        return _compliance(node)
    return scalar_node(node)


def scalar_node(node: dict) -> VectorProgram:
    """The scalar program enterprise by enterprise: for the kinds that read one field or a staff judgement."""
    program = compile_node(node)

    def run(batch: Batch) -> Outcome:
        outputs = [program(facts, batch.context, {}) for facts in batch.facts]
        return Outcome(
            np.array([STATUS_CODES[out["status"]] for out in outputs], dtype=np.int8),
            np.array([bool(out.get("missing")) for out in outputs], dtype=bool),
            np.full(batch.size, np.nan),
        )

    return run


def _manual(node: dict) -> VectorProgram:
    """Staff judgements: most enterprises have none, and wait for staff (nodes._manual)."""
    key = node["key"]

    def run(batch: Batch) -> Outcome:
        status = np.full(batch.size, S_MANUAL, dtype=np.int8)
        on = batch.context.on
        for index, facts in enumerate(batch.facts):
            if facts.assessments:
                assessment = facts.assessments.get(key)
                if assessment is not None and assessment.is_met is not None and assessment.is_valid_on(on):
                    status[index] = S_MET if assessment.is_met else S_NOT_MET
        return Outcome(status, status == S_MANUAL, np.full(batch.size, np.nan))

    return run


def _compliance(node: dict) -> VectorProgram:
    """Most enterprises have no record and no staff judgement: covered regions pass, others wait (nodes._compliance)."""
    program, key = compile_node(node), node.get("key", "compliance-clean")

    def run(batch: Batch) -> Outcome:
        covered = np.fromiter((facts.compliance_covered for facts in batch.facts), dtype=bool, count=batch.size)
        status = np.where(covered, S_MET, S_MANUAL).astype(np.int8)
        for index, facts in enumerate(batch.facts):
            if facts.compliance or key in facts.assessments:
                status[index] = STATUS_CODES[program(facts, batch.context, {})["status"]]
        return Outcome(status, status == S_MANUAL, np.full(batch.size, np.nan))

    return run


def status_of(values: Values, passes: np.ndarray) -> np.ndarray:
    missing = np.isnan(values.value)
    return np.where(missing, values.missing_status(), np.where(passes, S_MET, S_NOT_MET)).astype(np.int8)


def _threshold(node: dict) -> VectorProgram:
    metric = compile_vector_metric(node["metric"])
    compare, required = OPS[node["op"]], node["value"]

    def run(batch: Batch) -> Outcome:
        values = metric(batch)
        with np.errstate(invalid="ignore"):
            passes = compare(values.value, required)
        return Outcome(status_of(values, passes), np.isnan(values.value), np.full(batch.size, np.nan))

    return run


def band_mask(band: dict, values: np.ndarray) -> np.ndarray:
    """nodes._band_test for a column ("X以上" is ≥ X, "X–Y" is [X, Y)); NaN belongs to no band."""
    low, high = band.get("min"), band.get("max")
    low_open, high_closed = band.get("min_inclusive") is False, bool(band.get("max_inclusive"))
    inside = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        if low is not None:
            inside &= (values > low) if low_open else (values >= low)
        if high is not None:
            inside &= (values <= high) if high_closed else (values < high)
    return inside


def _banded(node: dict) -> VectorProgram:
    selector = compile_vector_metric(node["selector"])
    bands = [(band, compile_vector_node(band["node"])) for band in node["bands"]]

    def run(batch: Batch) -> Outcome:
        values = selector(batch)
        missing = np.isnan(values.value)
        status = np.where(missing, values.missing_status(), S_NOT_MET).astype(np.int8)
        score = np.full(batch.size, np.nan)
        unplaced = ~missing
        for band, program in bands:
            chosen = unplaced & band_mask(band, values.value)
            if chosen.any():
                child = program(batch)
                status[chosen] = child.status[chosen]
                score[chosen] = child.score[chosen]
            unplaced &= ~chosen
        return Outcome(status, missing, score)

    return run


def _combined(node: dict) -> VectorProgram:
    """any_of (one route suffices) and all_of (every part); the score is the first child's that has one."""
    is_any = node["kind"] == "any_of"
    parts = [compile_vector_node(child) for child in node["routes" if is_any else "nodes"]]
    order = (S_MET, S_UNKNOWN, S_NOT_MET) if is_any else (S_NOT_MET, S_UNKNOWN, S_MANUAL)
    fallback = S_MANUAL if is_any else S_MET

    def run(batch: Batch) -> Outcome:
        children = [part(batch) for part in parts]
        status = np.full(batch.size, fallback, dtype=np.int8)
        decided = np.zeros(batch.size, dtype=bool)
        for code in order:
            present = np.logical_or.reduce([child.status == code for child in children]) & ~decided
            status[present] = code
            decided |= present
        return Outcome(status, np.zeros(batch.size, dtype=bool), first_score(children, batch.size))

    return run


def first_score(children: list[Outcome], size: int) -> np.ndarray:
    score = np.full(size, np.nan)
    for child in children:
        score = np.where(np.isnan(score), child.score, score)
    return score


# --- criteria sets -------------------------------------------------------------------


@dataclass
class SetColumns:
    """What a stored result keeps, per enterprise of the batch (nodes.compile_set's Evaluation, minus details)."""

    verdict: np.ndarray  # index into VERDICT_ORDER
    score: np.ndarray  # NaN: not scored
    missing_count: np.ndarray
    unknown_count: np.ndarray
    manual_count: np.ndarray
    # Status code of each top-level criterion (rows) for each enterprise (columns); what a version comparison reads.
    statuses: np.ndarray | None = None


# Indexes of SetColumns.verdict, in the order compile_set decides them.
VERDICT_ORDER = ("misses", "insufficient_data", "meets_except_manual", "meets")


def compile_vector_set(nodes: list[dict]) -> Callable[[Batch], SetColumns]:
    """Every criterion is required; the score is the first scored criterion's, as in nodes.compile_set."""
    from tiers.criteria.nodes import _has_score_table

    programs = [compile_vector_node(node) for node in nodes]
    scored = [index for index, node in enumerate(nodes) if _has_score_table(node)]

    def run(batch: Batch) -> SetColumns:
        outcomes = [program(batch) for program in programs]
        statuses = np.array([outcome.status for outcome in outcomes]).reshape(len(outcomes), batch.size)
        missed = (statuses == S_NOT_MET).sum(axis=0)
        unknown = (statuses == S_UNKNOWN).sum(axis=0)
        manual = (statuses == S_MANUAL).sum(axis=0)
        verdict = np.where(missed > 0, 0, np.where(unknown > 0, 1, np.where(manual > 0, 2, 3)))
        score = first_score([outcomes[index] for index in scored], batch.size)
        return SetColumns(verdict, score, missed, unknown, manual, statuses)

    return run
