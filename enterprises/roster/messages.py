"""The roster importer's messages, in Chinese and English, keyed by a stable code.

These sentences are the heart of the feature — a bureau clerk fixes their sheet
from them — so the Chinese is written here, not left to the translation pass.
Reports store codes and parameters; `render` picks the language at display time.
"""

from typing import Any

from django.utils import translation

# code: (Chinese, English). Row messages are prefixed with the row and column.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- rows: errors ---------------------------------------------------------
    "required": ("不能为空", "is required"),
    "credit_code_length": ("长度应为 18 位，实际 %(length)s 位", "must be 18 characters long, found %(length)s"),
    "credit_code_chars": (
        "含有不允许的字符“%(chars)s”（只能是数字和除 I、O、Z、S、V 以外的大写字母）",
        "contains characters that are not allowed: “%(chars)s” (digits and capital letters except I, O, Z, S, V)",
    ),
    "credit_code_format": (
        "“%(value)s”不符合 GB 32100-2015（第 3–8 位应为行政区划代码数字）",
        "“%(value)s” does not follow GB 32100-2015 (characters 3–8 must be the digits of an area code)",
    ),
    "duplicate_in_file": (
        "与第 %(other)s 行的统一社会信用代码重复，本行未导入",
        "repeats the credit code of row %(other)s; this row is not imported",
    ),
    "region_unknown": ("找不到地区“%(value)s”", "no region is called “%(value)s”"),
    "region_out_of_scope": (
        "地区“%(value)s”不在您的管辖范围内",
        "region “%(value)s” is outside your jurisdiction",
    ),
    "enterprise_out_of_scope": (
        "统一社会信用代码 %(value)s 的企业已在您管辖范围以外的地区登记",
        "the enterprise with credit code %(value)s is registered in a region outside your jurisdiction",
    ),
    "region_ambiguous": (
        "“%(value)s”对应多个地区（%(names)s），请填写全称",
        "“%(value)s” matches several regions (%(names)s); write the full name",
    ),
    "industry_invalid": (
        "行业代码“%(value)s”无效，应为 GB/T 4754 门类字母加 2–4 位数字，如 C3911",
        "industry code “%(value)s” is not valid; use a GB/T 4754 section letter and 2–4 digits, e.g. C3911",
    ),
    "date_invalid": (
        "无法识别日期“%(value)s”，请写成 2023-05-01 或 2023年5月1日",
        "“%(value)s” is not a date; write 2023-05-01 or 2023年5月1日",
    ),
    "date_out_of_range": ("日期 %(value)s 不在合理范围内", "date %(value)s is out of range"),
    "year_invalid": ("年度“%(value)s”无效", "“%(value)s” is not a valid year"),
    "number_invalid": ("“%(value)s”不是数字", "“%(value)s” is not a number"),
    "number_negative": ("不能为负数（%(value)s）", "must not be negative (%(value)s)"),
    "number_too_large": ("数值 %(value)s 过大", "%(value)s is too large"),
    "integer_invalid": ("“%(value)s”应为整数", "“%(value)s” must be a whole number"),
    "boolean_invalid": ("“%(value)s”应填“是”或“否”", "“%(value)s” must be 是 (yes) or 否 (no)"),
    "size_invalid": (
        "“%(value)s”应为 大型、中型、小型 或 微型",
        "“%(value)s” must be 大型, 中型, 小型 or 微型",
    ),
    "digital_level_invalid": ("“%(value)s”应为 1–4 级", "“%(value)s” must be level 1 to 4"),
    "text_too_long": ("长度不能超过 %(max)s 个字符", "must not be longer than %(max)s characters"),
    "tier_unknown": ("无法识别认定层级“%(value)s”", "“%(value)s” is not a known tier"),
    "tier_not_loaded": (
        "认定层级“%(value)s”尚未在系统中建立，请先加载参考数据",
        "tier “%(value)s” does not exist yet; load the reference data first",
    ),
    "recognition_date_missing": (
        "有认定层级但缺少认定日期或认定年度",
        "has a tier but no recognition date or year",
    ),
    "recognition_in_future": (
        "认定日期 %(value)s 晚于今天一年以上",
        "recognition date %(value)s is more than a year ahead",
    ),
    "scale_date_in_future": ("日期 %(value)s 晚于今天", "date %(value)s lies in the future"),
    "scale_left_before_entry": (
        "退库日期 %(left)s 早于入库日期 %(entered)s",
        "the exit (退库) date %(left)s is before the entry date %(entered)s",
    ),
    "scale_period_overlap": (
        "与已登记的规上期间（%(start)s 入库，%(end)s 退库）重叠",
        "overlaps the recorded 规上 period from %(start)s to %(end)s",
    ),
    "scale_period_overlap_open": (
        "与已登记的规上期间（%(start)s 入库，尚未退库）重叠",
        "overlaps the recorded 规上 period entered on %(start)s and not yet left",
    ),
    "scale_exit_without_period": (
        "填写了退库日期 %(value)s，但该企业没有尚未退库的规上期间；请同时填写入库日期",
        "has the exit date %(value)s but the enterprise has no open 规上 period; give the entry date too",
    ),
    # --- rows: the 规上 period the row records -----------------------------------
    "scale_period_new": ("新增规上期间：%(entered)s 入库", "new 规上 period: entered %(entered)s"),
    "scale_period_new_closed": (
        "新增规上期间：%(entered)s 入库，%(left)s 退库",
        "new 规上 period: entered %(entered)s, left %(left)s",
    ),
    "scale_period_closed": (
        "规上期间（%(entered)s 入库）退库：%(left)s",
        "规上 period entered %(entered)s closed: left %(left)s",
    ),
    "scale_period_unchanged": (
        "规上期间（%(entered)s 入库）无变化",
        "规上 period entered %(entered)s unchanged",
    ),
    "scale_period_unchanged_closed": (
        "规上期间（%(entered)s 入库，%(left)s 退库）无变化",
        "规上 period %(entered)s to %(left)s unchanged",
    ),
    # --- rows: warnings -------------------------------------------------------
    "credit_code_check": (
        "校验位不符（按 GB 32100-2015 应为 %(expected)s），已导入并标记待核查",
        "check character does not match (GB 32100-2015 gives %(expected)s); imported and flagged for review",
    ),
    "recognition_date_assumed": (
        "未填认定日期，按 %(date)s 记录",
        "no recognition date given; recorded as %(date)s",
    ),
    # --- the file ---------------------------------------------------------------
    "empty_file": ("文件是空的（0 字节）", "The file is empty (0 bytes)."),
    "too_large": (
        "文件大小 %(size)s 超过上限 %(limit)s",
        "The file is %(size)s, more than the limit of %(limit)s.",
    ),
    "unsupported_format": (
        "无法识别的文件格式：请上传 .xlsx、.xls 或 .csv 文件",
        "Unrecognised file format: upload an .xlsx, .xls or .csv file.",
    ),
    "not_spreadsheet": (
        "这是一个压缩包或 Word/PowerPoint 文件，不是 Excel 工作簿",
        "This is a zip archive or a Word/PowerPoint file, not an Excel workbook.",
    ),
    "zip_bomb_size": (
        "文件解压后达 %(size)s，超过上限 %(limit)s，疑似压缩炸弹，已拒绝",
        "The file expands to %(size)s, more than the limit of %(limit)s; refused as a possible zip bomb.",
    ),
    "zip_bomb_ratio": (
        "文件中“%(member)s”的压缩比为 %(ratio)s:1，疑似压缩炸弹，已拒绝",
        "Part “%(member)s” is compressed %(ratio)s:1; refused as a possible zip bomb.",
    ),
    "xml_entities": (
        "文件中“%(member)s”含有 DTD 或实体声明（XML 炸弹风险），已拒绝",
        "Part “%(member)s” declares a DTD or entities (an XML bomb risk); refused.",
    ),
    "unreadable": (
        "无法读取该文件（%(detail)s）。若文件设有密码，请先取消密码",
        "The file cannot be read (%(detail)s). If it has a password, remove it first.",
    ),
    "csv_encoding": (
        "CSV 文件既不是 UTF-8 也不是 GBK 编码",
        "The CSV file is neither UTF-8 nor GBK encoded.",
    ),
    "too_many_rows": (
        "表格有 %(rows)s 行，超过上限 %(limit)s 行；请拆分后分批导入",
        "The sheet has %(rows)s rows, more than the limit of %(limit)s; split it into smaller files.",
    ),
    "too_many_columns": (
        "表格有 %(columns)s 列，超过上限 %(limit)s 列",
        "The sheet has %(columns)s columns, more than the limit of %(limit)s.",
    ),
    "no_header": (
        "前 %(scanned)s 行中找不到表头。缺少：%(missing)s；找到的列：%(found)s",
        "No header row in the first %(scanned)s rows. Missing: %(missing)s; columns found: %(found)s",
    ),
    "missing_columns": (
        "第 %(row)s 行的表头缺少：%(missing)s；找到的列：%(found)s",
        "The header in row %(row)s lacks: %(missing)s; columns found: %(found)s",
    ),
    "no_data_rows": ("表头下面没有数据行", "There are no data rows below the header."),
    "commit_failed": (
        "提交失败，没有写入任何数据：%(detail)s",
        "The commit failed and nothing was written: %(detail)s",
    ),
    "nothing_to_change": (
        "无变更：名册中的数据与企业库一致，没有需要写入的内容。",
        "No changes: the roster matches the register, so there is nothing to commit.",
    ),
    "commit_failed_database": (
        "提交失败，没有写入任何数据：数据库暂时无法完成写入（可能正忙或连接中断）。请稍后重新提交；再次失败请联系系统管理员。",
        "The commit failed and nothing was written: the database could not complete the writes (busy or disconnected). "
        "Commit again later; if it fails again, tell the system administrator.",
    ),
    "not_ready": (
        "此导入当前不能提交（状态：%(status)s）",
        "This import cannot be committed now (status: %(status)s).",
    ),
    # --- the rejected-rows workbook -------------------------------------------
    "column_row": ("行号", "Row"),
    "column_error": ("错误原因", "Error"),
    "rejected_sheet": ("未导入的行", "Rejected rows"),
    # --- the file: warnings -----------------------------------------------------
    "real_format": (
        "文件扩展名为 .%(extension)s，实际是 %(actual)s 文件，已按实际格式读取",
        "The file is named .%(extension)s but is really %(actual)s; read as %(actual)s.",
    ),
    "merged_cells": (
        "表格中有 %(count)s 处合并单元格，已将合并值填入每个单元格",
        "%(count)s merged cell ranges were unmerged; each cell got the merged value.",
    ),
    "blank_rows_stopped": (
        "第 %(row)s 行起连续 %(count)s 行为空，之后的内容不再读取",
        "Reading stopped at row %(row)s after %(count)s blank rows.",
    ),
    "unit_scaled": (
        "“%(column)s”以%(unit)s为单位，已换算为万元",
        "“%(column)s” is in %(unit)s; converted to 万元.",
    ),
    "ignored_columns": ("以下列未导入：%(columns)s", "These columns are not imported: %(columns)s"),
    "header_year": (
        "表头中的年份 %(year)s 用作指标年度",
        "The year %(year)s in the headers is used as the indicators' year.",
    ),
    "indicator_year_mismatch": (
        "指标年度 %(value)s 与名单年度 %(year)s 不一致",
        "The indicator year %(value)s differs from the roster's year %(year)s.",
    ),
    "tier_not_loaded_chosen": (
        "所选梯度 %(value)s 尚未加载，请先加载梯度标准",
        "The chosen tier %(value)s is not loaded; load the tier criteria first.",
    ),
    "indicator_year_default": (
        "未指定指标年度，按 %(year)s 年记录",
        "No indicator year given; figures are recorded for %(year)s.",
    ),
}


def is_chinese() -> bool:
    return (translation.get_language() or "zh-hans").lower().startswith("zh")


def text(code: str, **params: Any) -> str:
    """The message for `code` in the active language."""
    chinese, english = MESSAGES[code]
    template = chinese if is_chinese() else english
    return template % params if params else template


def row_message(*, row: int, column: str, code: str, params: dict[str, Any] | None = None) -> str:
    """'第 7 行「统一社会信用代码」：长度应为 18 位，实际 17 位'."""
    reason = text(code, **(params or {}))
    if is_chinese():
        return f"第 {row} 行「{column}」：{reason}" if column else f"第 {row} 行：{reason}"
    return f"Row {row}, column “{column}”: {reason}" if column else f"Row {row}: {reason}"


def render(message: dict[str, Any]) -> str:
    """A stored {"code", "params", "row"?, "column"?} message as text."""
    if "row" in message:
        return row_message(
            row=message["row"], column=message.get("column", ""), code=message["code"], params=message.get("params")
        )
    return text(message["code"], **message.get("params", {}))
