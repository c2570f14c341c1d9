"""The evaluation core: criteria compiled once, then applied to plain facts.

Each criterion is a node {"kind", "code", "label", ...params}. `compile_node`
reads a node once and returns a function of (facts, context, memo) giving a
JSON-ready dict with its status (met / not_met / unknown / manual), the actual
and required values, the gap and, for composite kinds, its children. The
recompute compiles each criteria set once per run (CriteriaBook.load) and
applies it to every enterprise; `evaluate_set` and `evaluate_node` compile on
the spot for one-off use. Both paths run the same compiled code.
"""

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from tiers.criteria.facts import EnterpriseFacts
from tiers.criteria.metrics import compile_metric, rounded
from tiers.criteria.verdicts import Verdict

MET, NOT_MET, UNKNOWN, MANUAL = "met", "not_met", "unknown", "manual"
SME_CLASSES = ("micro", "small", "medium")
OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


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


# (facts, context, memo) -> the evaluated node; memo caches metrics for one enterprise and date.
Program = Callable[[EnterpriseFacts, Context, dict], dict]
SetProgram = Callable[..., Evaluation]


def compile_set(nodes: list[dict]) -> SetProgram:
    """Every criterion of a set is required; alternatives live inside any_of nodes."""
    programs = [compile_node(node) for node in nodes]
    # Only criteria with a score table somewhere inside can carry the set's score.
    scored = [index for index, node in enumerate(nodes) if _has_score_table(node)]
    verdicts = (str(Verdict.MISSES), str(Verdict.INSUFFICIENT_DATA), str(Verdict.MEETS_EXCEPT_MANUAL))
    meets = str(Verdict.MEETS)

    def run(facts: EnterpriseFacts, context: Context, memo: dict | None = None) -> Evaluation:
        memo = {} if memo is None else memo
        details = [program(facts, context, memo) for program in programs]
        statuses = [item["status"] for item in details]
        missed, unknown, manual = statuses.count(NOT_MET), statuses.count(UNKNOWN), statuses.count(MANUAL)
        if missed:
            verdict = verdicts[0]
        elif unknown:
            verdict = verdicts[1]
        elif manual:
            verdict = verdicts[2]
        else:
            verdict = meets
        score = None
        for index in scored:
            score = _find_score(details[index])
            if score is not None:
                break
        return Evaluation(verdict, score, missed, unknown, manual, details)

    return run


def evaluate_set(nodes: list[dict], facts: EnterpriseFacts, context: Context) -> Evaluation:
    return compile_set(nodes)(facts, context)


def evaluate_node(node: dict, facts: EnterpriseFacts, context: Context) -> dict:
    return compile_node(node)(facts, context, {})


def _has_score_table(node: dict) -> bool:
    if node.get("kind") == "score_table":
        return True
    children = [*node.get("routes", ()), *node.get("nodes", ()), *(b["node"] for b in node.get("bands", ()))]
    return any(_has_score_table(child) for child in children)


def _find_score(item: dict) -> float | None:
    if item["kind"] == "score_table":
        return item.get("score_min")
    for child in item.get("children", ()):
        found = _find_score(child)
        if found is not None:
            return found
    return None


def compile_node(node: dict) -> Program:
    return COMPILERS[node["kind"]](
        node, {"code": node.get("code", ""), "label": node.get("label", ""), "kind": node["kind"]}
    )


def _status_from_missing(missing: list[dict]) -> str:
    return MANUAL if missing and all(item["type"] == "manual" for item in missing) else UNKNOWN


def _threshold(node: dict, head: dict) -> Program:
    metric = compile_metric(node["metric"])
    op, required, unit = node["op"], node["value"], node.get("unit", "")
    compare = OPS[op]
    is_percent = unit == "%"

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        value = metric(facts, context.on.year, memo)
        actual = value.value
        if actual is None:
            missing = value.missing
            status = _status_from_missing(missing)
            return {**head, "op": op, "required": required, "unit": unit, "status": status, "missing": missing}
        if compare(actual, required):
            return {**head, "op": op, "required": required, "unit": unit, "actual": actual, "status": MET}
        gap = rounded(abs(required - actual))
        out = {**head, "op": op, "required": required, "unit": unit, "actual": actual, "status": NOT_MET, "gap": gap}
        if is_percent and value.money_base is not None:
            out["gap_amount"] = round(gap / 100 * value.money_base, 2)
        return out

    return run


