"""The evaluation core: one pure function from (criteria, facts, date) to a verdict.

Each criterion is a node {"kind", "code", "label", ...params}. Evaluating a node
gives a JSON-ready dict with its status (met / not_met / unknown / manual), the
actual and required values, the gap and, for composite kinds, its children.
Both the per-enterprise evaluator and the set-based recompute call `evaluate_set`.
"""

import datetime
from dataclasses import dataclass, field

from tiers.criteria.facts import EnterpriseFacts
from tiers.criteria.metrics import evaluate_metric, rounded

MET, NOT_MET, UNKNOWN, MANUAL = "met", "not_met", "unknown", "manual"
SME_CLASSES = ("micro", "small", "medium")
OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


@dataclass
class Context:
    on: datetime.date
    region_paths: dict[str, str] = field(default_factory=dict)
    tier_names: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.on.year


@dataclass
class Evaluation:
    verdict: str
    score: float | None
    missing_count: int
    unknown_count: int
    manual_count: int
    details: list[dict]


def evaluate_set(nodes: list[dict], facts: EnterpriseFacts, context: Context) -> Evaluation:
    """Every criterion of a set is required; alternatives live inside any_of nodes."""
    from tiers.models import Verdict

    details = [evaluate_node(node, facts, context) for node in nodes]
    counts = {status: 0 for status in (MET, NOT_MET, UNKNOWN, MANUAL)}
    for item in details:
        counts[item["status"]] += 1
    if counts[NOT_MET]:
        verdict = Verdict.MISSES
    elif counts[UNKNOWN]:
        verdict = Verdict.INSUFFICIENT_DATA
    elif counts[MANUAL]:
        verdict = Verdict.MEETS_EXCEPT_MANUAL
    else:
        verdict = Verdict.MEETS
    score = next((_find_score(item) for item in details if _find_score(item) is not None), None)
    return Evaluation(str(verdict), score, counts[NOT_MET], counts[UNKNOWN], counts[MANUAL], details)


def _find_score(item: dict) -> float | None:
    if item["kind"] == "score_table":
        return item.get("score_min")
    for child in item.get("children", ()):
        found = _find_score(child)
        if found is not None:
            return found
    return None


