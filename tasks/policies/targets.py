"""The targets of each document as structured records, and the baselines and conflicts they imply.

中卫's targets are read from each task's text ("到 2025 年，新增…9 家；到 2027 年，
力争再培育 6 家，总数达到 70 家"). The other documents state their goals in
prose too varied to parse safely, so their targets are declared here, each
with the sentence it comes from; the loader refuses to load a target whose
quote is not in the document, so a declaration cannot drift from the text.
"""

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from tasks.policies.parsing import DocumentFormatError, ParsedPolicy, compact

NEW, TOTAL, RANGE, SHARE, YEARLY, QUALITY = "new", "total", "range", "share", "yearly", "quality"
HOLDERS, PROVINCE_SHARE, RD_RATIO, DIGITAL_SHARE, POOL_ENTRIES, LISTED, UNMEASURED = (
    "holders",
    "province_share",
    "rd_ratio",
    "digital_share",
    "pool_entries",
    "listed",
    "unmeasured",
)
SRDI = ("srdi-sme", "little-giant")


@dataclass(frozen=True)
class TargetSpec:
    key: str
    label: str
    kind: str
    year: int
    value: Decimal
    quote: str
    tiers: tuple[str, ...] = ()
    measure: str | None = None
    metric: str = HOLDERS
    value_max: Decimal | None = None
    comparator: str = "gte"
    unit: str = "家"
    since_year: int | None = None
    baseline: Decimal | None = None
    baseline_source: str = ""
    derivation: str = ""
    region_name: str | None = None
    also_stated: tuple[tuple[str | None, str], ...] = ()
    unmeasured_reason: str = ""


@dataclass(frozen=True)
class ConflictSpec:
    first: str
    second: str
    explanation: str


@dataclass
class TargetSet:
    targets: list[TargetSpec] = field(default_factory=list)
    conflicts: list[ConflictSpec] = field(default_factory=list)


def spec(key: str, label: str, kind: str, year: int, value, quote: str, **extra) -> TargetSpec:
    value_max = extra.pop("value_max", None)
    baseline = extra.pop("baseline", None)
    return TargetSpec(
        key=key,
        label=label,
        kind=kind,
        year=year,
        value=Decimal(str(value)),
        quote=quote,
        value_max=Decimal(str(value_max)) if value_max is not None else None,
        baseline=Decimal(str(baseline)) if baseline is not None else None,
        **extra,
    )


# --- 中卫: read from the task text ------------------------------------------------

ZHONGWEI_TIERS = {
    "1": ("tech-sme", "科技型中小企业"),
    "2": ("high-tech", "国家高新技术企业"),
    "3": ("nx-innovation-demo", "自治区创新型示范企业"),
    "4": ("nx-tech-leader", "自治区科技领军企业"),
    "5": ("nx-fledgling", "自治区雏鹰企业"),
    "6": ("nx-gazelle", "自治区瞪羚企业"),
    "7": ("nx-unicorn", "自治区独角兽企业"),
    "8": ("srdi-sme", "专精特新中小企业"),
    "9": ("nx-industry-leader", "自治区行业领先示范企业"),
    "10": ("nx-chain-leader", "自治区“链主”企业"),
    "11": ("little-giant", "国家专精特新“小巨人”企业"),
    "12": ("single-champion", "国家制造业单项冠军企业"),
}
_CLAUSE = re.compile(r"到\s*(2025|2027)\s*年，([^；。]+)")
_NUMBER = r"\s*(\d+)\s*家"


def zhongwei_targets(parsed: ParsedPolicy) -> TargetSet:
    result = TargetSet()
    for measure in parsed.measures:
        tier, label = ZHONGWEI_TIERS[measure.number]
        found: dict[str, TargetSpec] = {}
        for year_text, clause in _CLAUSE.findall(measure.text):
            year = int(year_text)
            quote = (
                f"到 {year_text} 年，{clause}" if f"到 {year_text} 年" in measure.text else f"到{year_text}年，{clause}"
            )
            common = {"tiers": (tier,), "measure": measure.number}
            prefix = f"zw-{measure.number}-{year}"
            if match := re.search(r"再培育" + _NUMBER, clause):
                found[f"again{year}"] = spec(
                    f"{prefix}-again", label, NEW, year, match.group(1), quote, since_year=2025, **common
                )
            if match := re.search(r"新增\D*?" + _NUMBER, clause):
                found[f"new{year}"] = spec(f"{prefix}-new", label, NEW, year, match.group(1), quote, **common)
            elif year == 2027 and (match := re.search(r"(?<!再)培育\D*?" + _NUMBER, clause)):
                found[f"new{year}"] = spec(f"{prefix}-new", label, NEW, year, match.group(1), quote, **common)
            elif year == 2025 and (match := re.search(r"培育\D*?" + _NUMBER, clause)):
                # "到 2025 年，培育…125 家；到 2027 年，再培育 40 家，总数达到 165 家": 125 is the total.
                found[f"total{year}"] = spec(f"{prefix}-total", label, TOTAL, year, match.group(1), quote, **common)
            if match := re.search(r"总数达到" + _NUMBER, clause):
                found[f"total{year}"] = spec(f"{prefix}-total", label, TOTAL, year, match.group(1), quote, **common)
        derived, conflicts = derive_baseline(found)
        result.targets.extend(derived)
        result.conflicts.extend(conflicts)
    return result