def _band_test(band: dict) -> Callable[[float], bool]:
    """ "X以上" is ≥ X and "X–Y" is [X, Y) unless the band says otherwise."""
    low, high = band.get("min"), band.get("max")
    low_open, high_closed = band.get("min_inclusive") is False, bool(band.get("max_inclusive"))

    def contains(value: float) -> bool:
        if low is not None and (value < low or (low_open and value == low)):
            return False
        return high is None or value < high or (high_closed and value == high)

    return contains


def _banded(node: dict, head: dict) -> Program:
    selector = compile_metric(node["selector"])
    bands = [(_band_test(band), band.get("label", ""), compile_node(band["node"])) for band in node["bands"]]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        value = selector(facts, context.on.year, memo)
        actual = value.value
        if actual is None:
            return {**head, "status": _status_from_missing(value.missing), "missing": value.missing}
        for contains, label, program in bands:
            if contains(actual):
                child = program(facts, context, memo)
                return {**head, "status": child["status"], "band": label, "actual": actual, "children": [child]}
        return {**head, "status": NOT_MET, "actual": actual, "band": "", "children": []}

    return run


def _any_of(node: dict, head: dict) -> Program:
    routes = [compile_node(route) for route in node["routes"]]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        children = [route(facts, context, memo) for route in routes]
        statuses = {child["status"] for child in children}
        if MET in statuses:
            status = MET
            met = next(child["code"] for child in children if child["status"] == MET)
            return {**head, "status": status, "route": met, "children": children}
        if UNKNOWN in statuses:
            status = UNKNOWN
        elif NOT_MET in statuses:
            # An unconfirmed manual route is an alternative staff may still confirm, not a reason to wait.
            status = NOT_MET
        else:
            status = MANUAL
        return {**head, "status": status, "route": "", "children": children}

    return run


def _all_of(node: dict, head: dict) -> Program:
    parts = [compile_node(child) for child in node["nodes"]]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        children = [part(facts, context, memo) for part in parts]
        statuses = {child["status"] for child in children}
        for status in (NOT_MET, UNKNOWN, MANUAL):
            if status in statuses:
                return {**head, "status": status, "children": children}
        return {**head, "status": MET, "children": children}

    return run


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(node: dict, head: dict) -> Program:
    at_evaluation = node.get("as_of", "evaluation") == "evaluation"
    in_days = "days" in node
    required = node["days"] if in_days else node["years"]
    unit = "天" if in_days else "年"

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        as_of = context.on if at_evaluation else datetime.date(context.on.year - 1, 12, 31)
        out = {**head, "op": ">=", "required": required, "unit": unit}
        if facts.registered_on is None:
            return {**out, "status": UNKNOWN, "missing": [{"type": "data", "field": "registered_on"}]}
        days = (as_of - facts.registered_on).days
        if in_days:
            actual, is_met = days, days >= required
        else:
            actual, is_met = round(days / 365.25, 1), add_years(facts.registered_on, required) <= as_of
            if not is_met and actual >= required:
                actual = rounded(required - 0.1)
        out["actual"] = actual
        if is_met:
            return {**out, "status": MET}
        return {**out, "status": NOT_MET, "gap": rounded(required - actual)}

    return run


def _holds_tier(node: dict, head: dict) -> Program:
    tiers = node["tiers"]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        names = [context.tier_names.get(code, code) for code in tiers]
        return {**head, "status": MET if facts.holds(tiers, context.on) else NOT_MET, "tiers": names}

    return run


