"""The dry run, part one: from sheet rows to validated row plans.

Nothing here touches enterprise data; comparing the plans with the register
is `compare.py`, writing them is `committer.py`.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from enterprises.holdings import holdings
from enterprises.roster import values
from enterprises.roster.errors import RosterRefused
from enterprises.roster.headers import BY_KEY, HEADER_SCAN_ROWS, UNIT_SCALE, Header, find_header, found_headers
from enterprises.roster.reading import Sheet
from enterprises.roster.regions import RegionResolver
from enterprises.roster.rows import RowParser, RowPlan, cell_at, column_letter
from enterprises.roster.titles import Title, parse_title
from portal.models import User


@dataclass
class Analysis:
    header: Header
    title: Title
    tier: Any  # a tier of enterprises.holdings, or None
    indicator_year: int
    plans: list[RowPlan]
    rejected: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    resolver: RegionResolver
    year_source: str = "default"  # title, chosen, header, column or default
    parser: Any = field(default=None, repr=False)

    def mapping(self) -> list[dict[str, Any]]:
        return [
            {
                "column": column_letter(cell.index),
                "header": cell.text,
                "field": key,
                "label": BY_KEY[key].label,
                "unit": cell.unit,
            }
            for key, cell in sorted(self.header.mapped.items(), key=lambda item: item[1].index)
            if key != "seq"
        ]


def _refuse_without_header(rows: list[list[Any]]) -> None:
    header, missing = find_header(rows)
    if header is None:
        raise RosterRefused(
            "no_header",
            scanned=HEADER_SCAN_ROWS,
            missing="、".join(missing),
            found="、".join(found_headers(rows)) or "—",
        )
    if missing:
        found = [cell.text for cell in header.cells if cell.text]
        raise RosterRefused(
            "missing_columns", row=header.row_index + 1, missing="、".join(missing), found="、".join(found) or "—"
        )


@dataclass(frozen=True)
class RosterChoices:
    """What the administrator chose at upload for a file whose title does not say it."""

    tier_code: str = ""
    year: int | None = None


def _roster_year(title: Title, choices: RosterChoices, mapped, header_years: set[int]) -> tuple[int | None, str]:
    """The roster's own year and where it comes from: the title, the upload form, the headers, a column."""
    if title.year:
        return title.year, "title"
    if choices.year:
        return choices.year, "chosen"
    if header_years:
        return max(header_years), "header"
    if "indicator_year" in mapped:
        return None, "column"
    return None, "default"


def begin_analysis(head: list[list[Any]], *, actor: User, choices: RosterChoices, warnings: list) -> Analysis:
    """Header, title and the roster's year from the first rows; no data row is parsed yet."""
    _refuse_without_header(head)
    header, _missing = find_header(head)
    title = parse_title(header.title_lines)
    tiers = {tier.code: tier for tier in holdings().tiers()}
    mapped = header.mapped
    header_years = {cell.year for cell in mapped.values() if cell.year}
    roster_year, year_source = _roster_year(title, choices, mapped, header_years)
    if not title.tier_code and choices.tier_code:
        if choices.tier_code not in tiers:
            raise RosterRefused("tier_not_loaded_chosen", value=choices.tier_code)
        title.tier_code = choices.tier_code
        title.year = title.year or choices.year
        title.batch = title.batch or (f"{title.year}年" if title.year else "")
    has_indicators = any(BY_KEY[key].target == "indicator" and key != "indicator_year" for key in mapped)
    indicator_year = roster_year or timezone.localdate().year - 1
    if year_source == "header":
        warnings.append({"code": "header_year", "params": {"year": indicator_year}})
    elif year_source == "default" and has_indicators:
        warnings.append({"code": "indicator_year_default", "params": {"year": indicator_year}})
    title_scale = UNIT_SCALE.get(title.unit, 1)
    for key, cell in mapped.items():
        unit = cell.unit if cell.unit else (title.unit if BY_KEY[key].kind == "money" else "")
        if unit and unit != "万元":
            warnings.append({"code": "unit_scaled", "params": {"column": cell.text, "unit": unit}})
    if header.ignored:
        warnings.append({"code": "ignored_columns", "params": {"columns": "、".join(header.ignored)}})
    resolver = RegionResolver(actor)
    tier = tiers.get(title.tier_code) if title.tier_code else None
    analysis = Analysis(header, title, tier, indicator_year, [], [], warnings, resolver)
    analysis.year_source = year_source
    analysis.parser = RowParser(
        {
            "columns": [(key, cell) for key, cell in mapped.items() if key != "seq"],
            "labels": {key: cell.text for key, cell in mapped.items()},
            "tiers": tiers,
            "title": title,
            "title_scale": title_scale,
            "indicator_year": indicator_year,
            "roster_year": roster_year if year_source in ("title", "chosen") else None,
            "header_years": header_years,
            "resolver": resolver,
        }
    )
    return analysis


