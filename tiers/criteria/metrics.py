"""Numbers the criteria compare: a figure, a ratio, a sum over years, a growth rate …

A metric spec is a dict with `fn` and its arguments. Years are offsets from the
evaluation year: -1 is "上年度", the last complete fiscal year.

`compile_metric` reads a spec once and returns a function of (facts, year, memo):
the recompute evaluates the same few dozen specs for every enterprise, so the
spec's lookups are done at compile time, and a value several criteria share
(operating revenue, the R&D ratio …) is computed once per enterprise through `memo`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from tiers.criteria.facts import DERIVED_FIELDS, INDICATOR_FIELDS, MONEY_FIELDS, EnterpriseFacts

FIELDS = frozenset(INDICATOR_FIELDS) | frozenset(DERIVED_FIELDS)
GROWTH_FORMULAS = ("mean_yoy", "cagr")


@dataclass(slots=True)
class MetricValue:
    value: float | None
    missing: list[dict] = field(default_factory=list)
    # For ratios of money: the denominator, so a gap in percentage points becomes an amount in 万元.
    money_base: float | None = None


# (facts, year, memo) -> MetricValue; one memo belongs to one enterprise and one evaluation date.
Metric = Callable[[EnterpriseFacts, int, dict], MetricValue]


def rounded(value: float) -> float:
    """Six decimals, so that 30/1000 is 3%, not 2.9999… (figures have two decimals).

    Scaled, rounded half to even and scaled back: the same operations as
    numpy's `rint(x * 1e6) / 1e6`, so the column-wise evaluation (vector.py)
    reaches the same value bit for bit.
    """
    return round(value * 1_000_000) / 1_000_000


def _missing(year: int, name: str) -> dict:
    return {"type": "data", "year": year, "field": name}


def _figures(facts: EnterpriseFacts, name: str, years: list[int]) -> tuple[list[float | None], list[dict]]:
    figure = facts.figure
    values = [figure(year, name) for year in years]
    missing = [_missing(year, name) for year, value in zip(years, values, strict=True) if value is None]
    return values, missing


def evaluate_metric(spec: dict, facts: EnterpriseFacts, year: int) -> MetricValue:
    """One metric for one enterprise (compiles the spec each time: for one-off use)."""
    return compile_metric(spec)(facts, year, {})


def compile_metric(spec: dict) -> Metric:
    fn = spec["fn"]
    compute = _COMPUTERS[fn](spec) if fn in _COMPUTERS else _unknown(fn)
    offsets = tuple(spec.get("years", [spec.get("year", -1)]))
    since_registration = bool(spec.get("since_registration"))
    key = json.dumps(spec, sort_keys=True, default=str)

    def metric(facts: EnterpriseFacts, year: int, memo: dict) -> MetricValue:
        found = memo.get(key)
        if found is not None:
            return found
        years = [year + offset for offset in offsets]
        if since_registration and facts.registered_on:
            # "不满三年按实际经营年限": years before the enterprise existed do not count.
            first = facts.registered_on.year
            years = [y for y in years if y >= first] or years[-1:]
        memo[key] = value = compute(facts, years)
        return value

    return metric


def _unknown(fn: str):
    def compute(facts: EnterpriseFacts, years: list[int]) -> MetricValue:
        raise ValueError(f"unknown metric {fn}")

    return compute


def _fact(spec: dict):
    key = spec["key"]

    def compute(facts: EnterpriseFacts, years: list[int]) -> MetricValue:
        assessment = facts.assessments.get(key)
        if assessment is None or assessment.value is None:
            return MetricValue(None, [{"type": "manual", "key": key}])
        return MetricValue(assessment.value)

    return compute


def _aggregate(spec: dict):
    fn = spec["fn"]
    names = spec.get("fields") or [spec["field"]]
    combine = {"value": lambda t: t[-1], "sum": sum, "mean": lambda t: sum(t) / len(t), "min": min}[fn]

    def compute(facts: EnterpriseFacts, years: list[int]) -> MetricValue:
        figure = facts.figure
        totals, missing = [], []
        for y in years:
            values = [figure(y, n) for n in names]
            if None in values:
                missing += [_missing(y, n) for n, v in zip(names, values, strict=True) if v is None]
            else:
                totals.append(sum(values))
        if missing:
            return MetricValue(None, missing)
        return MetricValue(rounded(combine(totals)))

    return compute


def _ratio(spec: dict):
    fn, num_name, den_name = spec["fn"], spec["num"], spec["den"]
    is_money = num_name in MONEY_FIELDS

    def compute(facts: EnterpriseFacts, years: list[int]) -> MetricValue:
        numerators, missing = _figures(facts, num_name, years)
        denominators, more = _figures(facts, den_name, years)
        missing += more
        if missing:
            return MetricValue(None, missing)
        if fn == "pooled_ratio" or (fn == "ratio" and len(years) == 1):
            num, den = sum(numerators), sum(denominators)
            if den <= 0:
                return MetricValue(None, [_missing(years[-1], den_name)])
            return MetricValue(rounded(num * 100 / den), money_base=den if is_money else None)
        ratios = []
        for num, den in zip(numerators, denominators, strict=True):
            if den <= 0:
                return MetricValue(None, [_missing(years[-1], den_name)])
            ratios.append((rounded(num * 100 / den), den))
        worst = min(ratios)
        return MetricValue(worst[0], money_base=worst[1] if is_money else None)

    return compute


def _growth_metric(spec: dict):
    name = spec["field"]
    formula = "mean_yoy" if spec["fn"] == "growth" else spec.get("formula", "mean_yoy")
    is_two_years = spec["fn"] == "growth"

    def compute(facts: EnterpriseFacts, years: list[int]) -> MetricValue:
        values, missing = _figures(facts, name, [years[-1] - 1, years[-1]] if is_two_years else years)
        if missing:
            return MetricValue(None, missing)
        return MetricValue(_growth(values, formula))

    return compute


_COMPUTERS = {
    "fact": _fact,
    "value": _aggregate,
    "sum": _aggregate,
    "mean": _aggregate,
    "min": _aggregate,
    "ratio": _ratio,
    "pooled_ratio": _ratio,
    "min_ratio": _ratio,
    "growth": _growth_metric,
    "avg_growth": _growth_metric,
}


def _growth(values: list[float], formula: str) -> float:
    """Average growth in %, over consecutive years.

    mean_yoy is the mean of the year-on-year rates, the 高企 工作指引 formula
    (½×(S₂/S₁ + S₃/S₂) − 1). cagr is (last/first)^(1/n) − 1. Where a document
    does not say which it means (专精特新 "近2年平均增长率", 瞪羚), the criteria
    catalogue names the one chosen. A zero first year is skipped ("按后两年计算");
    a later zero or negative base gives 0.
    """
    while len(values) > 2 and values[0] <= 0:
        values = values[1:]
    if any(value <= 0 for value in values[:-1]):
        return 0.0
    if formula == "cagr":
        last = values[-1]
        if last <= 0:
            return rounded(-100.0)
        return rounded(((last / values[0]) ** (1 / (len(values) - 1)) - 1) * 100)
    rates = [values[i] / values[i - 1] - 1 for i in range(1, len(values))]
    return rounded(sum(rates) / len(rates) * 100)
