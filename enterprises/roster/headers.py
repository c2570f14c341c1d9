"""The column headers bureaus use, and finding the header row and the title above it.

A header is normalised before it is looked up: full-width characters become
half-width (NFKC, so （万元） → (万元) and Ⅰ → I), spaces and line breaks go,
anything in brackets goes (units, "全称", "（区）"), a leading year ("2023年")
is kept aside as the indicators' year, and a trailing "*" marking a required
column is dropped. docs/rosters.md lists every accepted header.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str  # text, credit_code, region, industry, date, bool, size, money, count, level, year, tier, skip
    aliases: tuple[str, ...]
    target: str = "enterprise"  # enterprise, indicator, recognition, scale (规上 period), meta
    max_length: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", "skip", ("序号", "编号", "序", "no"), "meta"),
    Column(
        "name", "企业名称", "text", ("企业名称", "单位名称", "公司名称", "企业全称", "名称", "企业"), max_length=200
    ),
    Column(
        "credit_code",
        "统一社会信用代码",
        "credit_code",
        ("统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "统一社会信用代码证号", "纳税人识别号"),
    ),
    Column(
        "region",
        "所在地区",
        "region",
        (
            "所在地区",
            "所属县区",
            "所属地区",
            "县区",
            "所属县",
            "所在县区",
            "所在县",
            "地区",
            "区县",
            "县市区",
            "所属区域",
            "区域",
            "所在区域",
            "所属园区",
            "属地",
        ),
    ),
    Column(
        "industry_code",
        "所属行业",
        "industry",
        (
            "所属行业",
            "行业代码",
            "所属行业代码",
            "国民经济行业代码",
            "国民经济行业分类",
            "行业分类",
            "行业",
            "行业类别",
        ),
    ),
    Column("registered_on", "成立日期", "date", ("成立日期", "注册日期", "成立时间", "注册时间", "登记日期")),
    Column("size_class", "企业规模", "size", ("企业规模", "规模", "企业类型规模")),
    Column(
        "is_above_scale",
        "是否规上",
        "bool",
        ("是否规上", "是否规上企业", "规上企业", "是否规模以上", "是否规模以上企业"),
    ),
    Column(
        "scale_entered_on",
        "纳入规上日期",
        "date",
        ("纳入规上日期", "入库日期", "规上入库日期", "进入规上日期", "入规日期", "纳入规上时间", "入库时间"),
        "scale",
    ),
    Column(
        "scale_left_on",
        "退库日期",
        "date",
        ("退库日期", "退出规上日期", "规上退库日期", "退规日期", "退库时间", "退出规上时间"),
        "scale",
    ),
    Column("is_listed", "是否上市", "bool", ("是否上市", "是否上市企业", "上市企业")),
    Column("main_products", "主营产品", "text", ("主营产品", "主导产品", "主要产品"), max_length=500),
    Column("contact_name", "联系人", "text", ("联系人", "企业联系人"), max_length=50),
    Column("contact_phone", "联系电话", "text", ("联系电话", "联系方式", "手机", "电话"), max_length=30),
    Column(
        "tier",
        "认定层级",
        "tier",
        ("认定层级", "认定类型", "认定类别", "层级", "企业类别", "称号", "认定称号"),
        "recognition",
    ),
    Column("batch", "批次", "text", ("批次", "认定批次", "认定年度/批次", "年度批次"), "recognition", max_length=100),
    Column("recognition_year", "认定年度", "year", ("认定年度", "认定年份", "入选年度", "获评年度"), "recognition"),
    Column("recognized_on", "认定日期", "date", ("认定日期", "认定时间", "发证日期", "公布日期"), "recognition"),
    Column("certificate_no", "证书编号", "text", ("证书编号", "证书号", "证书号码"), "recognition", max_length=100),
    Column("indicator_year", "指标年度", "year", ("指标年度", "数据年度", "统计年度", "年度", "所属年度"), "indicator"),
    Column(
        "operating_revenue",
        "营业收入(万元)",
        "money",
        ("营业收入", "营业总收入", "销售收入", "年营业收入"),
        "indicator",
    ),
    Column("main_business_revenue", "主营业务收入(万元)", "money", ("主营业务收入", "主营收入"), "indicator"),
    Column(
        "rd_expense",
        "研发费用(万元)",
        "money",
        ("研发费用", "研发投入", "研发经费", "研发费用总额", "研究开发费用"),
        "indicator",
    ),
    Column(
        "employees",
        "从业人员",
        "count",
        ("从业人员", "职工总数", "从业人数", "职工人数", "员工人数", "从业人员数", "员工总数"),
        "indicator",
    ),
    Column("rd_staff", "研发人员", "count", ("研发人员", "研发人员数", "研发人数"), "indicator"),
    Column("tech_staff", "科技人员", "count", ("科技人员", "科技人员数"), "indicator"),
    Column("total_assets", "资产总额(万元)", "money", ("资产总额", "总资产", "资产总计"), "indicator"),
    Column("total_liabilities", "负债总额(万元)", "money", ("负债总额", "总负债", "负债总计"), "indicator"),
    Column("net_profit", "净利润(万元)", "money", ("净利润", "利润总额"), "indicator"),
    Column(
        "ip_class1_count",
        "I类知识产权",
        "count",
        ("i类知识产权", "一类知识产权", "i类知识产权数", "i类知识产权数量"),
        "indicator",
    ),
    Column("ip_class2_count", "II类知识产权", "count", ("ii类知识产权", "二类知识产权", "ii类知识产权数"), "indicator"),
    Column(
        "invention_patents",
        "发明专利",
        "count",
        ("发明专利", "发明专利数", "发明专利数量", "有效发明专利"),
        "indicator",
    ),
    Column(
        "high_tech_product_revenue",
        "高新技术产品收入(万元)",
        "money",
        ("高新技术产品收入", "高新技术产品服务收入", "高新收入"),
        "indicator",
    ),
    Column("equity_financing", "股权融资(万元)", "money", ("股权融资", "股权融资额", "股权融资总额"), "indicator"),
    Column(
        "tax_paid", "纳税总额(万元)", "money", ("纳税总额", "缴税总额", "实缴税金", "实缴税收", "纳税额"), "indicator"
    ),
    Column(
        "digital_level",
        "数字化水平等级",
        "level",
        ("数字化水平等级", "数字化水平", "数字化等级", "数字化水平评测等级"),
        "indicator",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = ("name", "credit_code", "region")

BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")
LEADING_YEAR = re.compile(r"^((?:19|20)\d{2})年度?")
UNIT_IN_HEADER = re.compile(r"(亿元|万元|千元|元)")
UNIT_SCALE = {"亿元": 10000, "万元": 1, "千元": 0.1, "元": 0.0001}


def normalise(text: Any) -> str:
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = re.sub(r"\s+", "", value)
    value = BRACKETS.sub("", value)
    value = re.sub(r"[*＊:：/、]+$", "", value)
    return value.lower()


def _lookup_table() -> dict[str, str]:
    table = {}
    for column in COLUMNS:
        for alias in column.aliases:
            table[normalise(alias)] = column.key
    return table


LOOKUP = _lookup_table()


@dataclass
class HeaderCell:
    index: int
    text: str
    key: str | None
    unit_scale: float = 1
    unit: str = ""
    year: int | None = None


def match_header(text: Any, index: int) -> HeaderCell:
    raw = str(text or "").strip()
    flat = unicodedata.normalize("NFKC", raw).replace(" ", "")
    key = LOOKUP.get(normalise(flat))
    year = None
    if key is None:
        year_match = LEADING_YEAR.match(flat)
        if year_match:
            key = LOOKUP.get(normalise(flat[year_match.end() :]))
            year = int(year_match.group(1)) if key else None
    cell = HeaderCell(index=index, text=raw, key=key, year=year)
    unit = UNIT_IN_HEADER.search(flat)
    if key and BY_KEY[key].kind == "money" and unit:
        cell.unit = unit.group(1)
        cell.unit_scale = UNIT_SCALE[cell.unit]
    return cell


@dataclass
class Header:
    row_index: int  # zero-based index into the sheet's rows
    cells: list[HeaderCell]
    title_lines: list[str] = field(default_factory=list)

    @property
    def mapped(self) -> dict[str, HeaderCell]:
        """First column for each field; a repeated header is ignored like an unknown one."""
        result: dict[str, HeaderCell] = {}
        for cell in self.cells:
            if cell.key and cell.key not in result:
                result[cell.key] = cell
        return result

    @property
    def ignored(self) -> list[str]:
        used = {id(cell) for cell in self.mapped.values()}
        return [cell.text for cell in self.cells if cell.text and id(cell) not in used]


def _text_cells(row: list[Any]) -> list[str]:
    return [str(value).strip() for value in row if value is not None and str(value).strip()]


def find_header(rows: list[list[Any]]) -> tuple[Header | None, list[str]]:
    """The row among the first ten that names the most known columns.

    Returns (header, missing required labels); header is None when no row names
    at least two known columns.
    """
    best: Header | None = None
    best_score = 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [match_header(value, column) for column, value in enumerate(row)]
        keys = {cell.key for cell in cells if cell.key and cell.key != "seq"}
        score = len(keys) + sum(2 for key in REQUIRED if key in keys)
        if score > best_score:
            best, best_score = Header(row_index=index, cells=cells), score
    if best is None:
        return None, [BY_KEY[key].label for key in REQUIRED]
    lines: list[str] = []
    for row in rows[: best.row_index]:
        for text in _text_cells(row):
            if text not in lines:
                lines.append(text)
    best.title_lines = lines
    missing = [BY_KEY[key].label for key in REQUIRED if key not in best.mapped]
    return best, missing


def found_headers(rows: list[list[Any]]) -> list[str]:
    """The texts of the most header-like row, for the 'no header' message."""
    candidates = [_text_cells(row) for row in rows[:HEADER_SCAN_ROWS]]
    return max(candidates, key=len, default=[])
