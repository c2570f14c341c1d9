"""Real roster files for the importer's tests, written with openpyxl, xlwt and csv, or part by part."""

import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any
from unittest import mock

import openpyxl
import xlwt

from enterprises.credit_codes import with_check_character
from enterprises.roster import reading, xlsx_stream

HEADER = ["序号", "企业名称", "统一社会信用代码", "所在地区", "所属行业", "成立日期", "营业收入（万元）", "从业人员"]


def code(n: int) -> str:
    """A valid credit code, different for every n."""
    return with_check_character(f"91640500{n:09d}")


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, merged: Sequence[str] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for cell_range in merged:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@contextlib.contextmanager
def xlsx_read(reader: str) -> Iterator[None]:
    """Read every .xlsx "whole" by calamine, or "sliced" a few rows at a time as a file of more than
    STREAM_ROWS_ABOVE rows is, so that a test's small file goes through the slicing."""
    with (
        mock.patch.object(reading, "STREAM_ROWS_ABOVE", -1 if reader == "sliced" else reading.MAX_ROWS),
        mock.patch.object(xlsx_stream, "SLICE_BYTES", 256),
        mock.patch.object(xlsx_stream, "READ_BYTES", 64),
    ):
        yield


SHEET_NAMESPACES = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
INLINE_STRING = re.compile(rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t>([^<]*)</t></is></c>')


def with_shared_strings(data: bytes) -> bytes:
    """The same workbook with its text in a shared-strings table, as Excel and WPS save it.

    openpyxl writes every string inline; a roster saved by a clerk points at shared strings.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    strings: dict[bytes, int] = {}

    def share(cell: re.Match) -> bytes:
        index = strings.setdefault(cell.group(3), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (cell.group(1), cell.group(2) or b"", index)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = INLINE_STRING.sub(share, content)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxml'
                    b'formats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
                )
            archive.writestr(item, content)
        table = b"".join(b"<si><t>%s</t></si>" % text for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>' % table,
        )
    return buffer.getvalue()


def xlsx_from_parts(
    sheet_data: str,
    *,
    shared_strings: str | None = None,
    styles: str | None = None,
    after_sheet_data: str = "",
    workbook_properties: str = "",
    sheet_xml: str | None = None,
) -> bytes:
    """A workbook written part by part, for what openpyxl never writes: the <sheetData> and what follows it,
    the shared strings and styles (their inner XML), or the whole sheet as `sheet_xml`."""
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f"<workbook {SHEET_NAMESPACES}>{workbook_properties}"
            '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            sheet_xml
            or f"<worksheet {SHEET_NAMESPACES}><sheetData>{sheet_data}</sheetData>{after_sheet_data}</worksheet>",
        )
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", f"<sst {SHEET_NAMESPACES}>{shared_strings}</sst>")
        if styles is not None:
            archive.writestr("xl/styles.xml", f"<styleSheet {SHEET_NAMESPACES}>{styles}</styleSheet>")
    return buffer.getvalue()


def xls_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("名单")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            elif value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)


def roster_rows(count: int, *, region: str = "沙坡头区", start: int = 1, revenue: int = 1000) -> list[list[Any]]:
    return [
        [i, f"宁夏测试{i}有限公司", code(i), region, "C3911", "2015-05-01", revenue + i, 50 + i]
        for i in range(start, start + count)
    ]


def report_rows(roster_import) -> list[dict]:
    """The dry run's rows as one dict each: row, action, credit code, name and the row's detail."""
    return [
        {"row": row.row, "action": row.action, "credit_code": row.credit_code, "name": row.name, **row.detail}
        for row in roster_import.report_rows.order_by("row")
    ]
