"""Reading roster files: formats sniffed from bytes, encodings, and hostile files refused or neutralised."""

import datetime
import io
import zipfile

import pytest
from django.test import override_settings
from django.utils import translation

from enterprises.roster import reading
from enterprises.roster.errors import RosterRefused
from enterprises.roster.reading import read_sheet
from enterprises.tests.roster_files import HEADER, code, csv_bytes, roster_rows, xls_bytes, xlsx_bytes, xlsx_read


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True, params=["whole", "sliced"])
def xlsx_reader(request):
    """Every test reads its .xlsx both ways: by calamine whole, and a few rows at a time as a large file is."""
    with xlsx_read(request.param):
        yield


def refusal(data: bytes, name: str = "名单.xlsx") -> RosterRefused:
    with pytest.raises(RosterRefused) as caught:
        read_sheet(data, file_name=name)
    return caught.value


def test_xlsx_cells_keep_their_types():
    rows = read_sheet(
        xlsx_bytes([HEADER, [1, "甲", code(1), "沙坡头区", "C3911", datetime.date(2015, 5, 1), 12.5, 3]]),
        file_name="a.xlsx",
    ).rows
    assert rows[1][:3] == [1.0, "甲", code(1)]
    assert rows[1][5] == datetime.date(2015, 5, 1)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_in_utf8_or_gbk_with_or_without_bom(encoding):
    """Bureaus save CSV from Excel in GBK; others in UTF-8 with a BOM."""
    sheet = read_sheet(csv_bytes([HEADER, *roster_rows(1)], encoding=encoding), file_name="名单.csv")
    assert sheet.format == "csv"
    assert sheet.rows[0][:3] == ["序号", "企业名称", "统一社会信用代码"]
    assert sheet.rows[1][1] == "宁夏测试1有限公司"


def test_xls_is_read():
    sheet = read_sheet(
        xls_bytes([HEADER, [1, "甲公司", code(1), "中宁县", "C3911", datetime.date(2015, 5, 1), 100, 10]]),
        file_name="a.xls",
    )
    assert sheet.format == "xls"
    assert sheet.rows[1][1] == "甲公司"


def test_an_xls_renamed_xlsx_is_read_as_what_it_is():
    """The format comes from the magic bytes, not the extension; the report says so."""
    sheet = read_sheet(xls_bytes([HEADER, *roster_rows(1)]), file_name="renamed.xlsx")
    assert sheet.format == "xls"
    assert sheet.warnings == [{"code": "real_format", "params": {"extension": "xlsx", "actual": "XLS"}}]


def test_an_empty_file_is_refused():
    assert refusal(b"").message == "文件是空的（0 字节）"


@override_settings(ROSTER_MAX_UPLOAD_BYTES=1000)
def test_an_oversize_file_is_refused():
    assert refusal(b"x" * 2000, "a.csv").message == "文件大小 2.0 KB 超过上限 1000 B"


def test_a_zip_bomb_is_refused_before_parsing():
    """A part that expands 1000:1 is refused by its compression ratio, without being read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    message = refusal(buffer.getvalue()).message
    assert "xl/worksheets/sheet1.xml" in message and "疑似压缩炸弹" in message


def test_a_zip_that_expands_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    data = xlsx_bytes([HEADER, *roster_rows(3000)])
    assert "超过上限 1.0 MB，疑似压缩炸弹" in refusal(data).message


def test_an_xml_bomb_is_refused():
    """Entity declarations in any part of the workbook are refused (billion laughs)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, *roster_rows(1)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                declaration = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                if content.startswith(b"<?xml"):
                    end = content.index(b"?>") + 2
                    content = content[:end] + declaration + content[end:]
                else:
                    content = declaration + content
            archive.writestr(item, content)
    assert "含有 DTD 或实体声明（XML 炸弹风险），已拒绝" in refusal(buffer.getvalue()).message


def test_a_word_document_renamed_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
    assert refusal(buffer.getvalue()).message == "这是一个压缩包或 Word/PowerPoint 文件，不是 Excel 工作簿"


def test_one_value_a_million_rows_down_is_refused_before_calamine_allocates_it():
    """A tiny file with a cell in row 1,000,000 would cost ~700 MB once loaded; the scan refuses it."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.cell(row=1_000_000, column=18).value = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refusal(buffer.getvalue()).message == "表格有 1,000,000 行，超过上限 200,000 行；请拆分后分批导入"


def test_reading_stops_after_a_long_run_of_blank_rows(monkeypatch):
    monkeypatch.setattr(reading, "BLANK_RUN_LIMIT", 50)
    rows = [HEADER, *roster_rows(2), *([[None] * 8] * 60), *roster_rows(1, start=9)]
    sheet = read_sheet(csv_bytes(rows), file_name="a.csv")
    assert len(sheet.rows) == 3
    assert sheet.warnings == [{"code": "blank_rows_stopped", "params": {"row": 4, "count": 50}}]


def test_too_many_rows_are_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    assert (
        refusal(csv_bytes([HEADER, *roster_rows(40)]), "a.csv").message
        == "表格有 > 10 行，超过上限 10 行；请拆分后分批导入"
    )


def test_merged_cells_are_filled_with_their_value():
    """A region merged down several rows applies to each of them."""
    rows = [HEADER, *roster_rows(3)]
    rows[2][3] = rows[3][3] = None
    sheet = read_sheet(xlsx_bytes(rows, merged=["D2:D4"]), file_name="a.xlsx")
    assert [row[3] for row in sheet.rows[1:]] == ["沙坡头区"] * 3
    assert {"code": "merged_cells", "params": {"count": 1}} in sheet.warnings


def test_merged_cells_below_blank_leading_rows_are_filled_in_their_own_rows():
    """calamine's rows start at the sheet's first row even when it is blank; a merged range fills its own rows."""
    rows = [[None] * 8, [None] * 8, HEADER, *roster_rows(3)]
    rows[4][3] = rows[5][3] = None
    sheet = read_sheet(xlsx_bytes(rows, merged=["D4:D6"]), file_name="a.xlsx")
    assert [row[3] for row in sheet.rows] == ["", "", "所在地区", "沙坡头区", "沙坡头区", "沙坡头区"]


def test_formulas_are_never_evaluated():
    """A formula's cached value is read (none here, so blank); text starting with = in CSV stays text."""
    rows = [HEADER, [1, "=1+2", code(1), "沙坡头区", "C3911", "2015-05-01", "=A1*1000", 3]]
    xlsx_row = read_sheet(xlsx_bytes(rows), file_name="a.xlsx").rows[1]
    assert xlsx_row[1] == "" and xlsx_row[6] == ""
    csv_row = read_sheet(csv_bytes(rows), file_name="a.csv").rows[1]
    assert csv_row[1] == "=1+2"


def test_a_csv_that_is_neither_utf8_nor_gbk_is_refused():
    assert refusal(b"\x81\x30\xff\xfe\xff", "a.csv").message == "CSV 文件既不是 UTF-8 也不是 GBK 编码"
