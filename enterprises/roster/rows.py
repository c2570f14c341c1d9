"""The dry run's row plans: one data row of a roster, parsed and validated cell by cell.

A RowPlan says what the row would write — the enterprise's fields, the year's
figures, a recognition, a 规上 period — and each cell's error with its column;
`analysis.py` feeds rows here chunk by chunk.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from enterprises.models import ENTERPRISE_FIELDS
from enterprises.roster import values
from enterprises.roster.headers import BY_KEY
from enterprises.roster.titles import tier_code_for
from portal.audit import to_json_value

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


class RowParser:
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


def cell_at(row: list[Any], index: int) -> Any:
    return row[index] if index < len(row) else None
