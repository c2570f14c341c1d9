"""The demo enterprises, their yearly figures and recognitions, planned from a fixed seed.

Names, credit codes, industries and figures are made up but plausible: codes
carry a valid check character and the county's GB/T 2260 code, industries are
GB/T 4754-2017 classes typical of each place, and some figures sit on purpose
near the lines the tier criteria draw (营业收入 around 2000 万元, R&D around 3%).
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from enterprises import credit_codes
from enterprises.models import Enterprise
from seed.demo import story

SEED = 20260101
YEARS = (2023, 2024, 2025)

# GB/T 4754-2017 class -> (word in the company name, main products)
INDUSTRIES: dict[str, tuple[str, str]] = {
    "C1312": ("面业", "小麦粉、挂面"),
    "C1353": ("肉食品", "冷鲜牛羊肉、肉制品"),
    "C1391": ("淀粉", "马铃薯淀粉、粉条"),
    "C1440": ("乳业", "牦牛乳、酸奶"),
    "C1513": ("葡萄酒业", "干红葡萄酒、干白葡萄酒"),
    "C1522": ("枸杞生物科技", "枸杞原浆、枸杞干果"),
    "C1711": ("纺织", "精梳棉纱"),
    "C1721": ("绒纺", "羊绒纱线、羊绒面料"),
    "C2614": ("化工", "精细化工中间体"),
    "C2662": ("新材料科技", "电子级化学品、催化剂"),
    "C2669": ("精细化工", "专用化学产品"),
    "C2710": ("生物医药", "化学原料药"),
    "C2740": ("藏药", "中藏药制剂"),
    "C2929": ("塑业", "PE管材、塑料零件"),
    "C3011": ("建材", "水泥、商品混凝土"),
    "C3140": ("冶金", "硅铁、硅锰合金"),
    "C3211": ("铜业", "阴极铜、铜杆"),
    "C3250": ("合金材料", "铝合金锭、镁合金"),
    "C3360": ("表面处理", "金属热处理加工"),
    "C3484": ("机械制造", "机械零部件、矿山机械配件"),
    "C3825": ("光伏科技", "单晶硅片、光伏组件"),
    "C3841": ("锂电科技", "磷酸铁锂正极材料"),
    "C3985": ("电子材料", "电子专用材料"),
    "I6450": ("云计算", "数据中心与云计算服务"),
    "I6510": ("软件", "行业应用软件"),
    "I6531": ("信息技术", "信息系统集成服务"),
    "M7452": ("检测技术", "检验检测服务"),
}

# region code -> (how many enterprises, name prefixes, industry classes). Sized so that the documents'
# targets are within the register's reach (see story.py): every city of 宁夏, only 西宁 of 青海.
PLACES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "640502": (50, ("宁夏中卫", "中卫市"), ("C3140", "C2662", "C1522", "C1513", "I6450", "I6510", "C3484", "C3011")),
    "640521": (45, ("宁夏中宁", "中宁县"), ("C1522", "C1522", "C3140", "C2614", "C1513", "C2929", "C3011", "M7452")),
    "640522": (35, ("宁夏海原", "海原县"), ("C1353", "C1391", "C1522", "M7452", "C3484")),
    "640500-P01": (40, ("宁夏中卫", "中卫"), ("C3140", "C2662", "C2614", "C2669", "C3825", "C3985", "C3360")),
    "640500-P02": (30, ("宁夏海兴", "中卫海兴"), ("C3825", "C3484", "C2929", "I6450", "C3011")),
    "640100": (210, ("银川", "宁夏银川"), ("C3985", "C3484", "C2710", "C1440", "I6510", "C3841", "C2669", "C1513")),
    "640200": (70, ("石嘴山", "宁夏石嘴山"), ("C3140", "C2614", "C3250", "C3484", "C2662")),
    "640300": (90, ("吴忠", "宁夏吴忠"), ("C1440", "C1353", "C1711", "C3484", "C2929", "C1522")),
    "640400": (70, ("固原", "宁夏固原"), ("C1391", "C1353", "C2740", "C3011", "M7452")),
    "630102": (90, ("青海", "西宁"), ("C3825", "C2740", "I6531", "C3985")),
    "630105": (80, ("青海", "西宁"), ("C2740", "C1440", "C2669", "C2710")),
    "630106": (70, ("青海湟中", "西宁"), ("C2669", "C3250", "C3484")),
    "630121": (60, ("青海大通", "大通"), ("C3250", "C1440", "C3011")),
    "630100-P04": (70, ("青海", "西宁"), ("C3825", "C3841", "C3250", "C3985")),
    "630100-P05": (60, ("青海", "西宁"), ("C2740", "C2710", "C1440", "C2669")),
    "150602": (110, ("鄂尔多斯市", "内蒙古"), ("C1721", "I6510", "C3484", "C2662")),
    "150622": (80, ("准格尔旗", "内蒙古"), ("C2614", "C3484", "C3250")),
    "150621": (60, ("达拉特旗", "内蒙古"), ("C3825", "C2614", "C3484")),
    "150624": (45, ("鄂托克旗", "内蒙古"), ("C2614", "C2669", "C3140")),
    "150627": (55, ("伊金霍洛旗", "内蒙古"), ("C2710", "C3484", "C3985")),
    "652701": (45, ("博乐市", "新疆博州"), ("C1711", "C1353", "C1312", "C3484")),
    "652702": (15, ("阿拉山口", "新疆"), ("C3211", "C3484")),
    "652722": (20, ("精河县", "新疆精河"), ("C1711", "C1312")),
    "652723": (12, ("温泉县", "新疆温泉"), ("C1353", "C1312")),
}

BRANDS = (
    "瑞丰 恒泰 华宇 宏达 天元 鑫昌 嘉禾 博远 昊天 润泽 佳和 晟通 鼎盛 汇通 锦华 中昊 盛源 永康 泰和 祥瑞 丰源 凯达 "
    "金岳 银川 沙湖 塞上 黄河 贺兰 六盘 宁安 西夏 明珠 天瑞 华夏 长城 昆仑 青湖 雪域 高原 草原 蒙源 东方 广源 "
    "金泰 兴业 宏图 伟业 利民 顺达 新源 中天 同心 正阳 伊泰 亿利 博峰 天山 赛湖 精诚 云瀚 数源 星河 创新 启航"
).split()
SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class PlannedRecognition:
    tier_code: str
    recognized_on: datetime.date
    batch: str
    certificate_no: str = ""


@dataclass
class PlannedEnterprise:
    credit_code: str
    name: str
    region_code: str
    industry_code: str
    registered_on: datetime.date
    size_class: str
    is_above_scale: bool
    main_products: str
    indicators: dict[int, dict[str, Decimal | int | None]]
    recognitions: list[PlannedRecognition]
    is_listed: bool = False
    pool_visits: list = field(default_factory=list)


def org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(
        (int(char) if char.isdigit() else ord(char) - 55) * weight
        for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _credit_code(rng: random.Random, region_code: str, registered_on: datetime.date) -> str:
    if registered_on.year >= 2016:
        body = "MA" + "".join(rng.choice(ORG_CODE_CHARS) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    return credit_codes.with_check_character("91" + region_code + body + org_code_check(body))


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _size_class(employees: int, revenue: float) -> str:
    if employees >= 1000 and revenue >= 40000:
        return Enterprise.SizeClass.LARGE
    if employees >= 300 and revenue >= 2000:
        return Enterprise.SizeClass.MEDIUM
    if employees >= 20 and revenue >= 300:
        return Enterprise.SizeClass.SMALL
    return Enterprise.SizeClass.MICRO


def _revenue_2025(rng: random.Random, industry_code: str) -> float:
    if industry_code[0] != "C":
        return rng.uniform(300, 8000)
    band = rng.random()
    if band < 0.2:
        return rng.uniform(150, 1500)
    if band < 0.4:
        return rng.uniform(1700, 2400)  # around the 2000 万元 above-scale line
    if band < 0.85:
        return 2000 * 10 ** rng.uniform(0, 1)
    return rng.uniform(20000, 60000)


def _rd_ratio(rng: random.Random, industry_code: str) -> float:
    if rng.random() < 0.3:
        return rng.uniform(0.026, 0.034)  # around the 3% line most tiers use
    high = 0.12 if industry_code[0] in "IM" else 0.08
    return rng.uniform(0.003, high)


def _plan_indicators(rng: random.Random, industry_code: str) -> dict[int, dict]:
    revenue = _revenue_2025(rng, industry_code)
    rd_ratio = _rd_ratio(rng, industry_code)
    revenue_per_head = rng.uniform(40, 120) if industry_code[0] == "C" else rng.uniform(25, 60)
    employees = max(8, int(revenue / revenue_per_head))
    ip_class1 = rng.choice((0, 0, 1, 2, 3, 5, 8)) if rd_ratio > 0.02 else rng.choice((0, 0, 0, 1))
    ip_class2 = rng.randint(0, 30)
    digital_level = rng.choices((1, 2, 3, 4), weights=(25, 40, 25, 10))[0]
    is_high_tech_maker = rd_ratio >= 0.03 or industry_code[0] in "IM"
    raised_in = rng.choice((None, None, None, None, None, None, None, None, 2024, 2025))
    years: dict[int, dict] = {}
    for year in sorted(YEARS, reverse=True):
        main = revenue * rng.uniform(0.85, 1.0)
        assets = revenue * rng.uniform(0.6, 2.5)
        rd_staff = max(1, int(employees * rng.uniform(0.05, 0.3))) if rd_ratio > 0.01 else int(employees * 0.03)
        years[year] = {
            "operating_revenue": _money(revenue),
            "main_business_revenue": _money(main),
            "main_product_revenue": _money(main * rng.uniform(0.6, 0.95)),
            "high_tech_product_revenue": _money(revenue * rng.uniform(0.5, 0.9)) if is_high_tech_maker else None,
            "rd_expense": _money(revenue * rd_ratio),
            "total_assets": _money(assets),
            "total_liabilities": _money(assets * rng.uniform(0.2, 0.75)),
            "net_profit": _money(revenue * rng.uniform(-0.05, 0.15)),
            "equity_financing": _money(rng.uniform(200, 1500)) if year == raised_in else None,
            "employees": employees,
            "rd_staff": rd_staff,
            "tech_staff": rd_staff + int(employees * rng.uniform(0, 0.1)),
            "ip_class1_count": ip_class1,
            "ip_class2_count": ip_class2,
            "invention_patents": ip_class1,
            "high_value_patents": min(ip_class1, rng.randint(0, 2)),
            "digital_level": digital_level,
        }
        # Walk back a year: the firm was smaller, held less IP, and was a little less digital.
        revenue /= 1 + rng.uniform(-0.1, 0.35)
        rd_ratio = max(0.002, rd_ratio * rng.uniform(0.8, 1.1))
        employees = max(8, int(employees / (1 + rng.uniform(-0.05, 0.2))))
        ip_class1 = max(0, ip_class1 - rng.choice((0, 0, 1)))
        ip_class2 = max(0, ip_class2 - rng.randint(0, 4))
        digital_level = max(1, digital_level - rng.choice((0, 0, 1)))
    return years


def plan_demo_enterprises() -> list[PlannedEnterprise]:
    """The demo enterprises, the same on every run."""
    rng = random.Random(SEED)
    names: set[str] = set()
    codes: set[str] = set()
    planned = []
    for region_code, (count, prefixes, industry_codes) in PLACES.items():
        registration_code = region_code.split("-")[0]
        for _ in range(count):
            industry_code = rng.choice(industry_codes)
            word, products = INDUSTRIES[industry_code]
            name, tries = "", 0
            while not name or name in names:
                # Two brand words once one is used up in a busy county.
                brand = rng.choice(BRANDS) + (rng.choice(BRANDS) if tries > 8 else "")
                name = rng.choice(prefixes) + brand + word + rng.choice(SUFFIXES)
                tries += 1
            names.add(name)
            registered_on = datetime.date(rng.randint(2004, 2023), rng.randint(1, 12), rng.randint(1, 28))
            code = ""
            while not code or code in codes:
                code = _credit_code(rng, registration_code, registered_on)
            codes.add(code)
            indicators = _plan_indicators(rng, industry_code)
            latest = indicators[max(YEARS)]
            planned.append(
                PlannedEnterprise(
                    credit_code=code,
                    name=name,
                    region_code=region_code,
                    industry_code=industry_code,
                    registered_on=registered_on,
                    size_class=_size_class(latest["employees"], float(latest["operating_revenue"])),
                    is_above_scale=industry_code[0] == "C" and latest["operating_revenue"] >= 2000,
                    main_products=products,
                    indicators=indicators,
                    recognitions=[],
                )
            )
    tell_story(planned)
    return planned


def _area(planned: list[PlannedEnterprise], area: str, order: str) -> list[PlannedEnterprise]:
    members = [item for item in planned if item.region_code in story.AREAS[area]]
    return sorted(members, key=lambda item: item.indicators[2025]["operating_revenue"], reverse=order == "strong")


def tell_story(planned: list[PlannedEnterprise]) -> None:
    """Give the enterprises their recognitions, pool visits and listings as story.py tells them."""
    for item in story.STORIES:
        members = _area(planned, item.area, item.order)[item.offset :]
        for index, grants in story.story_grants(item, list(range(len(members)))).items():
            members[index].recognitions.extend(
                PlannedRecognition(grant.tier_code, grant.recognized_on, grant.batch) for grant in grants
            )
    # 博州's one listed company is among its 专精特新 (bz-goal-listed).
    _area(planned, "bz", "strong")[0].is_listed = True
    for region_code, years in story.POOL_STORIES.items():
        weakest = [item for item in _area(planned, "bz", "small") if item.region_code == region_code]
        for year, count in years.items():
            for item in weakest[:count]:
                item.pool_visits.append(
                    story.PoolVisit(
                        "srdi-sme", datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31), "县级培育库年度遴选"
                    )
                )
            weakest = weakest[count:]
    _zhongwei_pool(planned)


def _zhongwei_pool(planned: list[PlannedEnterprise]) -> None:
    """中卫's 专精特新 pool: eight entered in March 2024, the four recognized in 2025 left on recognition
    (a 50% conversion the way-to-target page shows); six more entered in March 2026 and are still in."""
    members = _area(planned, "zw", "strong")
    recognized_2025 = [
        item
        for item in members
        if any(r.tier_code == "srdi-sme" and r.recognized_on.year == 2025 for r in item.recognitions)
        and not any(r.tier_code == "srdi-sme" and r.recognized_on.year < 2025 for r in item.recognitions)
    ]
    holders = {id(item) for item in members if any(r.tier_code == "srdi-sme" for r in item.recognitions)}
    others = [item for item in members if id(item) not in holders]
    for item in recognized_2025[:4]:
        left = next(r.recognized_on for r in item.recognitions if r.tier_code == "srdi-sme")
        item.pool_visits.append(story.PoolVisit("srdi-sme", datetime.date(2024, 3, 1), left, "认定为专精特新中小企业"))
    for item in others[:4]:
        item.pool_visits.append(story.PoolVisit("srdi-sme", datetime.date(2024, 3, 1), None, ""))
    for item in others[4:10]:
        item.pool_visits.append(story.PoolVisit("srdi-sme", datetime.date(2026, 3, 1), None, ""))
