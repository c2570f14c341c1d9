"""The dry run, part one: from sheet rows to validated row plans.

Nothing here touches enterprise data; comparing the plans with the register
is `compare.py`, writing them is `committer.py`.
"""

import datetime
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from enterprises.holdings import holdings
from enterprises.models import ENTERPRISE_FIELDS
from enterprises.roster import values
from enterprises.roster.errors import RosterRefused
from enterprises.roster.headers import BY_KEY, HEADER_SCAN_ROWS, UNIT_SCALE, Header, find_header, found_headers
from enterprises.roster.reading import Sheet
from enterprises.roster.regions import RegionResolver
from enterprises.roster.titles import Title, parse_title, tier_code_for
from portal.audit import to_json_value
from portal.models import User

# The credit code is a roster row's key, not a value it changes; a roster names no service commissioner.
ENTERPRISE_KEYS = tuple(name for name in ENTERPRISE_FIELDS if name not in ("credit_code", "service_commissioner"))
INDICATOR_KEYS = tuple(
    column.key for column in BY_KEY.values() if column.target == "indicator" and column.kind != "year"
)
NEGATIVE_ALLOWED = {"net_profit"}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class RowPlan:
    """One accepted data row: what the file says, already parsed."""

    row: int
    credit_code: str
    flagged_check: str | None
    enterprise: dict[str, Any]
    indicator: dict[str, Any]
    indicator_year: int
    recognition: dict[str, Any] | None
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # The 规上 period the row states: {"entered_on", "left_on", "file_flag"}; None without those columns.
    scale: dict[str, Any] | None = None
    # The stored form this plan was read from: its values are already the audit trail's JSON.
    stored: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        if self.stored is not None:
            return self.stored
        return {
            "row": self.row,
            "credit_code": self.credit_code,
            "flagged_check": self.flagged_check,
            "enterprise": {key: _json(value) for key, value in self.enterprise.items()},
            "indicator": {key: _json(value) for key, value in self.indicator.items()},
            "indicator_year": self.indicator_year,
            "recognition": {key: _json(value) for key, value in self.recognition.items()} if self.recognition else None,
            "warnings": self.warnings,
            "scale": {key: _json(value) for key, value in self.scale.items()} if self.scale else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RowPlan":
        enterprise = dict(data["enterprise"])
        if enterprise.get("registered_on"):
            enterprise["registered_on"] = datetime.date.fromisoformat(enterprise["registered_on"])
        indicator = {
            key: (values.Decimal(value) if key in MONEY_KEYS and value is not None else value)
            for key, value in data["indicator"].items()
        }
        recognition = dict(data["recognition"]) if data.get("recognition") else None
        if recognition:
            recognition["recognized_on"] = datetime.date.fromisoformat(recognition["recognized_on"])
        scale = dict(data["scale"]) if data.get("scale") else None
        if scale:
            for key in ("entered_on", "left_on"):
                scale[key] = datetime.date.fromisoformat(scale[key]) if scale.get(key) else None
        return cls(
            row=data["row"],
            credit_code=data["credit_code"],
            flagged_check=data["flagged_check"],
            enterprise=enterprise,
            indicator=indicator,
            indicator_year=data["indicator_year"],
            recognition=recognition,
            warnings=data.get("warnings", []),
            scale=scale,
            stored=data,
        )


MONEY_KEYS = {column.key for column in BY_KEY.values() if column.kind == "money"}


def _json(value: Any) -> Any:
    if isinstance(value, values.Decimal):
        return to_json_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


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


def _memoised(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`parse` remembered per distinct cell value: regions, industries, sizes and flags repeat a lot."""
    cache: dict[tuple[type, Any], tuple[Any, values.CellError | None]] = {}

    def cached(raw: Any) -> Any:
        key = (raw.__class__, raw)
        try:
            value, error = cache[key]
        except KeyError:
            try:
                value, error = parse(raw), None
            except values.CellError as caught:
                value, error = None, caught
            if len(cache) < 10_000:
                cache[key] = (value, error)
        if error is not None:
            raise error
        return value

    return cached


class _RowParser:
    """Parses one data row into a RowPlan, collecting every cell error.

    Each column's parser is chosen once per file, so a row costs one call per cell.
    """

    def __init__(self, analysis_context: dict[str, Any]) -> None:
        self.__dict__.update(analysis_context)
        self.parsers = [
            (key, cell.index, self._cell_parser(BY_KEY[key], cell.unit_scale)) for key, cell in self.columns
        ]
        present = {key for key, _cell in self.columns}
        self.enterprise_keys = [key for key in ENTERPRISE_KEYS if key != "region" and key in present]
        self.indicator_keys = [key for key in INDICATOR_KEYS if key in present]
        self.has_recognitions = bool(self.title.tier_code) or "tier" in present
        self.has_scale = "scale_entered_on" in present or "scale_left_on" in present
        # Columns whose header names a year ("2023年营业收入"): each must be the roster's year, when it has one.
        self.dated_columns = [(key, cell.year) for key, cell in self.columns if cell.year]

    def parse(self, row_number: int, row: list[Any]) -> tuple[RowPlan | None, list[dict[str, Any]]]:
        errors: list[dict[str, Any]] = []
        warnings: list[dict[str, Any]] = []
        parsed: dict[str, Any] = {}

        def fail(key: str, code: str, params: dict[str, Any]) -> None:
            errors.append({"row": row_number, "column": self.labels[key], "code": code, "params": params})

        width = len(row)
        for key, index, parse in self.parsers:
            try:
                parsed[key] = parse(row[index] if index < width else None)
            except values.CellError as error:
                fail(key, error.code, error.params)
        code_value = parsed.get("credit_code")
        if code_value is None and not any(error["column"] == self.labels["credit_code"] for error in errors):
            fail("credit_code", "required", {})
        flagged = None
        if code_value:
            code_value, flagged = code_value
            if flagged:
                warnings.append(
                    {
                        "row": row_number,
                        "column": self.labels["credit_code"],
                        "code": "credit_code_check",
                        "params": {"expected": flagged},
                    }
                )
        if self.roster_year:
            self._check_years(parsed, fail)
        region_text = parsed.pop("region", None)
        region_id = None
        if region_text:
            region_id, code, params = self.resolver.resolve(region_text)
            if code:
                fail("region", code, params)
        recognition = self._recognition(parsed, row_number, fail, warnings) if self.has_recognitions else None
        scale = self._scale(parsed, fail) if self.has_scale else None
        if errors:
            return None, errors
        enterprise = {key: parsed[key] for key in self.enterprise_keys if parsed[key] is not None}
        if region_id:
            enterprise["region"] = region_id
        indicator = {key: parsed[key] for key in self.indicator_keys if parsed[key] is not None}
        return (
            RowPlan(
                row=row_number,
                credit_code=code_value,
                flagged_check=flagged,
                enterprise=enterprise,
                indicator=indicator,
                indicator_year=parsed.get("indicator_year") or self.indicator_year,
                recognition=recognition,
                warnings=warnings,
                scale=scale,
            ),
            [],
        )

    def _scale(self, parsed: dict[str, Any], fail) -> dict[str, Any] | None:
        """The row's 规上 period: entry (入库) and exit (退库) dates, neither in the future, exit not before entry."""
        entered_on, left_on = parsed.get("scale_entered_on"), parsed.get("scale_left_on")
        if entered_on is None and left_on is None:
            return None
        today = timezone.localdate()
        is_valid = True
        for key, value in (("scale_entered_on", entered_on), ("scale_left_on", left_on)):
            if value is not None and value > today:
                fail(key, "scale_date_in_future", {"value": value.isoformat()})
                is_valid = False
        if entered_on is not None and left_on is not None and left_on < entered_on:
            fail(
                "scale_left_on",
                "scale_left_before_entry",
                {"left": left_on.isoformat(), "entered": entered_on.isoformat()},
            )
            is_valid = False
        if not is_valid:
            return None
        return {"entered_on": entered_on, "left_on": left_on, "file_flag": parsed.get("is_above_scale") is not None}

    def _check_years(self, parsed: dict[str, Any], fail) -> None:
        """A figure for another year than the roster's is an error of its row, never filed under either year."""
        stated = parsed.get("indicator_year")
        if stated and stated != self.roster_year:
            fail("indicator_year", "indicator_year_mismatch", {"value": stated, "year": self.roster_year})
        for key, year in self.dated_columns:
            if year != self.roster_year and parsed.get(key) is not None:
                fail(key, "indicator_year_mismatch", {"value": year, "year": self.roster_year})

    def _cell_parser(self, column, scale: float) -> Callable[[Any], Any]:
        kind = column.kind
        if kind in ("text", "region"):
            max_length = column.max_length or 100
            return lambda raw: values.parse_text(raw, max_length=max_length)
        if kind == "credit_code":
            return lambda raw: None if values.is_empty(raw) else values.parse_credit_code(raw)
        if kind == "money":
            scale = scale if scale != 1 else self.title_scale
            allow_negative = column.key in NEGATIVE_ALLOWED
            return lambda raw: values.parse_money(raw, scale=scale, allow_negative=allow_negative)
        if kind == "count":
            return values.parse_count
        if kind == "date":
            return values.parse_date
        simple = {
            "year": values.parse_year,
            "bool": values.parse_bool,
            "size": values.parse_size,
            "level": values.parse_level,
            "industry": values.parse_industry,
            "tier": self._parse_tier,
        }
        if kind in simple:
            return _memoised(simple[kind])
        return lambda raw: None

    def _parse_tier(self, raw: Any) -> str | None:
        text = values.as_text(raw)
        if not text:
            return None
        code = tier_code_for(text)
        if code is None:
            raise values.CellError("tier_unknown", value=text)
        if code not in self.tiers:
            raise values.CellError("tier_not_loaded", value=text)
        return code

    def _recognition(self, parsed: dict[str, Any], row_number: int, fail, warnings) -> dict[str, Any] | None:
        tier_code = parsed.get("tier") or self.title.tier_code
        if not tier_code:
            return None
        if tier_code not in self.tiers:
            return None
        tier = self.tiers[tier_code]
        recognized_on = parsed.get("recognized_on")
        year = parsed.get("recognition_year") or (recognized_on.year if recognized_on else self.title.year)
        column = "recognized_on" if "recognized_on" in self.labels else ("tier" if "tier" in self.labels else "name")
        if recognized_on is None:
            if year is None:
                fail(column, "recognition_date_missing", {})
                return None
            # Only a year is known ("2023年第五批"): the recognition counts from 1 January.
            recognized_on = datetime.date(year, 1, 1)
            warnings.append(
                {
                    "row": row_number,
                    "column": self.labels.get(column, ""),
                    "code": "recognition_date_assumed",
                    "params": {"date": recognized_on.isoformat()},
                }
            )
        if recognized_on > timezone.localdate() + datetime.timedelta(days=366):
            fail(column, "recognition_in_future", {"value": recognized_on.isoformat()})
            return None
        batch = parsed.get("batch") or self.title.batch or (f"{year}年" if year else "")
        return {
            "tier_id": tier.pk,
            "tier_code": tier_code,
            "recognized_on": recognized_on,
            "year": recognized_on.year if parsed.get("recognition_year") is None else year,
            "batch": batch,
            "certificate_no": parsed.get("certificate_no") or "",
        }


def _cell(row: list[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


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
    analysis.parser = _RowParser(
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
                    "credit_code": values.as_text(_cell(row, mapped["credit_code"].index)),
                    "name": values.as_text(_cell(row, mapped["name"].index)),
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
