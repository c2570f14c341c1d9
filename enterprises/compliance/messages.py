"""The compliance importer's messages, in Chinese and English, keyed by a stable code.

Reports store codes and parameters; `render` picks the language at display time.
Cell errors raised by the roster's value parsers (dates, credit codes) keep the
roster's wording.
"""

from typing import Any

from enterprises.roster import messages as roster_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("不能为空", "is required"),
    "no_header": (
        "找不到表头：第一张工作表的前 20 行中没有同时含“统一社会信用代码”“类别”“列入日期”的一行",
        "no header found: none of the first 20 rows holds 统一社会信用代码, 类别 and 列入日期",
    ),
    "no_rows": ("表头下没有数据行", "there are no data rows below the header"),
    "category_unknown": (
        "无法识别类别“%(value)s”，应为 严重失信主体、失信被执行人、经营异常名录，或 行政处罚（安全/质量/环境/税务/网络与数据安全，可注明“重大”）",
        "category “%(value)s” is not known; use 严重失信主体, 失信被执行人, 经营异常名录 or 行政处罚 (安全/质量/环境/税务/网络与数据安全, optionally 重大)",
    ),
    "penalty_category_missing": (
        "行政处罚须注明领域：安全、质量、环境、税务 或 网络与数据安全（如“行政处罚-安全-重大”）",
        "a penalty needs its field: 安全, 质量, 环境, 税务 or 网络与数据安全 (e.g. 行政处罚-安全-重大)",
    ),
    "enterprise_unknown": (
        "登记簿中没有统一社会信用代码为 %(value)s 的企业，请先导入或登记该企业",
        "the register holds no enterprise with credit code %(value)s; add it first",
    ),
    "enterprise_outside_region": (
        "统一社会信用代码 %(value)s 的企业不在本次导入的地区“%(region)s”内",
        "the enterprise with credit code %(value)s is not in the region of this import, “%(region)s”",
    ),
    "removed_before_listed": (
        "移出日期 %(removed)s 早于列入日期 %(listed)s",
        "removed on %(removed)s, before it was listed on %(listed)s",
    ),
    "removed_for_penalty": ("行政处罚没有移出日期", "a penalty has no removal date"),
    "duplicate_in_file": (
        "与第 %(other)s 行是同一条记录（企业、类别、列入日期、文号相同），本行未导入",
        "repeats row %(other)s (same enterprise, category, date and document number); not imported",
    ),
    "name_differs": (
        "企业名称“%(value)s”与登记簿中的“%(name)s”不同，按统一社会信用代码导入",
        "the name “%(value)s” differs from “%(name)s” in the register; matched by credit code",
    ),
    "not_ready": ("该导入当前状态为“%(status)s”，不能提交", "this import is “%(status)s” and cannot be committed"),
    "has_rejected_rows": (
        "文件中有 %(count)s 行有错误，整份文件不导入；请改正后重新上传",
        "%(count)s rows have errors, so nothing is imported; fix them and upload the file again",
    ),
    "commit_failed": ("写入失败，未做任何更改：%(detail)s", "writing failed and nothing was changed: %(detail)s"),
}


def text(code: str, **params: Any) -> str:
    if code not in MESSAGES:
        return roster_messages.text(code, **params)
    chinese, english = MESSAGES[code]
    template = chinese if roster_messages.is_chinese() else english
    return template % params if params else template


def render(message: dict[str, Any]) -> str:
    """A stored {"code", "params", "row"?, "column"?} message: '第 7 行「类别」：无法识别类别…'."""
    reason = text(message["code"], **message.get("params", {}))
    row, column = message.get("row"), message.get("column", "")
    if row is None:
        return reason
    if roster_messages.is_chinese():
        return f"第 {row} 行「{column}」：{reason}" if column else f"第 {row} 行：{reason}"
    return f"Row {row}, column “{column}”: {reason}" if column else f"Row {row}: {reason}"
