"""Column-wise evaluation: a criteria set applied to thousands of enterprises at once.

The recompute stores only what lists filter and count on (verdict, score, the
numbers of criteria missed, lacking data and awaiting staff), so it does not
need the per-criterion sentences that nodes.py builds. Here each node becomes a
function of a `Batch` (the facts of many enterprises) returning numpy arrays:
a status code per enterprise, whether that status came with missing data, and
the score the node carries. Thresholds, ratios, sums and growth rates — the bulk
of the work — run as array arithmetic; the light kinds that look at one field
(age, industry, region, held tiers, staff judgements) and the rare metrics run
the scalar code of nodes.py and metrics.py enterprise by enterprise, so both
paths share one definition of them.

Every operation mirrors nodes.py, metrics.py and scoring.py step for step, in
the same order of floating-point operations (metrics.rounded is defined so that
numpy reproduces it bit for bit); the property test in
tiers/tests/test_recompute.py holds the two paths to the same results.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tiers.criteria.facts import DERIVED_FIELDS, EnterpriseFacts
from tiers.criteria.metrics import compile_metric
from tiers.criteria.nodes import MANUAL, MET, NOT_MET, OPS, UNKNOWN, Context, compile_node

STATUS_CODES = {MET: 0, NOT_MET: 1, UNKNOWN: 2, MANUAL: 3}
S_MET, S_NOT_MET, S_UNKNOWN, S_MANUAL = 0, 1, 2, 3
AGGREGATES = ("value", "sum", "mean", "min")
RATIOS = ("ratio", "pooled_ratio", "min_ratio")


class Batch:
    """The facts of many enterprises, with their figures as columns built on first use."""

    def __init__(self, facts: list[EnterpriseFacts], context: Context) -> None:
        self.facts = facts
        self.context = context
        self.size = len(facts)
        self.year = context.on.year
        self._columns: dict[tuple[int, str], np.ndarray] = {}
        self._year_rows: dict[int, list] = {}
        # Metric values shared by every criterion (and tier) of this batch, as the scalar memo is.
        self.metrics: dict[str, Values] = {}

    def figure(self, year: int, name: str) -> np.ndarray:
        key = (year, name)
        column = self._columns.get(key)
        if column is None:
            if name in DERIVED_FIELDS:
                column = np.array([facts.figure(year, name) for facts in self.facts], dtype=float)
            else:
                rows = self._rows(year)
                column = np.array([None if row is None else row.get(name) for row in rows], dtype=float)
            self._columns[key] = column
        return column

    def _rows(self, year: int) -> list:
        rows = self._year_rows.get(year)
        if rows is None:
            rows = self._year_rows[year] = [facts.indicators.get(year) for facts in self.facts]
        return rows

    def take(self, index: np.ndarray) -> "Batch":
        return Batch([self.facts[i] for i in index], self.context)


@dataclass
class Values:
    """A metric for every enterprise: NaN where it is missing, and what is missing."""

    value: np.ndarray
    missing_data: np.ndarray
    missing_manual: np.ndarray

    def missing_status(self) -> np.ndarray:
        """nodes._status_from_missing: awaiting staff when only staff judgements are missing."""
        return np.where(self.missing_manual & ~self.missing_data, S_MANUAL, S_UNKNOWN).astype(np.int8)


@dataclass
class Outcome:
    """A node for every enterprise: status code, whether it reported missing data, and its score (NaN: none)."""

    status: np.ndarray
    has_missing: np.ndarray
    score: np.ndarray


def rounded(values: np.ndarray) -> np.ndarray:
    return np.rint(values * 1_000_000) / 1_000_000


# --- metrics -----------------------------------------------------------------------


def compile_vector_metric(spec: dict) -> Callable[[Batch], Values]:
    fn = spec["fn"]
    offsets = tuple(spec.get("years", [spec.get("year", -1)]))
    key = json.dumps(spec, sort_keys=True, default=str)
    if fn == "fact":
        compute = _fact(spec)
    elif spec.get("since_registration") or fn not in (*AGGREGATES, *RATIOS, "growth", "avg_growth"):
        compute = _scalar_metric(spec)
    elif fn in AGGREGATES:
        compute = _aggregate(spec, offsets)
    elif fn in RATIOS:
        compute = _ratio(spec, offsets)
    elif fn == "avg_growth" and spec.get("formula", "mean_yoy") != "mean_yoy":
        compute = _scalar_metric(spec)  # cagr's power is left to the scalar code: one result, bit for bit
    else:
        compute = _growth(spec, offsets)

    def metric(batch: Batch) -> Values:
        found = batch.metrics.get(key)
        if found is None:
            found = batch.metrics[key] = compute(batch)
        return found

    return metric


def _scalar_metric(spec: dict) -> Callable[[Batch], Values]:
    scalar = compile_metric(spec)

    def compute(batch: Batch) -> Values:
        results = [scalar(facts, batch.year, {}) for facts in batch.facts]
        return Values(
            np.array([result.value for result in results], dtype=float),
            np.array([any(m["type"] == "data" for m in result.missing) for result in results], dtype=bool),
            np.array([any(m["type"] == "manual" for m in result.missing) for result in results], dtype=bool),
        )

    return compute


def _fact(spec: dict) -> Callable[[Batch], Values]:
    """A figure staff entered (metrics._fact): missing, and waiting for staff, where there is none."""
    key = spec["key"]

    def compute(batch: Batch) -> Values:
        value = np.full(batch.size, np.nan)
        for index, facts in enumerate(batch.facts):
            if facts.assessments:
                assessment = facts.assessments.get(key)
                if assessment is not None and assessment.value is not None:
                    value[index] = assessment.value
        missing = np.isnan(value)
        return Values(value, np.zeros(batch.size, dtype=bool), missing)

    return compute


def _no_manual(value: np.ndarray, missing: np.ndarray) -> Values:
    return Values(np.where(missing, np.nan, value), missing, np.zeros(len(value), dtype=bool))


def _aggregate(spec: dict, offsets: tuple) -> Callable[[Batch], Values]:
    fn = spec["fn"]
    names = spec.get("fields") or [spec["field"]]

    def compute(batch: Batch) -> Values:
        totals = []
        for year in (batch.year + offset for offset in offsets):
            total = batch.figure(year, names[0])
            for name in names[1:]:
                total = total + batch.figure(year, name)
            totals.append(total)
        missing = np.isnan(totals).any(axis=0)
        if fn == "value":
            combined = totals[-1]
        elif fn == "min":
            combined = np.minimum.reduce(totals)
        else:
            combined = _sequential_sum(totals)
            if fn == "mean":
                combined = combined / len(totals)
        return _no_manual(rounded(combined), missing)

    return compute


def _sequential_sum(columns: list[np.ndarray]) -> np.ndarray:
    """Left to right, as Python's sum() adds: the same rounding at every step."""
    total = columns[0]
    for column in columns[1:]:
        total = total + column
    return total


