"""Hostile roster files, written at test time (nothing multi-megabyte is committed).

Each `HostileFile` says what a careful importer must do with it: refuse it with a
message the clerk can act on, or import it correctly.
"""

import dataclasses
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from enterprises.tests.roster_files import HEADER, code, csv_bytes, roster_rows, xls_bytes, xlsx_bytes

EXCEL_MAX_ROWS = 2**20


@dataclasses.dataclass(frozen=True)
class HostileFile:
    name: str
    make: Callable[[], bytes]
    # Either a fragment of the refusal (English) or the number of enterprises the commit creates.
    refused_with: str = ""
    creates: int = 0
    # A fragment of the message on the one row the dry run rejects, if any.
    rejects: str = ""
    warning: str = ""

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_bytes(self.make())
        return path


def _rewrite(data: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The same .xlsx with one part changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            archive.writestr(item, edit(content) if item.filename == member else content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A workbook whose sheet expands from a few hundred KB to 300 MB of blanks."""
    base = xlsx_bytes([HEADER, *roster_rows(1, start=700_001)])
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                    chunk = b" " * (1 << 20)
                    for _megabyte in range(300):
                        sheet.write(chunk)
            else:
                archive.writestr(item, source.read(item))
    return buffer.getvalue()


def xml_bomb() -> bytes:
    """Billion laughs declared in the sheet and expanded in a cell: 10^9 "lol"s if a parser obliged."""
    entities = b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode() for n in range(1, 10)
    )
    declaration = b'<!DOCTYPE worksheet [<!ENTITY lol "lol">' + entities + b"]>"

    def edit(xml: bytes) -> bytes:
        end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
        xml = xml[:end] + declaration + xml[end:]
        return xml.replace("<t>宁".encode(), "<t>&lol9;宁".encode(), 1)

    return _rewrite(xlsx_bytes([HEADER, *roster_rows(2, start=700_101)]), "xl/worksheets/sheet1.xml", edit)


def _claims_every_row(rows: list, *, last_cell: bytes) -> bytes:
    """A small sheet whose dimension says A1:H1048576 and whose last <row> is number 1,048,576."""

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:H', b'<dimension ref="A1:H1048576" old="')
        tail = f'<row r="{EXCEL_MAX_ROWS}">'.encode() + last_cell + b"</row></sheetData>"
        return xml.replace(b"</sheetData>", tail)

    return _rewrite(xlsx_bytes(rows), "xl/worksheets/sheet1.xml", edit)


def blank_rows_to_the_end() -> bytes:
    """Three real rows, then 2^20 rows claimed by the dimension and a styled empty cell in the very last one."""
    return _claims_every_row(
        [HEADER, *roster_rows(3, start=700_201)], last_cell=f'<c r="A{EXCEL_MAX_ROWS}" s="0"/>'.encode()
    )


def value_in_the_last_row() -> bytes:
    """One blank-looking value (a space) in row 1,048,576: loading it would allocate the whole rectangle."""
    cell = f'<c r="H{EXCEL_MAX_ROWS}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c>'.encode()
    return _claims_every_row([HEADER, *roster_rows(3, start=700_301)], last_cell=cell)


def wrong_headers() -> bytes:
    return xlsx_bytes([["姓名", "电话", "地址"], ["张三", "13800000000", "中卫市"]])


def gbk_csv() -> bytes:
    return csv_bytes([HEADER, *roster_rows(4, start=700_401, region="中宁县")], encoding="gbk")


def xls_named_xlsx() -> bytes:
    return xls_bytes([HEADER, *roster_rows(2, start=700_501)])


def formulas() -> bytes:
    """Formulas in an .xlsx are never evaluated; a formula-looking name in a CSV is kept as text."""
    rows = [HEADER, *roster_rows(2, start=700_601)]
    rows[1][6] = "=A1*1000"  # a formula where a number belongs: the row is rejected, never evaluated
    rows[2][1] = '=HYPERLINK("http://evil.example/","点我")'
    return csv_bytes(rows)


def merged_cells() -> bytes:
    rows = [HEADER, *roster_rows(3, start=700_701)]
    rows[2][3] = rows[3][3] = None
    return xlsx_bytes(rows, merged=["D2:D4"])


HOSTILE_FILES = [
    HostileFile("zip-bomb.xlsx", zip_bomb, refused_with="refused as a possible zip bomb"),
    HostileFile("xml-bomb.xlsx", xml_bomb, refused_with="declares a DTD or entities"),
    HostileFile("blank-rows-to-1048576.xlsx", blank_rows_to_the_end, creates=3),
    HostileFile("value-in-row-1048576.xlsx", value_in_the_last_row, refused_with="1,048,576 rows, more than the limit"),
    HostileFile("wrong-headers.xlsx", wrong_headers, refused_with="No header row"),
    HostileFile("gbk.csv", gbk_csv, creates=4),
    HostileFile("really-xls.xlsx", xls_named_xlsx, creates=2, warning="really XLS"),
    HostileFile("formulas.csv", formulas, creates=1, rejects="is not a number"),
    HostileFile("merged-cells.xlsx", merged_cells, creates=3, warning="merged cell ranges were unmerged"),
    HostileFile("empty.xlsx", lambda: b"", refused_with="is empty"),
]

__all__ = ["HOSTILE_FILES", "HostileFile", "code"]
