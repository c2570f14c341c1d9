"""Sentences for evaluation results, in the reader's language.

Results are stored as numbers (see nodes.py); the words are built here at
display time from gettext msgids, so the Chinese UI reads
“研发费用占营业收入 2.1%，需 ≥ 3%，差 0.9 个百分点，约 27 万元”.
"""

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiers.criteria.catalogue import FACT_LABELS
from tiers.criteria.facts import field_label
from tiers.criteria.nodes import MANUAL, MET, NOT_MET, UNKNOWN
from tiers.criteria.verdicts import Verdict

OP_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def number(value) -> str:
    if value is None:
        return "—"
    text = f"{float(value):,.2f}".replace(",", "")
    return text.rstrip("0").rstrip(".") if "." in text else text


def places_needed(difference) -> int:
    """Decimals down to a difference's first significant digit: two at least, six (the evaluation's) at most."""
    figure = abs(float(difference))
    return 2 if figure == 0 else min(6, max(2, -math.floor(math.log10(figure))))


def number_to(value, places: int) -> str:
    text = f"{float(value):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity(value, unit: str, *, places: int = 2) -> str:
    text = number(value) if places == 2 else number_to(value, places)
    if unit == "%":
        return f"{text}%"
    formats = {
        "万元": _("%(value)s 万元"),
        "年": _("%(value)s years"),
        "天": _("%(value)s days"),
        "分": _("%(value)s points"),
        "人": _("%(value)s people"),
        "项": _("%(value)s items"),
        "pp": _("%(value)s percentage points"),
    }
    return formats[unit] % {"value": text} if unit in formats else text


def describe_missing(missing: dict, labels: dict[str, str] | None = None) -> str:
    if missing["type"] == "manual":
        key = missing["key"]
        return missing.get("label") or (labels or {}).get(key) or FACT_LABELS.get(key) or key
    if "year" in missing:
        return _("%(year)s %(field)s") % {"year": missing["year"], "field": field_label(missing["field"])}
    return field_label(missing["field"])


def describe(item: dict, labels: dict[str, str] | None = None) -> str:
    """One sentence for an evaluated criterion (or a route inside one)."""
    label, status, kind = item["label"], item["status"], item["kind"]
    if status == UNKNOWN and item.get("missing"):
        fields = "、".join(dict.fromkeys(describe_missing(m, labels) for m in item["missing"]))
        return _("%(label)s: data missing (%(fields)s)") % {"label": label, "fields": fields}
    if status == MANUAL and kind in ("manual", "threshold", "compliance"):
        return _("%(label)s: awaiting confirmation by staff") % {"label": label}
    if kind in ("threshold", "age"):
        return _describe_threshold(item)
    if kind == "compliance":
        return _describe_compliance(item)
    if kind == "score_table":
        return _describe_score(item)
    if kind == "holds_tier":
        values = {"label": label, "tiers": "、".join(item["tiers"])}
        if status == MET:
            return _("%(label)s: holds a valid %(tiers)s recognition") % values
        return _("%(label)s: no valid %(tiers)s recognition") % values
    if kind == "industry":
        values = {"label": label, "code": item.get("actual", "")}
        if status == MET:
            return _("%(label)s: industry %(code)s qualifies") % values
        return _("%(label)s: industry %(code)s does not qualify") % values
    if kind == "any_of":
        if status == MET:
            route = next((c["label"] for c in item["children"] if c["code"] == item.get("route")), "")
            return _("%(label)s: met through “%(route)s”") % {"label": label, "route": route}
        if status == NOT_MET:
            return _("%(label)s: none of the alternatives is met") % {"label": label}
    if kind == "banded" and item.get("band"):
        return _("%(label)s (band: %(band)s)") % {"label": label, "band": item["band"]}
    return {
        MET: _("%(label)s: met"),
        NOT_MET: _("%(label)s: not met"),
        UNKNOWN: _("%(label)s: data missing"),
        MANUAL: _("%(label)s: awaiting confirmation by staff"),
    }[status] % {"label": label}


def _describe_threshold(item: dict) -> str:
    unit = item.get("unit", "")
    # A figure just short of its threshold is shown with the decimals its gap needs: never "差 0 个百分点".
    places = places_needed(item["gap"]) if item["status"] != MET and item.get("gap") else 2
    values = {
        "label": item["label"],
        "actual": quantity(item["actual"], unit, places=places),
        "op": OP_SYMBOLS[item["op"]],
        "required": quantity(item["required"], unit),
    }
    if item["status"] == MET:
        return _("%(label)s %(actual)s, needs %(op)s %(required)s") % values
    values["gap"] = quantity(item["gap"], "pp" if unit == "%" else unit, places=places)
    if item["op"] in ("<=", "<"):
        return _("%(label)s %(actual)s, needs %(op)s %(required)s, over by %(gap)s") % values
    if item.get("gap_amount") is not None:
        amount = item["gap_amount"]
        values["amount"] = (
            quantity(amount, "万元") if amount >= 0.01 else _("less than %(value)s") % {"value": quantity(0.01, "万元")}
        )
        return _("%(label)s %(actual)s, needs %(op)s %(required)s, short by %(gap)s, about %(amount)s") % values
    return _("%(label)s %(actual)s, needs %(op)s %(required)s, short by %(gap)s") % values