def _ratio(spec: dict, offsets: tuple) -> Callable[[Batch], Values]:
    fn, num_name, den_name = spec["fn"], spec["num"], spec["den"]
    pooled = fn == "pooled_ratio" or (fn == "ratio" and len(offsets) == 1)

    def compute(batch: Batch) -> Values:
        years = [batch.year + offset for offset in offsets]
        numerators = [batch.figure(year, num_name) for year in years]
        denominators = [batch.figure(year, den_name) for year in years]
        missing = np.isnan(numerators).any(axis=0) | np.isnan(denominators).any(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            if pooled:
                num, den = _sequential_sum(numerators), _sequential_sum(denominators)
                invalid = den <= 0
                value = rounded(num * 100 / den)
            else:
                invalid = np.logical_or.reduce([den <= 0 for den in denominators])
                value = np.minimum.reduce(
                    [rounded(num * 100 / den) for num, den in zip(numerators, denominators, strict=True)]
                )
        return _no_manual(value, missing | invalid)

    return compute


def _growth(spec: dict, offsets: tuple) -> Callable[[Batch], Values]:
    """Mean of the year-on-year rates (metrics._growth), leading non-positive years dropped as there."""
    name = spec["field"]
    is_two_years = spec["fn"] == "growth"

    def compute(batch: Batch) -> Values:
        last = batch.year + offsets[-1]
        years = [last - 1, last] if is_two_years else [batch.year + offset for offset in offsets]
        columns = [batch.figure(year, name) for year in years]
        missing = np.isnan(columns).any(axis=0)
        value = np.zeros(batch.size)
        # Where the series starts: leading years ≤ 0 are skipped while more than two remain.
        start = np.zeros(batch.size, dtype=int)
        for index in range(len(columns) - 2):
            start = np.where((start == index) & (columns[index] <= 0), index + 1, start)
        with np.errstate(divide="ignore", invalid="ignore"):
            for first in range(len(columns) - 1):
                rows = (start == first) & ~missing
                series = [column[rows] for column in columns[first:]]
                # A non-positive base after the start gives 0, as in metrics._growth.
                broken = np.logical_or.reduce([column <= 0 for column in series[:-1]])
                rates = [series[i] / series[i - 1] - 1 for i in range(1, len(series))]
                mean = rounded(_sequential_sum(rates) / len(rates) * 100)
                value[rows] = np.where(broken, 0.0, mean)
        return _no_manual(value, missing)

    return compute


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
        return SetColumns(verdict, score, missed, unknown, manual)

    return run
