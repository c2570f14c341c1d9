"""The dry run: header detection with its variants, titles, and every rejection reason in Chinese."""

import datetime

import pytest
from django.utils import translation

from enterprises.models import RosterImport
from enterprises.roster import messages
from enterprises.roster.headers import find_header, match_header
from enterprises.roster.services import refusal_text, upload_roster
from enterprises.roster.titles import parse_title, tier_code_for
from enterprises.roster.values import CellError, parse_date, parse_money
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import HEADER, code, csv_bytes, report_rows, roster_rows, xlsx_bytes
from tiers.reference import load_tiers_and_ladders


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("企业名称", "name"),
        ("企业名称（全称）", "name"),
        (" 统一社会\n信用代码 ", "credit_code"),
        ("所属县（区）", "region"),
        ("所属县区", "region"),
        ("县区", "region"),
        ("营业收入（万元）", "operating_revenue"),
        ("营业收入(万元)", "operating_revenue"),
        ("2024年营业收入（万元）", "operating_revenue"),
        ("主营业务收入（万元）", "main_business_revenue"),
        ("研发费用(万元)", "rd_expense"),
        ("职工总数", "employees"),
        ("Ⅰ类知识产权", "ip_class1_count"),
        ("I类知识产权（件）", "ip_class1_count"),
        ("高新技术产品（服务）收入", "high_tech_product_revenue"),
        ("认定年度/批次", "batch"),
        ("成立日期*", "registered_on"),
        ("备注", None),
    ],
)
def test_header_variants(header, key):
    assert match_header(header, 0).key == key


def test_header_unit_in_yuan_is_scaled():
    cell = match_header("营业收入（元）", 0)
    assert (cell.key, cell.unit, cell.unit_scale) == ("operating_revenue", "元", 0.0001)


def test_the_header_row_is_found_below_a_title_and_a_unit_line():
    rows = [["2023年第五批专精特新“小巨人”企业名单"], ["单位：万元"], [], HEADER, *roster_rows(2)]
    header, missing = find_header(rows)
    assert header.row_index == 3
    assert missing == []
    title = parse_title(header.title_lines)
    assert (title.tier_code, title.year, title.batch, title.unit) == ("little-giant", 2023, "2023年第五批", "万元")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("专精特新“小巨人”企业", "little-giant"),
        ("小巨人", "little-giant"),
        ("专精特新中小企业", "srdi-sme"),
        ("高新技术企业", "high-tech"),
        ("科技型中小企业", "tech-sme"),
        ("创新型中小企业", "innovative-sme"),
        ("制造业单项冠军", "single-champion"),
        ("自治区瞪羚企业", "nx-gazelle"),
        ("市级“专精特新”中小企业", "eeds-city-srdi"),
        ("优秀企业", None),
    ],
)
def test_tier_names_and_aliases(text, code):
    assert tier_code_for(text) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023年5月1日", datetime.date(2023, 5, 1)),
        ("2023-05-01", datetime.date(2023, 5, 1)),
        ("2023/5/1", datetime.date(2023, 5, 1)),
        ("2023.5.1", datetime.date(2023, 5, 1)),
        ("２０２３年５月１日", datetime.date(2023, 5, 1)),
        (45047.0, datetime.date(2023, 5, 1)),
        ("20230501", datetime.date(2023, 5, 1)),
        (datetime.datetime(2023, 5, 1, 8, 0), datetime.date(2023, 5, 1)),
        ("", None),
    ],
)
def test_chinese_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,234.5", "1234.50"), ("１２３４", "1234.00"), (" 2 000 ", "2000.00"), ("—", None), (12.345, "12.35")],
)
def test_numbers_with_separators_and_full_width_digits(raw, expected):
    value = parse_money(raw)
    assert (str(value) if value is not None else None) == expected


def test_negative_revenue_is_refused_but_a_loss_is_not():
    with pytest.raises(CellError):
        parse_money("-5")
    assert str(parse_money("-5", allow_negative=True)) == "-5.00"


def upload(user, rows, name="名单.xlsx"):
    return upload_roster(actor=user, file_name=name, data=xlsx_bytes(rows))


def rejection_texts(roster_import) -> dict[int, list[str]]:
    return {
        row["row"]: [messages.render(error) for error in row["errors"]]
        for row in report_rows(roster_import)
        if row["action"] == "reject"
    }


