"""Scored criteria: a points table (创新型中小企业, 专精特新, 科技型中小企业) compiled like any other node.

The table passes when even its lowest possible total reaches the minimum and
fails when even its highest cannot; between the two, points still wait for data
or for the experts.
"""

from tiers.criteria.facts import EnterpriseFacts
from tiers.criteria.metrics import compile_metric, rounded
from tiers.criteria.nodes import (
    MANUAL,
    MET,
    NOT_MET,
    OPS,
    UNKNOWN,
    Context,
    Program,
    _band_test,
    _status_from_missing,
    compile_node,
)


def compile_score_table(node: dict, head: dict) -> Program:
    items = [_score_item(item) for item in node["items"]]
    codes = [item["code"] for item in node["items"]]
    op, required = node.get("op", ">="), node["min_total"]
    compare = OPS[op]
    group_minimums = list(node.get("group_minimums", {}).items())
    nonzero = [codes.index(code) for code in node.get("nonzero", ())]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        scored = [item(facts, context, memo) for item in items]
        low = rounded(sum(item["points_min"] for item in scored))
        high = rounded(sum(item["points_max"] for item in scored))
        fails = not compare(high, required)
        passes = compare(low, required)
        groups = []
        for group, minimum in group_minimums:
            g_low = rounded(sum(i["points_min"] for i in scored if i.get("group") == group))
            g_high = rounded(sum(i["points_max"] for i in scored if i.get("group") == group))
            groups.append({"group": group, "required": minimum, "points_min": g_low, "points_max": g_high})
            fails = fails or g_high < minimum
            passes = passes and g_low >= minimum
        for index in nonzero:
            fails = fails or scored[index]["points_max"] <= 0
            passes = passes and scored[index]["points_min"] > 0
        if fails:
            status = NOT_MET
        elif passes:
            status = MET
        else:
            status = UNKNOWN if any(item["status"] == UNKNOWN for item in scored) else MANUAL
        out = {**head, "status": status, "op": op, "required": required, "unit": "分", "score_min": low}
        out.update(score_max=high, items=scored, groups=groups)
        if status == NOT_MET and low == high and not compare(low, required):
            out["gap"] = rounded(required - low)
        return out

    return run


def _points(value) -> tuple[float, float]:
    return (value[0], value[1]) if isinstance(value, list) else (value, value)


def _score_item(item: dict) -> Program:
    head = {"code": item["code"], "label": item["label"], "group": item.get("group", ""), "max": item["max"]}
    if "expert" in item:
        return _expert_item(item, head)
    if "bands" in item:
        return _banded_item(item, head)
    if "additive" in item:
        return _additive_item(item, head)
    return _rules_item(item, head)


def _expert_item(item: dict, head: dict) -> Program:
    key, most = item["expert"], item["max"]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        assessment = facts.assessments.get(key)
        if assessment is None or assessment.value is None:
            return {**head, "status": MANUAL, "points_min": 0, "points_max": most, "key": key}
        points = min(assessment.value, most)
        return {**head, "status": MET, "points_min": points, "points_max": points, "key": key}

    return run


def _banded_item(item: dict, head: dict) -> Program:
    metric = compile_metric(item["metric"])
    bands = [(_band_test(band), _points(band["points"])) for band in item["bands"]]
    most, unit = item["max"], item.get("unit", "")

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        value = metric(facts, context.on.year, memo)
        actual = value.value
        if actual is None:
            status = _status_from_missing(value.missing)
            return {**head, "status": status, "points_min": 0, "points_max": most, "missing": value.missing}
        low, high = next((points for contains, points in bands if contains(actual)), (0, 0))
        # A band worth "7–8" leaves the exact points to the experts.
        status = MET if low == high else MANUAL
        return {**head, "status": status, "actual": actual, "unit": unit, "points_min": low, "points_max": high}

    return run


def _additive_item(item: dict, head: dict) -> Program:
    parts = [(compile_node(part["when"]), part["points"]) for part in item["additive"]]
    most = item["max"]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        total, unsure, missing = 0.0, 0.0, []
        for program, points in parts:
            child = program(facts, context, memo)
            if child["status"] == MET:
                total += points
            elif child["status"] == UNKNOWN:
                unsure += points
                missing += child.get("missing", [])
        low, high = min(total, most), min(total + unsure, most)
        status = UNKNOWN if high > low else MET
        return {**head, "status": status, "points_min": low, "points_max": high, "missing": missing}

    return run


def _rules_item(item: dict, head: dict) -> Program:
    rules = [(compile_node(rule["when"]), _points(rule["points"])) for rule in item["rules"]]

    def run(facts: EnterpriseFacts, context: Context, memo: dict) -> dict:
        # First matching rule gives the points. A rule lacking data keeps its points possible;
        # an unconfirmed manual rule counts as not met until staff confirm it.
        possible, missing = [], []
        for program, points in rules:
            child = program(facts, context, memo)
            if child["status"] == MET:
                possible.append(points)
                break
            if child["status"] == UNKNOWN:
                possible.append(points)
                missing += child.get("missing", [])
        else:
            possible.append((0, 0))
        low, high = min(p[0] for p in possible), max(p[1] for p in possible)
        status = MET if high == low else (UNKNOWN if missing else MANUAL)
        return {**head, "status": status, "points_min": low, "points_max": high, "missing": missing}

    return run
