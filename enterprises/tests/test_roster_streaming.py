"""A large .xlsx read a slice at a time (xlsx_stream.py) gives the rows calamine gives reading it whole.

The importer cannot tell which reader ran: the same rows at the same positions, the same
values of the same types, the same merged cells filled and the same warnings, for random
workbooks (every kind of cell, sheets that start anywhere, blank rows, merged ranges, shared
strings, the 1904 date system) and for hand-written XML openpyxl never writes. Test files
are small, so they are cut into slices of a few rows each (roster_files.xlsx_read).
"""

import datetime
import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from enterprises.roster import reading, xlsx_stream
from enterprises.roster.errors import RosterRefused
from enterprises.roster.reading import read_sheet
from enterprises.tests.roster_files import (
    HEADER,
    roster_rows,
    with_shared_strings,
    xls_bytes,
    xlsx_bytes,
    xlsx_from_parts,
    xlsx_read,
)
from tests.properties import examples

NUMBER_FORMATS = ["General", "0.00", "yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "[h]:mm:ss", "mm:ss", "h:mm AM/PM", "@"]
TEXT = st.text(
    st.sampled_from(" \t\n企业名称有限公司（）-&<>\"'") | st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    max_size=8,
)
VALUES = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**15),
    st.floats(-1e9, 1e9),
    st.booleans(),
    TEXT,
    st.dates(datetime.date(1900, 3, 1)),
    st.datetimes(datetime.datetime(1900, 3, 1)),
    st.times(),
    st.timedeltas(datetime.timedelta(0), datetime.timedelta(days=1000)),
    st.sampled_from(["=1+2", "=A1*1000", "#N/A", "#DIV/0!", ""]),
)