def evaluate_node(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    result = {"code": node.get("code", ""), "label": node.get("label", ""), "kind": node["kind"]}
    result.update(EVALUATORS[node["kind"]](node, facts, context))
    return result


def _status_from_missing(missing: list[dict]) -> str:
    return MANUAL if missing and all(item["type"] == "manual" for item in missing) else UNKNOWN


def _threshold(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    metric = evaluate_metric(node["metric"], facts, context.year)
    out = {"op": node["op"], "required": node["value"], "unit": node.get("unit", "")}
    if metric.value is None:
        return {**out, "status": _status_from_missing(metric.missing), "missing": metric.missing}
    out["actual"] = metric.value
    if OPS[node["op"]](metric.value, node["value"]):
        return {**out, "status": MET}
    gap = rounded(abs(node["value"] - metric.value))
    out.update(status=NOT_MET, gap=gap)
    if metric.money_base is not None and node.get("unit") == "%":
        out["gap_amount"] = round(gap / 100 * metric.money_base, 2)
    return out


def _in_band(value: float, band: dict) -> bool:
    low, high = band.get("min"), band.get("max")
    if low is not None and (value < low or (value == low and band.get("min_inclusive") is False)):
        return False
    return high is None or value < high or (value == high and bool(band.get("max_inclusive")))


def _banded(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    metric = evaluate_metric(node["selector"], facts, context.year)
    if metric.value is None:
        return {"status": _status_from_missing(metric.missing), "missing": metric.missing}
    for band in node["bands"]:
        if _in_band(metric.value, band):
            child = evaluate_node(band["node"], facts, context)
            return {
                "status": child["status"],
                "band": band.get("label", ""),
                "actual": metric.value,
                "children": [child],
            }
    return {"status": NOT_MET, "actual": metric.value, "band": "", "children": []}


def _any_of(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    children = [evaluate_node(route, facts, context) for route in node["routes"]]
    statuses = {child["status"] for child in children}
    if MET in statuses:
        status = MET
    elif UNKNOWN in statuses:
        status = UNKNOWN
    elif NOT_MET in statuses:
        # An unconfirmed manual route is an alternative staff may still confirm, not a reason to wait.
        status = NOT_MET
    else:
        status = MANUAL
    met = next((child["code"] for child in children if child["status"] == MET), "")
    return {"status": status, "route": met, "children": children}


def _all_of(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    children = [evaluate_node(child, facts, context) for child in node["nodes"]]
    statuses = {child["status"] for child in children}
    for status in (NOT_MET, UNKNOWN, MANUAL):
        if status in statuses:
            return {"status": status, "children": children}
    return {"status": MET, "children": children}


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    as_of = context.on if node.get("as_of", "evaluation") == "evaluation" else datetime.date(context.year - 1, 12, 31)
    if "days" in node:
        out = {"op": ">=", "required": node["days"], "unit": "天"}
    else:
        out = {"op": ">=", "required": node["years"], "unit": "年"}
    if facts.registered_on is None:
        return {**out, "status": UNKNOWN, "missing": [{"type": "data", "field": "registered_on"}]}
    days = (as_of - facts.registered_on).days
    if "days" in node:
        actual, is_met = days, days >= node["days"]
    else:
        actual, is_met = round(days / 365.25, 1), add_years(facts.registered_on, node["years"]) <= as_of
        if not is_met and actual >= node["years"]:
            actual = rounded(node["years"] - 0.1)
    out["actual"] = actual
    if is_met:
        return {**out, "status": MET}
    return {**out, "status": NOT_MET, "gap": rounded(out["required"] - actual)}


def _holds_tier(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    tiers = node["tiers"]
    names = [context.tier_names.get(code, code) for code in tiers]
    return {"status": MET if facts.holds(tiers, context.on) else NOT_MET, "tiers": names}


def _industry(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    code = facts.industry_code
    if not code:
        return {"status": UNKNOWN, "missing": [{"type": "data", "field": "industry_code"}]}
    included = not node.get("include") or any(code.startswith(prefix) for prefix in node["include"])
    excluded = any(code.startswith(prefix) for prefix in node.get("exclude", ()))
    return {"status": MET if included and not excluded else NOT_MET, "actual": code}


def _region(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    path = context.region_paths.get(node["region_code"])
    return {"status": MET if path and facts.region_path.startswith(path) else NOT_MET}


def _size_class(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    allowed = node.get("allowed", SME_CLASSES)
    size = facts.size_class
    if not size:
        size = _industrial_size(facts, context.year - 1)
    if not size:
        return {"status": UNKNOWN, "missing": [{"type": "data", "field": "size_class"}]}
    return {"status": MET if size in allowed else NOT_MET, "actual": size}


def _industrial_size(facts: EnterpriseFacts, year: int) -> str:
    """《中小企业划型标准规定》 for 工业 (B, C, D): under 1000 people or under 40000 万元 is an SME."""
    if not facts.industry_code or facts.industry_code[0] not in "BCD":
        return ""
    employees, revenue = facts.figure(year, "employees"), facts.figure(year, "operating_revenue")
    if employees is None or revenue is None:
        return ""
    return "medium" if employees < 1000 or revenue < 40000 else "large"


def _manual(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    assessment = facts.assessments.get(node["key"])
    if assessment is None or assessment.is_met is None or not assessment.is_valid_on(context.on):
        missing = [{"type": "manual", "key": node["key"], "label": node.get("label", "")}]
        return {"status": MANUAL, "key": node["key"], "missing": missing}
    return {"status": MET if assessment.is_met else NOT_MET, "key": node["key"]}


def _score_table(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    items = [_score_item(item, facts, context) for item in node["items"]]
    low = rounded(sum(item["points_min"] for item in items))
    high = rounded(sum(item["points_max"] for item in items))
    op, required = node.get("op", ">="), node["min_total"]
    fails = not OPS[op](high, required)
    passes = OPS[op](low, required)
    groups = []
    for group, minimum in node.get("group_minimums", {}).items():
        g_low = rounded(sum(i["points_min"] for i in items if i.get("group") == group))
        g_high = rounded(sum(i["points_max"] for i in items if i.get("group") == group))
        groups.append({"group": group, "required": minimum, "points_min": g_low, "points_max": g_high})
        fails = fails or g_high < minimum
        passes = passes and g_low >= minimum
    for code in node.get("nonzero", ()):
        item = next(i for i in items if i["code"] == code)
        fails = fails or item["points_max"] <= 0
        passes = passes and item["points_min"] > 0
    if fails:
        status = NOT_MET
    elif passes:
        status = MET
    else:
        status = UNKNOWN if any(item["status"] == UNKNOWN for item in items) else MANUAL
    out = {"status": status, "op": op, "required": required, "unit": "分", "score_min": low, "score_max": high}
    out.update(items=items, groups=groups)
    if status == NOT_MET and low == high and not OPS[op](low, required):
        out["gap"] = rounded(required - low)
    return out


def _points(value) -> tuple[float, float]:
    return (value[0], value[1]) if isinstance(value, list) else (value, value)


def _score_item(item: dict, facts: EnterpriseFacts, context: Context) -> dict:
    out = {"code": item["code"], "label": item["label"], "group": item.get("group", ""), "max": item["max"]}
    if "expert" in item:
        assessment = facts.assessments.get(item["expert"])
        if assessment is None or assessment.value is None:
            return {**out, "status": MANUAL, "points_min": 0, "points_max": item["max"], "key": item["expert"]}
        points = min(assessment.value, item["max"])
        return {**out, "status": MET, "points_min": points, "points_max": points, "key": item["expert"]}
    if "bands" in item:
        metric = evaluate_metric(item["metric"], facts, context.year)
        if metric.value is None:
            status = _status_from_missing(metric.missing)
            return {**out, "status": status, "points_min": 0, "points_max": item["max"], "missing": metric.missing}
        band = next((band for band in item["bands"] if _in_band(metric.value, band)), None)
        low, high = _points(band["points"]) if band else (0, 0)
        # A band worth "7–8" leaves the exact points to the experts.
        return {
            **out,
            "status": MET if low == high else MANUAL,
            "actual": metric.value,
            "unit": item.get("unit", ""),
            "points_min": low,
            "points_max": high,
        }
    if "additive" in item:
        total, unsure, missing = 0.0, 0.0, []
        for part in item["additive"]:
            child = evaluate_node(part["when"], facts, context)
            if child["status"] == MET:
                total += part["points"]
            elif child["status"] == UNKNOWN:
                unsure += part["points"]
                missing += child.get("missing", [])
        low, high = min(total, item["max"]), min(total + unsure, item["max"])
        return {
            **out,
            "status": UNKNOWN if high > low else MET,
            "points_min": low,
            "points_max": high,
            "missing": missing,
        }
    # First matching rule gives the points. A rule lacking data keeps its points possible;
    # an unconfirmed manual rule counts as not met until staff confirm it.
    possible, missing = [], []
    for rule in item["rules"]:
        child = evaluate_node(rule["when"], facts, context)
        if child["status"] == MET:
            possible.append(_points(rule["points"]))
            break
        if child["status"] == UNKNOWN:
            possible.append(_points(rule["points"]))
            missing += child.get("missing", [])
    else:
        possible.append((0, 0))
    low, high = min(p[0] for p in possible), max(p[1] for p in possible)
    status = MET if high == low else (UNKNOWN if missing else MANUAL)
    return {**out, "status": status, "points_min": low, "points_max": high, "missing": missing}


EVALUATORS = {
    "threshold": _threshold,
    "banded": _banded,
    "score_table": _score_table,
    "any_of": _any_of,
    "all_of": _all_of,
    "age": _age,
    "holds_tier": _holds_tier,
    "industry": _industry,
    "region": _region,
    "size_class": _size_class,
    "manual": _manual,
}