def _industry(node: dict, head: dict) -> Program:
    include, exclude = tuple(node.get("include") or ()), tuple(node.get("exclude", ()))

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        code = facts.industry_code
        if not code:
            return {**head, "status": UNKNOWN, "missing": [{"type": "data", "field": "industry_code"}]}
        included = not include or code.startswith(include)
        excluded = bool(exclude) and code.startswith(exclude)
        return {**head, "status": MET if included and not excluded else NOT_MET, "actual": code}

    return run


def _region(node: dict, head: dict) -> Program:
    region_code = node["region_code"]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        path = context.region_paths.get(region_code)
        return {**head, "status": MET if path and facts.region_path.startswith(path) else NOT_MET}

    return run


def _size_class(node: dict, head: dict) -> Program:
    allowed = node.get("allowed", SME_CLASSES)

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        size = facts.size_class or _industrial_size(facts, context.on.year - 1)
        if not size:
            return {**head, "status": UNKNOWN, "missing": [{"type": "data", "field": "size_class"}]}
        return {**head, "status": MET if size in allowed else NOT_MET, "actual": size}

    return run


def _industrial_size(facts: EnterpriseFacts, year: int) -> str:
    """《中小企业划型标准规定》 for 工业 (B, C, D): under 1000 people or under 40000 万元 is an SME."""
    if not facts.industry_code or facts.industry_code[0] not in "BCD":
        return ""
    employees, revenue = facts.figure(year, "employees"), facts.figure(year, "operating_revenue")
    if employees is None or revenue is None:
        return ""
    return "medium" if employees < 1000 or revenue < 40000 else "large"


def _manual(node: dict, head: dict) -> Program:
    key, label = node["key"], node.get("label", "")

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        assessment = facts.assessments.get(key)
        if assessment is None or assessment.is_met is None or not assessment.is_valid_on(context.on):
            missing = [{"type": "manual", "key": key, "label": label}]
            return {**head, "status": MANUAL, "key": key, "missing": missing}
        return {**head, "status": MET if assessment.is_met else NOT_MET, "key": key}

    return run


COMPLIANCE_LISTS = ("serious_dishonest", "judgment_defaulter", "abnormal_operation")


def compliance_window(node: dict, on: datetime.date) -> datetime.date:
    """The first day a record counts: 上一年1月1日 for 科技型中小企业, else `years` back from the evaluation date."""
    if node.get("since_previous_year"):
        return datetime.date(on.year - 1, 1, 1)
    return add_years(on, -int(node.get("years", 3)))


def _compliance(node: dict, head: dict) -> Program:
    """Veto criteria from the register's compliance records.

    A record in the window fails the criterion (the record is named); otherwise a
    staff confirmation decides if there is one; otherwise the criterion passes when
    the enterprise's region had its compliance data imported, and waits for staff
    when the register knows nothing.
    """
    key, label = node.get("key", "compliance-clean"), node.get("label", "")
    lists = frozenset(node.get("lists", COMPLIANCE_LISTS))
    penalties = frozenset(node.get("penalties", ()))

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        start = compliance_window(node, context.on)
        found = [record for record in facts.compliance if record.falls_in(start, context.on, lists, penalties)]
        out = {**head, "key": key, "since": start.isoformat()}
        if found:
            return {**out, "status": NOT_MET, "records": [record.as_json() for record in found]}
        assessment = facts.assessments.get(key)
        if assessment is not None and assessment.is_met is not None and assessment.is_valid_on(context.on):
            return {**out, "status": MET if assessment.is_met else NOT_MET}
        if facts.compliance_covered:
            return {**out, "status": MET, "covered": True}
        return {**out, "status": MANUAL, "missing": [{"type": "manual", "key": key, "label": label}]}

    return run


from tiers.criteria.scoring import compile_score_table  # noqa: E402  (scoring builds on the kinds above)

COMPILERS = {
    "threshold": _threshold,
    "banded": _banded,
    "score_table": compile_score_table,
    "any_of": _any_of,
    "all_of": _all_of,
    "age": _age,
    "holds_tier": _holds_tier,
    "industry": _industry,
    "region": _region,
    "size_class": _size_class,
    "manual": _manual,
    "compliance": _compliance,
}
