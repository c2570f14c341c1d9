"""Column-wise metrics and the batch they read: metrics.py for thousands of enterprises at once.

A `Batch` holds the facts of many enterprises and builds one numpy column per
(year, figure) on first use; each metric returns its value for every
enterprise (NaN where missing) and what is missing, computed with the same
floating-point operations, in the same order, as metrics.py.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tiers.criteria.facts import DERIVED_FIELDS, EnterpriseFacts
from tiers.criteria.metrics import compile_metric
from tiers.criteria.nodes import MANUAL, MET, NOT_MET, UNKNOWN, Context

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


def rounded(values: np.ndarray) -> np.ndarray:
    return np.rint(values * 1_000_000) / 1_000_000


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
            combined = sequential_sum(totals)
            if fn == "mean":
                combined = combined / len(totals)
        return _no_manual(rounded(combined), missing)

    return compute


def sequential_sum(columns: list[np.ndarray]) -> np.ndarray:
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
                num, den = sequential_sum(numerators), sequential_sum(denominators)
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
                mean = rounded(sequential_sum(rates) / len(rates) * 100)
                value[rows] = np.where(broken, 0.0, mean)
        return _no_manual(value, missing)

    return compute