def _n(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def derive_baseline(found: dict[str, TargetSpec]) -> tuple[list[TargetSpec], list[ConflictSpec]]:
    """The count at the plan start that a task's numbers imply, and any pair of numbers that disagree.

    With a 2027 total T27 and "再培育" R27 the 2025 total is T27 − R27; with "新增" N25
    by 2025 the start is T27 − R27 − N25. A stated 2025 total or a 2027 "新增" since
    the start gives a second route; if the routes disagree the pair is a conflict.
    """
    t25, n25, r27, n27, t27 = (found.get(k) for k in ("total2025", "new2025", "again2027", "new2027", "total2027"))
    conflicts: list[ConflictSpec] = []
    implied_t25 = t27.value - r27.value if t27 and r27 else None
    steps: list[str] = []
    if implied_t25 is not None:
        steps.append(f"{_n(t27.value)} − {_n(r27.value)} = {_n(implied_t25)}（2025）")
        if t25 and t25.value != implied_t25:
            conflicts.append(
                ConflictSpec(t25.key, t27.key, f"{t25.label}: 2025 {_n(t25.value)} ≠ {_n(t27.value)} − {_n(r27.value)}")
            )
    routes: list[tuple[Decimal, str, TargetSpec, TargetSpec]] = []
    total_2025 = t25.value if t25 else implied_t25
    if n25 and total_2025 is not None:
        routes.append((total_2025 - n25.value, f"{_n(total_2025)} − {_n(n25.value)}", n25, t25 or t27))
    if n27 and t27:
        routes.append((t27.value - n27.value, f"{_n(t27.value)} − {_n(n27.value)}", n27, t27))
    baseline = routes[0][0] if routes else None
    for value, text, first, second in routes:
        steps.append(f"{text} = {_n(value)}")
        if value != baseline:
            conflicts.append(ConflictSpec(first.key, second.key, f"{first.label}: {_n(baseline)} ≠ {text}"))
    derivation = "；".join(steps)
    targets = [
        replace(
            target, baseline=baseline, baseline_source="derived" if baseline is not None else "", derivation=derivation
        )
        for target in found.values()
    ]
    return targets, conflicts


def find_conflicts(targets: list[TargetSpec]) -> list[ConflictSpec]:
    """Two statements of the same count for the same region, tiers and year with different numbers."""
    seen: dict[tuple, TargetSpec] = {}
    conflicts = []
    for target in targets:
        if target.kind not in (TOTAL, NEW, RANGE, SHARE) or target.metric == UNMEASURED:
            continue
        group = (
            target.region_name,
            tuple(sorted(target.tiers)),
            target.metric,
            target.kind,
            target.year,
            target.since_year,
        )
        first = seen.setdefault(group, target)
        if first is not target and (first.value, first.value_max) != (target.value, target.value_max):
            where_first = f"第{first.measure}条" if first.measure else "总体目标"
            where_second = f"第{target.measure}条" if target.measure else "总体目标"
            conflicts.append(
                ConflictSpec(
                    first.key,
                    target.key,
                    f"{target.label} {target.year}: {_n(first.value)}{first.unit}（{where_first}）≠ "
                    f"{_n(target.value)}{target.unit}（{where_second}）",
                )
            )
    return conflicts


def merge_restatements(targets: list[TargetSpec]) -> list[TargetSpec]:
    """A target stated twice (an overall goal repeated in a measure) becomes one target linked to both places.

    Two statements are the same target when they count the same thing for the same
    region, tiers, year and start, with the same figure; the first keeps its key and
    the later ones become entries of its `also_stated` ((measure number, quote) pairs).
    """
    merged: dict[tuple, TargetSpec] = {}
    for target in targets:
        group = (
            target.region_name,
            tuple(sorted(target.tiers)),
            target.metric,
            target.kind,
            target.year,
            target.since_year,
            target.value,
            target.value_max,
        )
        first = merged.get(group)
        if first is None or target.metric == UNMEASURED:
            merged[group if target.metric != UNMEASURED else (target.key,)] = target
        else:
            merged[group] = replace(first, also_stated=(*first.also_stated, (target.measure, target.quote)))
    return list(merged.values())


def targets_for(code: str, parsed: ParsedPolicy) -> TargetSet:
    from tasks.policies.declared import DECLARED

    if code == "zhongwei-task-list":
        result = zhongwei_targets(parsed)
    else:
        result = TargetSet(targets=list(DECLARED.get(code, [])))
    numbers = {measure.number for measure in parsed.measures}
    document = compact(parsed.text)
    for target in result.targets:
        if compact(target.quote) not in document:
            raise DocumentFormatError(f"target {target.key}: quote not found in the document: {target.quote}")
        if target.measure is not None and target.measure not in numbers:
            raise DocumentFormatError(f"target {target.key}: no measure {target.measure}")
    result.targets = merge_restatements(result.targets)
    known = {(c.first, c.second) for c in result.conflicts}
    result.conflicts.extend(c for c in find_conflicts(result.targets) if (c.first, c.second) not in known)
    return result
