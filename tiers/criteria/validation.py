"""Checks an administrator's criterion parameters before they are saved."""

from django.utils.translation import gettext as _

from tiers.criteria.metrics import FIELDS, GROWTH_FORMULAS
from tiers.criteria.nodes import COMPILERS, OPS

METRIC_ARGUMENTS = {
    "fact": ("key",),
    "value": (),
    "sum": (),
    "mean": (),
    "min": (),
    "ratio": ("num", "den"),
    "pooled_ratio": ("num", "den"),
    "min_ratio": ("num", "den"),
    "growth": ("field",),
    "avg_growth": ("field", "years"),
}
NODE_ARGUMENTS = {
    "threshold": ("metric", "op", "value"),
    "banded": ("selector", "bands"),
    "score_table": ("items", "min_total"),
    "any_of": ("routes",),
    "all_of": ("nodes",),
    "age": (),
    "holds_tier": ("tiers",),
    "industry": (),
    "region": ("region_code",),
    "size_class": (),
    "manual": ("key",),
    "compliance": ("key",),
}


def metric_errors(spec, where: str) -> list[str]:
    if not isinstance(spec, dict) or spec.get("fn") not in METRIC_ARGUMENTS:
        return [
            _("%(where)s: the metric needs an “fn” among %(names)s.")
            % {"where": where, "names": ", ".join(METRIC_ARGUMENTS)}
        ]
    errors = [
        _("%(where)s: the metric needs “%(name)s”.") % {"where": where, "name": name}
        for name in METRIC_ARGUMENTS[spec["fn"]]
        if name not in spec
    ]
    if spec["fn"] in ("value", "sum", "mean", "min") and not (spec.get("field") or spec.get("fields")):
        errors.append(_("%(where)s: the metric needs “field” or “fields”.") % {"where": where})
    names = [spec.get(key) for key in ("field", "num", "den") if spec.get(key)] + list(spec.get("fields", []))
    errors += [
        _("%(where)s: “%(name)s” is not an indicator.") % {"where": where, "name": name}
        for name in names
        if name not in FIELDS
    ]
    for key in ("year", "years"):
        value = spec.get(key)
        values = value if isinstance(value, list) else [value] if value is not None else []
        if any(not isinstance(v, int) or v > 0 for v in values):
            errors.append(_("%(where)s: years are offsets like -1 (上年度) and -2.") % {"where": where})
    if spec.get("formula") and spec["formula"] not in GROWTH_FORMULAS:
        errors.append(_("%(where)s: the growth formula must be mean_yoy or cagr.") % {"where": where})
    return errors


def node_errors(node, where: str = "") -> list[str]:
    if not isinstance(node, dict) or node.get("kind") not in COMPILERS:
        return [_("%(where)s: unknown kind of criterion.") % {"where": where or "?"}]
    where = where or node.get("code") or node["kind"]
    kind = node["kind"]
    errors = [
        _("%(where)s: “%(name)s” is required for this kind.") % {"where": where, "name": name}
        for name in NODE_ARGUMENTS[kind]
        if name not in node
    ]
    if errors:
        return errors
    if kind == "threshold":
        errors += metric_errors(node["metric"], where)
        if node["op"] not in OPS:
            errors.append(_("%(where)s: the operator must be one of >=, >, <=, <.") % {"where": where})
        if not isinstance(node["value"], int | float):
            errors.append(_("%(where)s: the threshold must be a number.") % {"where": where})
    elif kind == "banded":
        errors += metric_errors(node["selector"], where)
        for index, band in enumerate(node["bands"], start=1):
            errors += node_errors(band.get("node"), f"{where}/band {index}")
    elif kind == "any_of":
        for index, route in enumerate(node["routes"], start=1):
            errors += node_errors(route, f"{where}/{index}")
    elif kind == "all_of":
        for index, child in enumerate(node["nodes"], start=1):
            errors += node_errors(child, f"{where}/{index}")
    elif kind == "age" and not ("years" in node or "days" in node):
        errors.append(_("%(where)s: give “years” or “days”.") % {"where": where})
    elif kind == "score_table":
        for item in node["items"]:
            errors += _item_errors(item, f"{where}/{item.get('code', '?')}")
    return errors


def _item_errors(item: dict, where: str) -> list[str]:
    if not {"code", "label", "max"} <= set(item):
        return [_("%(where)s: a score item needs code, label and max.") % {"where": where}]
    if "expert" in item:
        return []
    if "bands" in item:
        return metric_errors(item.get("metric"), where)
    parts = item.get("rules") or item.get("additive")
    if not parts:
        return [_("%(where)s: a score item needs bands, rules, additive or expert.") % {"where": where}]
    errors = []
    for part in parts:
        errors += node_errors(part.get("when"), where)
    return errors
