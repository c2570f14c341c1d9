"""Real roster files for the importer's tests, written with openpyxl, xlwt and csv."""

import csv
import datetime
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import xlwt

from enterprises.credit_codes import with_check_character

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