@st.composite
def workbooks(draw) -> bytes:
    """A first sheet starting anywhere near the corner, with every kind of cell, blank rows, styled
    empty cells and merged ranges; its text inline or shared, its dates in the 1900 or 1904 system."""
    workbook = openpyxl.Workbook()
    if draw(st.booleans()):
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    top, left = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    height, width = draw(st.integers(1, 25)), draw(st.integers(1, 6))
    for row in range(top, top + height):
        if draw(st.integers(0, 5)) == 0:
            continue  # a blank row
        for column in range(left, left + width):
            value, number_format = draw(VALUES), draw(st.sampled_from(NUMBER_FORMATS))
            if value is not None or draw(st.integers(0, 9)) == 0:
                cell = sheet.cell(row=row, column=column, value=value)
                cell.number_format = number_format  # a styled empty cell when value is None
    taken: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 3))):
        first_row, first_column = draw(st.integers(top, top + height - 1)), draw(st.integers(left, left + width - 1))
        last_row = draw(st.integers(first_row, top + height - 1))
        last_column = draw(st.integers(first_column, left + width - 1))
        cells = {
            (row, column) for row in range(first_row, last_row + 1) for column in range(first_column, last_column + 1)
        }
        if len(cells) > 1 and not cells & taken:
            taken |= cells
            sheet.merge_cells(start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return with_shared_strings(buffer.getvalue()) if draw(st.booleans()) else buffer.getvalue()


def read(data: bytes, reader: str) -> tuple[list[list[str]], list[dict]] | str:
    """The rows (each value's repr: its type and value, -0.0 apart from 0.0) and the warnings, or the refusal."""
    with xlsx_read(reader):
        if reader == "sliced":
            assert xlsx_stream.sliced_sheet(data) is not None, "not sliced"
        try:
            sheet = read_sheet(data, file_name="名单.xlsx")
        except RosterRefused as refusal:
            return refusal.message
    return [[repr(value) for value in row] for row in sheet.rows], sheet.warnings


@settings(max_examples=examples(200))
@given(data=workbooks())
def test_a_random_workbook_reads_the_same_whole_and_in_slices(data):
    assert read(data, "sliced") == read(data, "whole")


def _first_sheet_stored_as_sheet2() -> bytes:
    """Two sheets, the first stored as sheet2.xml, as Excel saves a workbook whose sheets were reordered."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["后一张"])
    workbook.create_sheet("名单", 0).append(["第一张", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    swap = {"sheet1.xml": "sheet2.xml", "sheet2.xml": "sheet1.xml"}
    source, swapped = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(swapped, "w") as archive:
        for item in source.infolist():
            name = re.sub(r"sheet[12]\.xml", lambda found: swap[found[0]], item.filename)
            content = re.sub(rb"sheet[12]\.xml", lambda found: swap[found[0].decode()].encode(), source.read(item))
            archive.writestr(name, content)
    return swapped.getvalue()


STYLES = (
    '<numFmts count="3"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
    '<numFmt numFmtId="177" formatCode="[h]:mm:ss"/><numFmt numFmtId="178" formatCode="#,##0.00_ "/></numFmts>'
    '<cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="178"/>'
    '<xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="31"/><xf numFmtId="20"/></cellXfs>'
)
SHARED = (
    "<si><t>宁夏甲有限公司</t></si>"
    '<si><r><rPr><b/></rPr><t>乙</t></r><r><t xml:space="preserve"> 公司 </t></r></si>'
    '<si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh></si>'
    '<si><t>  两端空格  </t></si><si><t xml:space="preserve">  保留空格  </t></si><si/>'
    "<si><t>a&amp;b&lt;c&gt;&#20013;</t></si>"
)
DATES = "".join(
    f'<row r="{n}"><c r="A{n}" s="{style}"><v>{value}</v></c><c r="B{n}" s="{style}"><v>{value}.75</v></c>'
    f'<c r="C{n}" s="{style}"><v>0.{n}</v></c></row>'
    for n, (style, value) in enumerate([(1, 42125), (2, 1), (3, 42125), (4, 60), (5, 61), (6, 45000), (7, 59)], 1)
)
PARITY = {
    "shared strings: rich text, phonetic runs, spaces kept only where preserved": {
        "sheet_data": "".join(
            f'<row r="{n}"><c r="A{n}" t="s"><v>{n % 7}</v></c><c r="B{n}" t="s"><v>{(n * 3) % 7}</v></c></row>'
            for n in range(1, 30)
        ),
        "shared_strings": SHARED,
    },
    "inline strings, formula results and ISO dates": {
        "sheet_data": '<row r="1"><c r="A1" t="inlineStr"><is><t> 甲 </t></is></c>'
        '<c r="B1" t="inlineStr"><is><t xml:space="preserve"> 乙 </t></is></c><c r="C1" t="str"><v>a&amp;b</v></c>'
        '<c r="D1" t="d"><v>2020-01-02</v></c><c r="E1" t="d"><v>2020-01-02T03:04:05</v></c></row>'
        '<row r="2"><c r="A2" t="d"><v>03:04:05</v></c><c r="B2" t="d"><v>not a date</v></c>'
        '<c r="C2" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row>',
    },
    "booleans, errors, empty values and formulas without a cached value": {
        "sheet_data": '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="b"><v>true</v></c>'
        '<c r="D1" t="e"><v>#N/A</v></c><c r="E1" t="e"><v>#DIV/0!</v></c></row>'
        '<row r="2"><c r="A2"><f>1+2</f></c><c r="B2"><f>1+2</f><v>3</v></c><c r="C2" t="e"><v></v></c>'
        '<c r="D2" t="str"><v></v></c><c r="F2"><f>SUM(A1:A2)</f><v></v></c></row>',
    },
    "numbers read as dates, times and durations by their format": {"sheet_data": DATES, "styles": STYLES},
    "the same in the 1904 date system": {
        "sheet_data": DATES,
        "styles": STYLES,
        "workbook_properties": '<workbookPr date1904="1"/>',
    },
    "a sheet from C3 with styled empty cells beyond its values and merged ranges across slices": {
        "sheet_data": "".join(
            f'<row r="{n}"><c r="C{n}"><v>{n}</v></c><c r="D{n}" t="inlineStr"><is><t>区{n // 3}</t></is></c>'
            f'<c r="E{n}" t="inlineStr"><is><t>企业{n}</t></is></c><c r="H{n}" s="0"/></row>'
            for n in range(3, 20)
        ),
        "after_sheet_data": '<mergeCells count="3"><mergeCell ref="D4:D6"/><mergeCell ref="C9:E11"/>'
        '<mergeCell ref="D15:D19"/></mergeCells>',
    },
    "prefixed elements, and cells without a reference in numbered rows": {
        "sheet_data": "",
        "shared_strings": SHARED,
        "sheet_xml": '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        + "".join(
            f'<x:row r="{n}"><x:c t="s"><x:v>{n % 7}</x:v></x:c><x:c><x:v>{n}</x:v></x:c>'
            f'<x:c r="D{n}"><x:v>{n * 2}</x:v></x:c></x:row>'
            for n in range(2, 20)
        )
        + '</x:sheetData><x:mergeCells><x:mergeCell ref="A5:A7"/></x:mergeCells></x:worksheet>',
    },
    "rows without numbers, read in one slice (calamine places their cells by counting rows)": {
        "sheet_data": "".join(
            f'<row><c t="inlineStr"><is><t>甲{n}</t></is></c><c><v>{n}</v></c></row>' for n in range(20)
        )
    },
}
WHOLE = {
    "a comment among the rows": {
        "sheet_data": "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row><!-- {n} -->' for n in range(1, 20))
    },
    "rows out of order": {
        "sheet_data": "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in [*range(10, 20), *range(1, 10)])
    },
}


@pytest.mark.parametrize("parts", PARITY.values(), ids=PARITY.keys())
def test_hand_written_xml_reads_the_same_whole_and_in_slices(parts):
    data = xlsx_from_parts(**parts)
    assert read(data, "sliced") == read(data, "whole")


def test_the_first_sheet_is_found_where_the_workbook_says_it_is_stored():
    data = _first_sheet_stored_as_sheet2()
    assert read(data, "sliced") == read(data, "whole") == ([["'第一张'", "1.0"]], [])


@pytest.mark.parametrize("parts", WHOLE.values(), ids=WHOLE.keys())
def test_a_sheet_that_cannot_be_cut_safely_is_read_whole(parts):
    """Comments among the rows, rows out of order: calamine reads the whole file."""
    data = xlsx_from_parts(**parts)
    with xlsx_read("sliced"):
        assert xlsx_stream.sliced_sheet(data) is None
        sliced = read_sheet(data, file_name="名单.xlsx")
    with xlsx_read("whole"):
        assert sliced == read_sheet(data, file_name="名单.xlsx")


def test_only_an_xlsx_of_more_than_stream_rows_above_rows_is_read_a_slice_at_a_time(monkeypatch, caplog):
    monkeypatch.setattr(reading, "STREAM_ROWS_ABOVE", 3)
    caplog.set_level("INFO", logger="enterprises.roster.reading")
    for rows, name, data in [
        (3, "名单.xlsx", xlsx_bytes([HEADER, *roster_rows(2)])),
        (4, "名单.xlsx", xlsx_bytes([HEADER, *roster_rows(3)])),
        (4, "名单.xls", xls_bytes([HEADER, *roster_rows(3)])),
    ]:
        assert len(read_sheet(data, file_name=name).rows) == rows
    assert [record.getMessage().rsplit(" by ", 1)[1] for record in caplog.records] == [
        "calamine whole",
        "calamine a slice at a time",
        "calamine whole",
    ]


def test_the_first_row_comes_after_reading_one_slice_of_the_rows(monkeypatch):
    """The second pass reads a slice, gives its rows, then reads the next: never the sheet at once."""
    data = xlsx_bytes([HEADER, *roster_rows(300)])
    reads = []
    read_slice = xlsx_stream.SlicedSheet._read
    monkeypatch.setattr(
        xlsx_stream.SlicedSheet, "_read", lambda *args, **kwargs: reads.append(1) or read_slice(*args, **kwargs)
    )
    with xlsx_read("sliced"):
        sheet = xlsx_stream.SlicedSheet(data)
        slices = len(reads) - 1  # the first pass read each slice, then the merged ranges
        reads.clear()
        rows = sheet.iter_rows()
        assert next(rows)[:3] == ["序号", "企业名称", "统一社会信用代码"]
        assert len(reads) == 1
        assert sum(1 for _row in rows) == 300
    assert slices > 50 and len(reads) == slices


def test_rows_read_a_slice_at_a_time_are_not_kept(monkeypatch):
    """While the rows stream past, Python holds a slice of them, a small part of what all of them take."""
    data = xlsx_bytes([HEADER, *roster_rows(3000)])
    with xlsx_read("sliced"):
        monkeypatch.setattr(xlsx_stream, "SLICE_BYTES", 16 * 1024)
        sheet = xlsx_stream.SlicedSheet(data)
        tracemalloc.start()
        for _row in sheet.iter_rows():
            pass
        streamed = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        kept = list(sheet.iter_rows())
        materialised = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert len(kept) == 3001
    assert streamed < materialised / 10, (streamed, materialised)
