"""The roster the roster section imports: its 18 columns as the sheet and django-import-export name them, and the
deterministic workbook of N enterprises (variant 1 changes every figure), generated once and kept in a cache."""

import datetime
import os
import random
import tempfile
from pathlib import Path

COLUMNS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "所属行业",
    "成立日期",
    "企业规模",
    "是否规上",
    "营业收入（万元）",
    "主营业务收入（万元）",
    "研发费用（万元）",
    "从业人员",
    "研发人员",
    "资产总额（万元）",
    "负债总额（万元）",
    "净利润（万元）",
    "发明专利",
    "数字化水平等级",
]
# The same columns as django-import-export's resources name them.
RESOURCE_NAMES = {
    "企业名称": "name",
    "统一社会信用代码": "credit_code",
    "所在地区": "region",
    "所属行业": "industry_code",
    "成立日期": "registered_on",
    "企业规模": "size_class",
    "是否规上": "is_above_scale",
    "营业收入（万元）": "operating_revenue",
    "主营业务收入（万元）": "main_business_revenue",
    "研发费用（万元）": "rd_expense",
    "从业人员": "employees",
    "研发人员": "rd_staff",
    "资产总额（万元）": "total_assets",
    "负债总额（万元）": "total_liabilities",
    "净利润（万元）": "net_profit",
    "发明专利": "invention_patents",
    "数字化水平等级": "digital_level",
}
REGIONS = ["沙坡头区", "中宁县", "海原县", "中卫工业园区"]
INDUSTRIES = ["C3911", "C2651", "C1511", "C3360", "I6510", "M7320", "C3051", "D4411"]
SIZES = ["micro", "small", "medium", "large"]
INDICATOR_YEAR = 2025


def generate(path: Path, rows: int, *, variant: int) -> None:
    """A roster of `rows` enterprises; variant 1 changes every figure and a few names."""
    from openpyxl import Workbook

    from enterprises.credit_codes import with_check_character

    rng = random.Random(2026)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(COLUMNS)
    for n in range(1, rows + 1):
        revenue = round(rng.uniform(500, 50_000), 2)
        name = f"宁夏基准测试{n}有限公司" + ("（更名）" if variant and n % 10 == 0 else "")
        sheet.append(
            [
                n,
                name,
                with_check_character(f"91640500{n:09d}"),
                REGIONS[n % len(REGIONS)],
                INDUSTRIES[n % len(INDUSTRIES)],
                datetime.date(2000 + n % 24, 1 + n % 12, 1 + n % 28),
                SIZES[n % 4],
                (n % 3 == 0 and 1) or 0,
                round(revenue + variant * 10, 2),
                round(revenue * 0.9, 2),
                round(revenue * 0.05 + variant, 2),
                20 + n % 500,
                2 + n % 50 + variant,
                round(revenue * 1.5, 2),
                round(revenue * 0.6, 2),
                round(revenue * 0.08 - 100, 2),
                n % 12,
                1 + n % 4,
            ]
        )
    workbook.save(path)


CACHE = Path(tempfile.gettempdir()) / "portal-bench-rosters"


def roster_file(rows: int, *, variant: int) -> Path:
    """The generated roster, kept between runs (generating 50,000 rows takes minutes)."""
    path = CACHE / f"roster-{rows}-{variant}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        generate(partial, rows, variant=variant)
        partial.rename(path)
    return path


def setup_django_for_generation() -> None:
    # Generation only needs the credit-code helper, which imports Django's translation.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