def describe_compliance_record(record: dict) -> str:
    """“行政处罚（安全·重大）2025-03-01 中卫市应急管理局 卫应急罚〔2025〕12号”, from ComplianceFact.as_json."""
    from enterprises.compliance.selectors import record_text

    dates = record["listed_on"]
    if record.get("removed_on"):
        dates = _("%(start)s to %(end)s") % {"start": record["listed_on"], "end": record["removed_on"]}
    parts = [record_text(record), dates, record.get("authority", ""), record.get("document_number", "")]
    return " ".join(part for part in parts if part)


def _describe_compliance(item: dict) -> str:
    values = {"label": item["label"], "since": item.get("since", "")}
    if item["status"] == NOT_MET and item.get("records"):
        values["records"] = "；".join(describe_compliance_record(record) for record in item["records"])
        return _("%(label)s: not met, compliance record since %(since)s: %(records)s") % values
    if item["status"] == NOT_MET:
        return _("%(label)s: not met (confirmed by staff)") % values
    if item.get("covered"):
        return _("%(label)s: no compliance record since %(since)s") % values
    return _("%(label)s: confirmed by staff") % values


def _describe_score(item: dict) -> str:
    values = {
        "label": item["label"],
        "op": OP_SYMBOLS[item["op"]],
        "required": quantity(item["required"], "分"),
        "score": quantity(item["score_min"], "分"),
    }
    if item["score_min"] != item["score_max"]:
        values["score"] = _("%(low)s–%(high)s points") % {
            "low": number(item["score_min"]),
            "high": number(item["score_max"]),
        }
    if item["status"] == NOT_MET and item.get("gap") is not None:
        values["gap"] = quantity(item["gap"], "分")
        return _("%(label)s %(score)s, needs %(op)s %(required)s, short by %(gap)s") % values
    if item["status"] == NOT_MET:
        return _("%(label)s %(score)s, needs %(op)s %(required)s (a group or required item falls short)") % values
    return _("%(label)s %(score)s, needs %(op)s %(required)s") % values


def describe_score_item(item: dict) -> str:
    points = number(item["points_min"])
    if item["points_max"] != item["points_min"]:
        points = f"{number(item['points_min'])}–{number(item['points_max'])}"
    values = {"label": item["label"], "points": points, "max": number(item["max"])}
    if item.get("actual") is not None:
        values["actual"] = quantity(item["actual"], item.get("unit", ""))
        return _("%(label)s %(actual)s: %(points)s of %(max)s points") % values
    return _("%(label)s: %(points)s of %(max)s points") % values


def describe_verdict(verdict: str, missing_count: int) -> str:
    if verdict == Verdict.MISSES:
        return ngettext("Misses %(count)s criterion", "Misses %(count)s criteria", missing_count) % {
            "count": missing_count
        }
    return str(Verdict(verdict).label)


def gap_lines(details: list[dict], labels: dict[str, str] | None = None) -> list[dict]:
    """The criteria an enterprise misses or cannot be judged on, with the sentence and sub-lines."""
    lines = []
    for item in details:
        if item["status"] == MET:
            continue
        children = [
            describe(child, labels)
            for child in item.get("children", ())
            if child["status"] != MET or item["kind"] == "banded"
        ]
        lines.append(
            {"status": item["status"], "text": describe(item, labels), "children": children, "code": item["code"]}
        )
    return lines


def missing_data(details: list[dict], labels: dict[str, str] | None = None) -> list[str]:
    """Every figure or staff confirmation that would let the evaluation decide, once each."""
    found: dict[str, None] = {}

    def walk(item: dict) -> None:
        if item["status"] == MET:
            return
        if item["status"] in (UNKNOWN, MANUAL):
            for missing in item.get("missing", ()):
                found[describe_missing(missing, labels)] = None
        for child in item.get("children", ()):
            walk(child)
        for child in item.get("items", ()):
            if child["status"] in (UNKNOWN, MANUAL):
                for missing in child.get("missing", ()):
                    found[describe_missing(missing, labels)] = None

    for item in details:
        walk(item)
    return list(found)


def pending_confirmations(details: list[dict], labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(key, label) of the staff-confirmed facts that would move a criterion not yet met."""
    found: dict[str, str] = {}

    def walk(item: dict) -> None:
        if item["status"] == MET:
            return
        for missing in item.get("missing", ()):
            if missing["type"] == "manual":
                found.setdefault(missing["key"], describe_missing(missing, labels))
        for child in item.get("children", ()):
            walk(child)
        for child in item.get("items", ()):
            if child.get("key") and child["status"] == MANUAL:
                found.setdefault(child["key"], describe_missing({"type": "manual", "key": child["key"]}, labels))
            for missing in child.get("missing", ()):
                if missing["type"] == "manual":
                    found.setdefault(missing["key"], describe_missing(missing, labels))

    for item in details:
        walk(item)
    return list(found.items())
