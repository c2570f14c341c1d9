"""Writing Excel workbooks safely: every text cell a user could have typed is
escaped so that spreadsheet programs never run it as a formula (OWASP ASVS 5.0 §1.2.10)."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from import_export import resources
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Build an .xlsx from (title, header, rows) triples with the write-only writer."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_bold(workbook, str(cell)) for cell in header])
        for row in rows:
            sheet.append([escape_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(workbook: Workbook, text: str):
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.worksheets[-1]
    cell = WriteOnlyCell(sheet, value=escape_cell(text))
    cell.font = Font(bold=True)
    return cell


class SpreadsheetSafeResource(resources.ModelResource):
    """A django-import-export resource whose exported cells go through `escape_cell`, the one
    escaping every spreadsheet of the portal uses (the library's own escapes only "=")."""

    def export_resource(self, instance, selected_fields=None, **kwargs) -> list[Any]:
        return [escape_cell(value) for value in super().export_resource(instance, selected_fields, **kwargs)]
