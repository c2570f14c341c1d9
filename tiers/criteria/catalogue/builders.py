"""The small helpers the ladder modules write criteria with: the status codes, node constructors (thresholds,
manual facts, alternatives, score tables), the compliance veto and the common ratios.
"""

from tiers.criteria.catalogue.fact_labels import FACT_LABELS

C, P, U = "confirmed", "partial", "unconfirmed"
SME = ("micro", "small", "medium")


def fig(field: str, year: int = -1) -> dict:
    return {"fn": "value", "field": field, "year": year}


def ratio(num: str, den: str, year: int = -1) -> dict:
    return {"fn": "ratio", "num": num, "den": den, "year": year}


def node(kind: str, code: str, label: str, **params) -> dict:
    return {"kind": kind, "code": code, "label": label, **params}


def threshold(code: str, label: str, metric: dict, op: str, value: float, unit: str = "", **extra) -> dict:
    return node("threshold", code, label, metric=metric, op=op, value=value, unit=unit, **extra)


def manual(key: str, label: str | None = None, **extra) -> dict:
    return node("manual", key, label or FACT_LABELS[key], key=key, **extra)


def fact_threshold(key: str, op: str, value: float, unit: str = "", label: str | None = None, **extra) -> dict:
    return threshold(key, label or FACT_LABELS[key], {"fn": "fact", "key": key}, op, value, unit, **extra)


def any_of(code: str, label: str, *routes: dict, **extra) -> dict:
    return node("any_of", code, label, routes=list(routes), **extra)


def all_of(code: str, label: str, *nodes: dict, **extra) -> dict:
    return node("all_of", code, label, nodes=list(nodes), **extra)


def bands(*rows: tuple) -> list[dict]:
    """(min, max, points) rows, half-open [min, max)."""
    return [{"min": low, "max": high, "points": points} for low, high, points in rows]


def banded_item(code, label, group, metric, maximum, rows, unit="%") -> dict:
    return {
        "code": code,
        "label": label,
        "group": group,
        "metric": metric,
        "max": maximum,
        "unit": unit,
        "bands": bands(*rows),
    }


def rule(when: dict, points) -> dict:
    return {"when": when, "points": points}


def size_sme(status: str = C) -> dict:
    return node("size_class", "sme", "属于中小企业（《中小企业划型标准规定》）", allowed=list(SME), status=status)


ALL_LISTS = ["serious_dishonest", "judgment_defaulter", "abnormal_operation"]
INCIDENTS = ["safety", "quality", "environment"]
ALL_PENALTIES = [*INCIDENTS, "tax", "cyber_data"]


def compliance(
    status: str = C,
    label: str | None = None,
    *,
    years: int = 3,
    lists: list[str] = ALL_LISTS,
    penalties: list[str] = INCIDENTS,
    **extra,
) -> dict:
    """The veto condition, decided from the register's compliance records over its window (see nodes._compliance).

    Staff confirmations stay keyed "compliance-clean", shared by every tier."""
    label = label or FACT_LABELS["compliance-clean"]
    params = {"key": "compliance-clean", "years": years, "lists": list(lists), "penalties": list(penalties)}
    return node("compliance", "compliance-clean", label, **params, status=status, **extra)


RD_RATIO = ratio("rd_expense", "operating_revenue")
MAIN_SHARE = ratio("main_business_revenue", "operating_revenue")
DEBT_RATIO = ratio("total_liabilities", "total_assets")


def rd_three_year(minimum: float, code: str = "rd-3y") -> dict:
    return threshold(
        code,
        "近三个会计年度研发费用总额占同期销售收入总额比例",
        {
            "fn": "pooled_ratio",
            "num": "rd_expense",
            "den": "operating_revenue",
            "years": [-3, -2, -1],
            "since_registration": True,
        },
        ">=",
        minimum,
        "%",
    )