def test_every_rejection_reason_names_the_row_the_column_and_the_reason_in_chinese(users, region_tree):
    load_tiers_and_ladders()
    EnterpriseFactory(credit_code=code(90), region=region_tree["xining"])
    header = [*HEADER, "是否规上", "企业规模", "数字化水平等级", "认定类型", "净利润"]
    good = [1, "好企业", code(1), "沙坡头区", "C3911", "2015-05-01", 100, 10, "是", "小型", "二级", "", "-20"]

    def variant(n, **changes):
        row = list(good)
        row[2] = code(n)
        for index, value in changes.items():
            row[int(index[1:])] = value
        return row

    rows = [
        header,
        good,
        variant(2, c2=code(2)[:17]),
        variant(3, c2="91640500I00000001X"),
        variant(4, c3="火星区"),
        variant(5, c3="青海"),
        variant(6, c4="X99"),
        variant(7, c5="2023年13月1日"),
        variant(8, c6="-100"),
        variant(9, c6="很多"),
        variant(10, c7="3.5"),
        variant(11, c8="也许"),
        variant(12, c9="巨型"),
        variant(13, c10="六级"),
        variant(14, c11="优秀企业"),
        variant(15, c1=""),
        variant(16, c2=code(1)),
        variant(90),
        variant(17, c2=""),
    ]
    roster_import = upload(users["admin"], rows)
    texts = rejection_texts(roster_import)
    assert texts == {
        3: ["第 3 行「统一社会信用代码」：长度应为 18 位，实际 17 位"],
        4: ["第 4 行「统一社会信用代码」：含有不允许的字符“I”（只能是数字和除 I、O、Z、S、V 以外的大写字母）"],
        5: ["第 5 行「所在地区」：找不到地区“火星区”"],
        6: ["第 6 行「所在地区」：找不到地区“青海”"],
        7: ["第 7 行「所属行业」：行业代码“X99”无效，应为 GB/T 4754 门类字母加 2–4 位数字，如 C3911"],
        8: ["第 8 行「成立日期」：无法识别日期“2023年13月1日”，请写成 2023-05-01 或 2023年5月1日"],
        9: ["第 9 行「营业收入（万元）」：不能为负数（-100）"],
        10: ["第 10 行「营业收入（万元）」：“很多”不是数字"],
        11: ["第 11 行「从业人员」：“3.5”应为整数"],
        12: ["第 12 行「是否规上」：“也许”应填“是”或“否”"],
        13: ["第 13 行「企业规模」：“巨型”应为 大型、中型、小型 或 微型"],
        14: ["第 14 行「数字化水平等级」：“六级”应为 1–4 级"],
        15: ["第 15 行「认定类型」：无法识别认定层级“优秀企业”"],
        16: ["第 16 行「企业名称」：不能为空"],
        17: ["第 17 行「统一社会信用代码」：与第 2 行的统一社会信用代码重复，本行未导入"],
        19: ["第 19 行「统一社会信用代码」：不能为空"],
    }
    # Row 2 is new; row 18's enterprise (in 西宁市) is within the whole-country admin's scope.
    assert (roster_import.created_count, roster_import.updated_count) == (1, 1)


def test_a_county_admin_cannot_import_into_a_sibling_county(users, region_tree):
    """Regions outside the importer's scope are refused, and so are enterprises registered there."""
    from portal.tests.factories import UserFactory

    county_admin = UserFactory(username="t_spt_admin", role="admin", region=region_tree["shapotou"])
    EnterpriseFactory(credit_code=code(5), region=region_tree["zhongning"])
    rows = [HEADER, *roster_rows(1), *roster_rows(1, start=2, region="中宁县"), *roster_rows(1, start=5)]
    texts = rejection_texts(upload(county_admin, rows))
    assert texts == {
        3: ["第 3 行「所在地区」：地区“中宁县”不在您的管辖范围内"],
        4: [f"第 4 行「统一社会信用代码」：统一社会信用代码 {code(5)} 的企业已在您管辖范围以外的地区登记"],
    }


def test_a_check_character_mismatch_is_accepted_but_flagged(users):
    wrong = code(1)[:17] + ("0" if code(1)[17] != "0" else "1")
    roster_import = upload(users["admin"], [HEADER, [1, "甲", wrong, "沙坡头区", "C3911", "", 1, 1]])
    row = report_rows(roster_import)[0]
    assert row["action"] == "create"
    assert messages.render(row["warnings"][0]) == (
        f"第 2 行「统一社会信用代码」：校验位不符（按 GB 32100-2015 应为 {code(1)[17]}），已导入并标记待核查"
    )


def test_wrong_headers_list_what_is_missing_and_what_was_found(users):
    """The import is recorded as refused, with a message naming the missing and the found columns."""
    refused = upload(users["admin"], [["序号", "企业名称", "电话"], [1, "甲", "123"]])
    assert refused.status == RosterImport.Status.REFUSED
    assert refusal_text(refused) == "第 1 行的表头缺少：统一社会信用代码、所在地区；找到的列：序号、企业名称、电话"
    refused = upload(users["admin"], [["姓名", "年龄"], ["张三", 30]])
    assert (
        refusal_text(refused)
        == "前 10 行中找不到表头。缺少：企业名称、统一社会信用代码、所在地区；找到的列：姓名、年龄"
    )


def test_messages_follow_the_active_language(users):
    roster_import = upload(users["admin"], [HEADER, [1, "甲", code(1)[:17], "沙坡头区", "", "", "", ""]])
    error = report_rows(roster_import)[0]["errors"][0]
    with translation.override("en"):
        assert messages.render(error) == "Row 2, column “统一社会信用代码”: must be 18 characters long, found 17"


def test_gbk_csv_is_analysed_like_the_workbook(users):
    data = csv_bytes([HEADER, *roster_rows(2)], encoding="gbk")
    roster_import = upload_roster(actor=users["admin"], file_name="名单.csv", data=data)
    assert roster_import.created_count == 2
    assert roster_import.report["mapping"][0] == {
        "column": "B",
        "header": "企业名称",
        "field": "name",
        "label": "企业名称",
        "unit": "",
    }
