"""The dry run of a credit-information export: each row parsed, matched to the register and compared.

The layout is the one credit exports use (企业名称, 统一社会信用代码, 类别, 列入日期,
移出日期, 决定机关, 文号, 事由). 类别 carries the kind of record and, for a penalty,
its field and severity ("行政处罚-安全-重大"). A row becomes a new record, an update
(a listing removed since the last import), an unchanged one, or a rejection with
the row, the column and the reason.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from enterprises.compliance.models import ComplianceRecord
from enterprises.models import Enterprise
from enterprises.roster.reading import Sheet
from enterprises.roster.values import CellError, as_text, is_empty, parse_credit_code, parse_date, parse_text
from portal.models import Region

Kind, Category = ComplianceRecord.Kind, ComplianceRecord.Category

# field → header texts seen in exports (normalised: no spaces, full-width folded).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "主体名称", "单位名称", "名称"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "category": ("类别", "记录类别", "失信类别", "类型"),
    "listed_on": ("列入日期", "决定日期", "处罚日期", "认定日期"),
    "removed_on": ("移出日期", "移除日期", "退出日期"),
    "authority": ("决定机关", "作出决定机关", "处罚机关", "认定机关"),
    "document_number": ("文号", "决定文书号", "处罚决定书文号", "决定书文号"),
    "reason": ("事由", "列入原因", "处罚事由", "原因"),
}
COLUMN_LABELS = {key: names[0] for key, names in HEADERS.items()}
REQUIRED_HEADERS = ("credit_code", "category", "listed_on")
HEADER_SEARCH_ROWS = 20
# Checked in order: "网络与数据安全" also contains "安全".
PENALTY_FIELDS = (
    (("网络", "数据"), Category.CYBER_DATA),
    (("税",), Category.TAX),
    (("环境", "环保", "污染"), Category.ENVIRONMENT),
    (("质量",), Category.QUALITY),
    (("安全", "事故"), Category.SAFETY),
)


def _normalise(text: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", as_text(text)).split())


def parse_category(raw: Any) -> tuple[str, str, bool]:
    """(kind, penalty category, is major) from the 类别 cell."""
    text = _normalise(raw)
    if not text:
        raise CellError("required")
    if "失信被执行人" in text:
        return Kind.JUDGMENT_DEFAULTER, "", False
    if "失信" in text:
        return Kind.SERIOUS_DISHONEST, "", False
    if "经营异常" in text:
        return Kind.ABNORMAL_OPERATION, "", False
    if "处罚" in text or "违法" in text:
        category = next((value for words, value in PENALTY_FIELDS if any(word in text for word in words)), "")
        if not category:
            raise CellError("penalty_category_missing")
        is_major = ("重大" in text or "严重" in text) and "非重大" not in text and "一般" not in text
        return Kind.PENALTY, str(category), is_major
    raise CellError("category_unknown", value=as_text(raw)[:50])


def find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            text = _normalise(cell)
            for key, names in HEADERS.items():
                if key not in columns and text in names:
                    columns[key] = position
        if all(key in columns for key in REQUIRED_HEADERS):
            return index, columns
    return None


@dataclass
class RowReport:
    row: int
    credit_code: str = ""
    name: str = ""
    enterprise_id: int | None = None
    action: str = "create"
    record: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    existing_id: int | None = None

    def error(self, column: str, code: str, **params: Any) -> None:
        self.errors.append(
            {"row": self.row, "column": COLUMN_LABELS.get(column, column), "code": code, "params": params}
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "credit_code": self.credit_code,
            "name": self.name,
            "enterprise_id": self.enterprise_id,
            "action": "reject" if self.errors else self.action,
            "record": self.record,
            "errors": self.errors,
            "warnings": self.warnings,
            "existing_id": self.existing_id,
        }


def _cell(row: list[Any], columns: dict[str, int], key: str) -> Any:
    index = columns.get(key)
    return row[index] if index is not None and index < len(row) else None


def _parse_row(number: int, row: list[Any], columns: dict[str, int]) -> RowReport:
    report = RowReport(row=number)
    raw_code = _cell(row, columns, "credit_code")
    if is_empty(raw_code):
        report.error("credit_code", "required")
    else:
        try:
            report.credit_code, _expected = parse_credit_code(raw_code)
        except CellError as error:
            report.error("credit_code", error.code, **error.params)
    report.name = (parse_text(_cell(row, columns, "name"), max_length=200) or "") if "name" in columns else ""
    record: dict[str, Any] = {}
    try:
        record["kind"], record["category"], record["is_major"] = parse_category(_cell(row, columns, "category"))
    except CellError as error:
        report.error("category", error.code, **error.params)
    for key in ("listed_on", "removed_on"):
        try:
            value = parse_date(_cell(row, columns, key))
        except CellError as error:
            report.error(key, error.code, **error.params)
            continue
        if value is None and key == "listed_on":
            report.error(key, "required")
        record[key] = value.isoformat() if value else None
    if record.get("listed_on") and record.get("removed_on"):
        if record["removed_on"] < record["listed_on"]:
            report.error(
                "removed_on", "removed_before_listed", removed=record["removed_on"], listed=record["listed_on"]
            )
        elif record.get("kind") == Kind.PENALTY:
            report.error("removed_on", "removed_for_penalty")
    for key, length in (("authority", 200), ("document_number", 100), ("reason", 500)):
        try:
            record[key] = parse_text(_cell(row, columns, key), max_length=length) or ""
        except CellError as error:
            report.error(key, error.code, **error.params)
    report.record = record
    return report


def record_key(enterprise_id: int, record: dict[str, Any]) -> tuple:
    """What makes two rows the same record: enterprise, kind, category, date and document number."""
    return (enterprise_id, record["kind"], record["category"], str(record["listed_on"]), record["document_number"])


def analyse_sheet(sheet: Sheet, *, region: Region) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(row reports, file-level errors). Reads the register in a fixed number of queries."""
    found = find_header(sheet.rows)
    if found is None:
        return [], [{"code": "no_header"}]
    header_index, columns = found
    reports = [
        _parse_row(header_index + 2 + offset, row, columns)
        for offset, row in enumerate(sheet.rows[header_index + 1 :])
        if any(not is_empty(cell) for cell in row)
    ]
    if not reports:
        return [], [{"code": "no_rows"}]
    codes = {report.credit_code for report in reports if report.credit_code}
    enterprises = {
        code: (pk, name, path)
        for code, pk, name, path in Enterprise.objects.filter(credit_code__in=codes).values_list(
            "credit_code", "pk", "name", "region__path"
        )
    }
    existing = _existing_records([pk for pk, _name, _path in enterprises.values()])
    seen: dict[tuple, int] = {}
    for report in reports:
        if report.errors:
            continue
        match = enterprises.get(report.credit_code)
        if match is None:
            report.error("credit_code", "enterprise_unknown", value=report.credit_code)
            continue
        pk, name, path = match
        if not path.startswith(region.path):
            report.error("credit_code", "enterprise_outside_region", value=report.credit_code, region=region.name)
            continue
        report.enterprise_id = pk
        if report.name and _normalise(report.name) != _normalise(name):
            report.warnings.append(
                {
                    "row": report.row,
                    "column": "企业名称",
                    "code": "name_differs",
                    "params": {"value": report.name, "name": name},
                }
            )
        report.name = name
        key = record_key(pk, report.record)
        if key in seen:
            report.error("", "duplicate_in_file", other=seen[key])
            continue
        seen[key] = report.row
        current = existing.get(key)
        if current is not None:
            report.existing_id, removed_on = current
            is_same = (removed_on.isoformat() if removed_on else None) == report.record["removed_on"]
            report.action = "unchanged" if is_same else "update"
    return [report.as_json() for report in reports], []


def _existing_records(enterprise_ids: list[int]) -> dict[tuple, tuple[int, datetime.date | None]]:
    rows = ComplianceRecord.objects.filter(enterprise_id__in=enterprise_ids).values_list(
        "pk", "enterprise_id", "kind", "category", "listed_on", "document_number", "removed_on"
    )
    return {
        (enterprise_id, kind, category, listed_on.isoformat(), number): (pk, removed_on)
        for pk, enterprise_id, kind, category, listed_on, number, removed_on in rows
    }
