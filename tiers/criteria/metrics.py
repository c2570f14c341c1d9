"""Numbers the criteria compare: a figure, a ratio, a sum over years, a growth rate …

A metric spec is a dict with `fn` and its arguments. Years are offsets from the
evaluation year: -1 is "上年度", the last complete fiscal year.
"""

from dataclasses import dataclass, field

from tiers.criteria.facts import DERIVED_FIELDS, INDICATOR_FIELDS, MONEY_FIELDS, EnterpriseFacts

FIELDS = frozenset(INDICATOR_FIELDS) | frozenset(DERIVED_FIELDS)
GROWTH_FORMULAS = ("mean_yoy", "cagr")


@dataclass
class MetricValue:
    value: float | None
    missing: list[dict] = field(default_factory=list)
    # For ratios of money: the denominator, so a gap in percentage points becomes an amount in 万元.
    money_base: float | None = None


def rounded(value: float) -> float:
    # Figures have two decimals; six keep ratios exact enough that 30/1000 is 3%, not 2.9999…
    return round(value, 6)


def _missing(year: int, name: str) -> dict:
    return {"type": "data", "year": year, "field": name}


def _figures(facts: EnterpriseFacts, name: str, years: list[int]) -> tuple[list[float | None], list[dict]]:
    values = [facts.figure(year, name) for year in years]
    missing = [_missing(year, name) for year, value in zip(years, values, strict=True) if value is None]
    return values, missing


def _years(spec: dict, year: int, facts: EnterpriseFacts) -> list[int]:
    years = [year + offset for offset in spec.get("years", [spec.get("year", -1)])]
    if spec.get("since_registration") and facts.registered_on:
        # "不满三年按实际经营年限": years before the enterprise existed do not count.
        kept = [y for y in years if y >= facts.registered_on.year]
        years = kept or years[-1:]
    return years


def evaluate_metric(spec: dict, facts: EnterpriseFacts, year: int) -> MetricValue:
    fn = spec["fn"]
    years = _years(spec, year, facts)
    if fn == "fact":
        assessment = facts.assessments.get(spec["key"])
        if assessment is None or assessment.value is None:
            return MetricValue(None, [{"type": "manual", "key": spec["key"]}])
        return MetricValue(assessment.value)
    if fn in ("value", "sum", "mean", "min"):
        names = spec.get("fields") or [spec["field"]]
        totals, missing = [], []
        for y in years:
            values = [facts.figure(y, n) for n in names]
            gaps = [_missing(y, n) for n, v in zip(names, values, strict=True) if v is None]
            missing += gaps
            totals.append(None if gaps else sum(values))
        if missing:
            return MetricValue(None, missing)
        result = {"value": totals[-1], "sum": sum(totals), "mean": sum(totals) / len(totals), "min": min(totals)}[fn]
        return MetricValue(rounded(result))
    if fn in ("ratio", "pooled_ratio", "min_ratio"):
        numerators, missing = _figures(facts, spec["num"], years)
        denominators, more = _figures(facts, spec["den"], years)
        missing += more
        if missing:
            return MetricValue(None, missing)
        is_money = spec["num"] in MONEY_FIELDS
        if fn == "pooled_ratio" or (fn == "ratio" and len(years) == 1):
            num, den = sum(numerators), sum(denominators)
            if den <= 0:
                return MetricValue(None, [_missing(years[-1], spec["den"])])
            return MetricValue(rounded(num * 100 / den), money_base=den if is_money else None)
        ratios = []
        for num, den in zip(numerators, denominators, strict=True):
            if den <= 0:
                return MetricValue(None, [_missing(years[-1], spec["den"])])
            ratios.append((rounded(num * 100 / den), den))
        worst = min(ratios)
        return MetricValue(worst[0], money_base=worst[1] if is_money else None)
    if fn == "growth":
        values, missing = _figures(facts, spec["field"], [years[-1] - 1, years[-1]])
        if missing:
            return MetricValue(None, missing)
        return MetricValue(_growth(values, "mean_yoy"))
    if fn == "avg_growth":
        values, missing = _figures(facts, spec["field"], years)
        if missing:
            return MetricValue(None, missing)
        return MetricValue(_growth(values, spec.get("formula", "mean_yoy")))
    raise ValueError(f"unknown metric {fn}")


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