def iter_analysis(
    rows: Iterator[list[Any]],
    *,
    actor: User,
    choices: RosterChoices | None = None,
    warnings: list | None = None,
    progress=None,
    total: int = 0,
    chunk_rows: int = 2000,
) -> tuple[Analysis, Iterator[tuple[list[RowPlan], list[dict[str, Any]]]]]:
    """The analysis, and its data rows parsed a chunk at a time: (plans, rejected rows) per chunk.

    Only the first HEADER_SCAN_ROWS rows are held before parsing starts; duplicates are
    found across the whole file by the credit codes seen so far.
    """
    rows = iter(rows)
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    analysis = begin_analysis(
        head, actor=actor, choices=choices or RosterChoices(), warnings=[] if warnings is None else warnings
    )
    return analysis, _chunks_of(
        analysis, itertools.chain(head[analysis.header.row_index + 1 :], rows), progress, total, chunk_rows
    )


def _chunks_of(analysis: Analysis, data_rows, progress, total: int, chunk_rows: int):
    parser = analysis.parser
    mapped = analysis.header.mapped
    seen: dict[str, int] = {}
    plans: list[RowPlan] = []
    rejected: list[dict[str, Any]] = []
    any_rows = False
    first_row = analysis.header.row_index + 2
    for offset, row in enumerate(data_rows):
        if all(values.is_empty(value) or values.as_text(value) == "" for value in row):
            continue
        any_rows = True
        row_number = first_row + offset
        plan, errors = parser.parse(row_number, row)
        if plan is not None and plan.credit_code in seen:
            errors = [
                {
                    "row": row_number,
                    "column": parser.labels["credit_code"],
                    "code": "duplicate_in_file",
                    "params": {"other": seen[plan.credit_code]},
                }
            ]
            plan = None
        if plan is None:
            rejected.append(
                {
                    "row": row_number,
                    "action": "reject",
                    "credit_code": values.as_text(cell_at(row, mapped["credit_code"].index)),
                    "name": values.as_text(cell_at(row, mapped["name"].index)),
                    "errors": errors,
                    "raw": [values.as_text(value) for value in row],
                }
            )
        else:
            seen[plan.credit_code] = row_number
            plans.append(plan)
        if len(plans) + len(rejected) >= chunk_rows:
            yield plans, rejected
            plans, rejected = [], []
            if progress:
                progress(min(offset + 1, total or offset + 1), max(total, offset + 1))
    if not any_rows:
        raise RosterRefused("no_data_rows")
    if plans or rejected:
        yield plans, rejected


def analyse_rows(sheet: Sheet, *, actor: User, progress=None, choices: RosterChoices | None = None) -> Analysis:
    """Find the header and title, then parse and validate every data row (the whole file at once)."""
    warnings = list(sheet.warnings)
    analysis, chunks = iter_analysis(
        sheet.rows, actor=actor, choices=choices, warnings=warnings, progress=progress, total=len(sheet.rows)
    )
    for plans, rejected in chunks:
        analysis.plans += plans
        analysis.rejected += rejected
    return analysis
