"""The official criteria as data, transcribed from shared/reference/criteria.md.

Each set is (code, tier code, name, purpose, effective from, source, note,
criteria); each criterion is a node (see tiers.criteria.nodes) with a status
(confirmed / partial / unconfirmed) copied from criteria.md. Where the register
has no field for a condition (细分市场年限, 市场占有率, 链, 品 …) the condition is
a staff-confirmed fact (kind manual, or metric fn "fact"), keyed so that the
2022 and 2026 sets share one answer.

Band edges: "X以上" is ≥ X and "X–Y" is [X, Y) (criteria.md §0); where a document
writes "(含)" the band says so with max_inclusive.
"""

import datetime

C, P, U = "confirmed", "partial", "unconfirmed"
SME = ("micro", "small", "medium")

# Staff-confirmed facts, key → what staff confirm (shown where data is missing).
FACT_LABELS = {
    "resident-bookkeeping": "境内注册居民企业，会计核算健全、实行查账征收、能准确归集研发费用",
    "product-not-prohibited": "产品（服务）不属于国家禁止、限制、淘汰类",
    "compliance-clean": "无重大安全、质量事故和严重环境违法、科研严重失信，未列入经营异常名录和严重违法失信名单",
    "award-national-top3-5y": "近五年获得国家级科技奖励并在获奖单位中排名前三",
    "award-national-top3-3y": "近三年获得国家级科技奖励并在获奖单位中排名前三",
    "award-provincial-3y": "近三年获得国家级、省级科技奖励",
    "award-prov-top3-nat-top5": "近三年获得省级科技奖励排名前三或国家级科技奖励排名前五",
    "rd-institution-provincial": "拥有经认定的省部级以上研发机构",
    "rd-institution-national": "研发机构为国家级",
    "rd-institution-city": "研发机构为市级",
    "rd-institution-any": "自建或与高校、科研机构联合建立研发机构",
    "standard-lead-5y": "近五年内主导制定过国际标准、国家标准或行业标准",
    "innovation-honor": "有效期内的国家级技术创新示范企业、知识产权优势企业或知识产权示范企业称号",
    "makerchina-500": "近三年进入“创客中国”中小企业创新创业大赛全国500强企业组名单",
    "makerchina-50": "近三年进入“创客中国”中小企业创新创业大赛全国50强企业组名单",
    "ip1-self-developed": "拥有自主研发的Ⅰ类知识产权",
    "sei-product": "主导产品属于《战略性新兴产业分类》",
    "key-link-effect": "主导产品在产业链供应链关键环节“补短板”“锻长板”“填空白”取得实际成效",
    "six-basics": "主导产品属于工业“六基”领域、中华老字号或服务关键产业链重点龙头企业",
    "prov-quality-award": "获得省级以上质量奖荣誉",
    "qms-cert": "建立质量管理体系并获得认证（ISO9001 等）",
    "own-brand": "拥有直接面向市场并具有竞争优势的自主品牌",
    "standard-participation": "参与制修订标准",
    "niche-years": "截至上年末从事特定细分市场年限（年）",
    "srdi-local-score": "专精特新特色化指标（省级地方特色指标）得分",
    "srdi-platform-score": "本年度专精特新发展评价得分（平台计算）",
    "core-biz-it": "至少1项核心业务采用信息系统支撑",
    "mgmt-cert": "取得相关管理体系认证，或产品通过发达国家和地区产品认证",
    "market-share-national": "主导产品全国细分市场占有率（%）",
    "market-share-top3": "主导产品国内细分市场占有率前三名",
    "market-standing": "主导产品国内或国际细分市场占有率较为靠前，有一定知名度和影响力",
    "chain-key-link": "位于产业链关键环节，发挥“补短板”“锻长板”“填空白”等重要作用（链）",
    "product-field-lg": "主导产品属于制造业核心基础零部件、元器件、关键软件、先进基础工艺、关键基础材料和产业技术基础等领域（品）",
    "product-field-lg-2026": "主导产品属于制造业核心基础领域或改造提升传统产业/培育新兴产业/布局未来产业，位于产业链关键环节",
    "lg-not-excluded": "不是单项冠军，且与已认定小巨人企业无控股关系或同集团相似主导产品",
    "hte-tech-field": "核心技术属于《国家重点支持的高新技术领域》",
    "hte-domestic-rd-60": "近三年境内研发费用占全部研发费用比例不低于60%",
    "hte-tech-advance": "高企评价：技术的先进程度（专家评分）",
    "hte-core-support": "高企评价：对主要产品核心支持作用（专家评分）",
    "hte-acquisition": "高企评价：知识产权获得方式（专家评分）",
    "hte-standards": "高企评价：参与编制标准加分（专家评分）",
    "hte-conversion": "高企评价：科技成果转化能力（专家评分）",
    "hte-management": "高企评价：研究开发组织管理水平（专家评分）",
    "field-years": "从事相关领域时间（年）",
    "new-product-3y": "属于新产品且从事相关领域满3年",
    "global-market-rank": "申请产品全球市场占有率排名",
    "champion-tech-quality": "生产技术、工艺国际领先，产品质量精良，能耗达到先进值",
    "champion-innovation": "高水平研发机构、研发投入强度行业领先、核心自主知识产权、主导或参与标准",
    "champion-performance": "盈利能力超过行业总体水平，国际化经营与品牌战略",
    "nx-platform": "拥有自治区级以上科技创新平台",
    "other-class1-ip": "拥有植物新品种、国家级农作物品种、国家新药、国家中药保护品种或集成电路布图设计专有权",
}


def fig(field: str, year: int = -1) -> dict:
    return {"fn": "value", "field": field, "year": year}


def ratio(num: str, den: str, year: int = -1) -> dict:
    return {"fn": "ratio", "num": num, "den": den, "year": year}


def node(kind: str, code: str, label: str, **params) -> dict:
    return {"kind": kind, "code": code, "label": label, **params}


def threshold(code: str, label: str, metric: dict, op: str, value: float, unit: str = "", **extra) -> dict:
    return node("threshold", code, label, metric=metric, op=op, value=value, unit=unit, **extra)


def manual(key: str, label: str | None = None, **extra) -> dict:
    return node("manual", key, label or FACT_LABELS[key], key=key, **extra)


def fact_threshold(key: str, op: str, value: float, unit: str = "", label: str | None = None, **extra) -> dict:
    return threshold(key, label or FACT_LABELS[key], {"fn": "fact", "key": key}, op, value, unit, **extra)


def any_of(code: str, label: str, *routes: dict, **extra) -> dict:
    return node("any_of", code, label, routes=list(routes), **extra)


def all_of(code: str, label: str, *nodes: dict, **extra) -> dict:
    return node("all_of", code, label, nodes=list(nodes), **extra)


def bands(*rows: tuple) -> list[dict]:
    """(min, max, points) rows, half-open [min, max)."""
    return [{"min": low, "max": high, "points": points} for low, high, points in rows]


def banded_item(code, label, group, metric, maximum, rows, unit="%") -> dict:
    return {
        "code": code,
        "label": label,
        "group": group,
        "metric": metric,
        "max": maximum,
        "unit": unit,
        "bands": bands(*rows),
    }


def rule(when: dict, points) -> dict:
    return {"when": when, "points": points}


def size_sme(status: str = C) -> dict:
    return node("size_class", "sme", "属于中小企业（《中小企业划型标准规定》）", allowed=list(SME), status=status)


ALL_LISTS = ["serious_dishonest", "judgment_defaulter", "abnormal_operation"]
INCIDENTS = ["safety", "quality", "environment"]
ALL_PENALTIES = [*INCIDENTS, "tax", "cyber_data"]


def compliance(
    status: str = C,
    label: str | None = None,
    *,
    years: int = 3,
    lists: list[str] = ALL_LISTS,
    penalties: list[str] = INCIDENTS,
    **extra,
) -> dict:
    """The veto condition, decided from the register's compliance records over its window (see nodes._compliance).

    Staff confirmations stay keyed "compliance-clean", shared by every tier."""
    label = label or FACT_LABELS["compliance-clean"]
    params = {"key": "compliance-clean", "years": years, "lists": list(lists), "penalties": list(penalties)}
    return node("compliance", "compliance-clean", label, **params, status=status, **extra)


# 《优质中小企业梯度培育管理暂行办法》的总体要求, shared by the MIIT tiers' sets.
MIIT_COMPLIANCE = compliance(
    P,
    "未被列入经营异常名录或严重失信主体名单，近三年未发生重大安全（含网络安全、数据安全）、质量、环境污染等事故以及偷漏税等违法违规行为",
    penalties=ALL_PENALTIES,
    source="工信部企业〔2022〕63号（总体要求，待核对）",
)


RD_RATIO = ratio("rd_expense", "operating_revenue")
MAIN_SHARE = ratio("main_business_revenue", "operating_revenue")
DEBT_RATIO = ratio("total_liabilities", "total_assets")


def rd_three_year(minimum: float, code: str = "rd-3y") -> dict:
    return threshold(
        code,
        "近三个会计年度研发费用总额占同期销售收入总额比例",
        {
            "fn": "pooled_ratio",
            "num": "rd_expense",
            "den": "operating_revenue",
            "years": [-3, -2, -1],
            "since_registration": True,
        },
        ">=",
        minimum,
        "%",
    )


# --- 科技型中小企业 ---------------------------------------------------------------
TECH_SME_SCORE = node(
    "score_table",
    "tsme-score",
    "综合评价得分（科技人员指标得分不得为0）",
    min_total=60,
    nonzero=["staff"],
    items=[
        banded_item(
            "staff",
            "科技人员占职工总数比例",
            "科技人员",
            ratio("tech_staff", "employees"),
            20,
            [(30, None, 20), (25, 30, 16), (20, 25, 12), (15, 20, 8), (10, 15, 4), (None, 10, 0)],
        ),
        # 第七条 lets the enterprise choose (a) 研发费用/销售收入 or (b) 研发费用/成本费用支出总额;
        # the register has no 成本费用支出总额, so (a) is computed.
        banded_item(
            "rd",
            "研发费用总额占销售收入总额比例",
            "研发投入",
            RD_RATIO,
            50,
            [(6, None, 50), (5, 6, 40), (4, 5, 30), (3, 4, 20), (2, 3, 10), (None, 2, 0)],
        ),
        {
            "code": "ip",
            "label": "科技成果（有效知识产权）",
            "group": "科技成果",
            "max": 30,
            "rules": [
                rule(threshold("ip1", "Ⅰ类知识产权", fig("ip_class1_count"), ">=", 1, "项"), 30),
                rule(threshold("ip2-4", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 4, "项"), 24),
                rule(threshold("ip2-3", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 3, "项"), 18),
                rule(threshold("ip2-2", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 2, "项"), 12),
                rule(threshold("ip2-1", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 1, "项"), 6),
            ],
        },
    ],
)

TECH_SME = [
    manual("resident-bookkeeping", status=C, source="国科发政〔2017〕115号 第六条(一)"),
    threshold("employees", "职工总数", fig("employees"), "<=", 500, "人", status=C, source="第六条(二)"),
    threshold("revenue", "年销售收入", fig("operating_revenue"), "<=", 20000, "万元", status=C, source="第六条(二)"),
    threshold("assets", "资产总额", fig("total_assets"), "<=", 20000, "万元", status=C, source="第六条(二)"),
    node(
        "industry",
        "industry",
        "所在行业不属于研发费用不适用加计扣除的行业",
        exclude=["C16", "F", "H", "K", "L", "R90"],
        status=C,
        source="财税〔2015〕119号",
    ),
    manual("product-not-prohibited", status=C, source="第六条(三)"),
    compliance(C, since_previous_year=True),
    any_of(
        "score-or-direct",
        "综合评价得分不低于60分，或符合直接确认条件之一",
        TECH_SME_SCORE,
        node("holds_tier", "hnte", "拥有有效期内高新技术企业资格证书", tiers=["high-tech"]),
        manual("award-national-top3-5y"),
        manual("rd-institution-provincial"),
        manual("standard-lead-5y"),
        status=C,
        source="第六条(五)、第七条、第八条",
    ),
]

# --- 高新技术企业 -----------------------------------------------------------------
HTE_SCORE = node(
    "score_table",
    "hte-score",
    "企业创新能力评价",
    op=">",
    min_total=70,
    items=[
        {"code": "advance", "label": "技术的先进程度", "group": "知识产权", "max": 8, "expert": "hte-tech-advance"},
        {
            "code": "support",
            "label": "对主要产品核心支持作用",
            "group": "知识产权",
            "max": 8,
            "expert": "hte-core-support",
        },
        {
            "code": "ip-count",
            "label": "知识产权数量",
            "group": "知识产权",
            "max": 8,
            "rules": [
                rule(threshold("ip1", "Ⅰ类知识产权", fig("ip_class1_count"), ">=", 1, "项"), [7, 8]),
                rule(threshold("ip2-5", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 5, "项"), [5, 6]),
                rule(threshold("ip2-3", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 3, "项"), [3, 4]),
                rule(threshold("ip2-1", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 1, "项"), [1, 2]),
            ],
        },
        {
            "code": "acquisition",
            "label": "知识产权获得方式",
            "group": "知识产权",
            "max": 6,
            "expert": "hte-acquisition",
        },
        {
            "code": "standards",
            "label": "参与编制标准（加分）",
            "group": "知识产权",
            "max": 2,
            "expert": "hte-standards",
        },
        {"code": "conversion", "label": "科技成果转化能力", "group": "成果转化", "max": 30, "expert": "hte-conversion"},
        {
            "code": "management",
            "label": "研究开发组织管理水平",
            "group": "组织管理",
            "max": 20,
            "expert": "hte-management",
        },
        # Formula ✅ (½×(NA₂/NA₁ + NA₃/NA₂) − 1); bands ❌ recollection, see criteria.md §2.2.
        banded_item(
            "net-assets-growth",
            "净资产增长率",
            "成长性",
            {"fn": "avg_growth", "field": "net_assets", "years": [-3, -2, -1], "formula": "mean_yoy"},
            10,
            [(35, None, [9, 10]), (25, 35, [7, 8]), (15, 25, [5, 6]), (5, 15, [3, 4]), (0, 5, [1, 2]), (None, 0, 0)],
        ),
        banded_item(
            "sales-growth",
            "销售收入增长率",
            "成长性",
            {"fn": "avg_growth", "field": "operating_revenue", "years": [-3, -2, -1], "formula": "mean_yoy"},
            10,
            [(35, None, [9, 10]), (25, 35, [7, 8]), (15, 25, [5, 6]), (5, 15, [3, 4]), (0, 5, [1, 2]), (None, 0, 0)],
        ),
    ],
)
# A growth of exactly 0 earns nothing ("≤0 → 0"): the band above starts just over 0.
for _item in HTE_SCORE["items"][-2:]:
    _item["bands"][-2]["min_inclusive"] = False
    _item["bands"][-1]["max"] = 0
    _item["bands"][-1]["max_inclusive"] = True

HIGH_TECH = [
    node(
        "age",
        "age",
        "申请认定时须注册成立一年以上（≥365 个日历天）",
        days=365,
        status=C,
        source="国科发火〔2016〕32号 第十一条(一)",
    ),
    threshold(
        "ip",
        "拥有对主要产品（服务）发挥核心支持作用的知识产权",
        {"fn": "value", "fields": ["ip_class1_count", "ip_class2_count"], "year": -1},
        ">=",
        1,
        "项",
        status=C,
        source="第十一条(二)",
    ),
    manual("hte-tech-field", status=P, source="第十一条(三)；2016 领域目录未核对"),
    threshold(
        "tech-staff",
        "科技人员占职工总数比例",
        ratio("tech_staff", "employees"),
        ">=",
        10,
        "%",
        status=C,
        source="第十一条(四)",
    ),
    node(
        "banded",
        "rd-3y",
        "近三个会计年度研发费用占同期销售收入比例（按最近一年销售收入分档）",
        selector=fig("operating_revenue"),
        bands=[
            {"max": 5000, "max_inclusive": True, "label": "≤5000万元", "node": rd_three_year(5)},
            {
                "min": 5000,
                "min_inclusive": False,
                "max": 20000,
                "max_inclusive": True,
                "label": "5000万–2亿元",
                "node": rd_three_year(4),
            },
            {"min": 20000, "min_inclusive": False, "label": ">2亿元", "node": rd_three_year(3)},
        ],
        status=C,
        source="第十一条(五)",
    ),
    manual("hte-domestic-rd-60", status=C, source="第十一条(五)"),
    threshold(
        "hitech-revenue",
        "近一年高新技术产品（服务）收入占同期总收入比例",
        ratio("high_tech_product_revenue", "operating_revenue"),
        ">=",
        60,
        "%",
        status=C,
        source="第十一条(六)",
    ),
    {**HTE_SCORE, "status": C, "source": "第十一条(七)；国科发火〔2016〕195号"},
    compliance(C, "申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为", years=1, lists=[]),
]

# --- 创新型中小企业 (2022) ---------------------------------------------------------
INNOVATIVE_SCORE = node(
    "score_table",
    "innovative-score",
    "评价得分（总分≥60，创新能力≥20、成长性≥15、专业化≥15）",
    min_total=60,
    group_minimums={"创新能力": 20, "成长性": 15, "专业化": 15},
    items=[
        {
            "code": "ip",
            "label": "与主导产品相关的有效知识产权数量",
            "group": "创新能力",
            "max": 20,
            "rules": [
                rule(threshold("hv", "Ⅰ类高价值知识产权", fig("high_value_patents"), ">=", 1, "项"), 20),
                rule(manual("ip1-self-developed"), 15),
                rule(threshold("ip1", "Ⅰ类知识产权", fig("ip_class1_count"), ">=", 1, "项"), 10),
                rule(threshold("ip2", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 1, "项"), 5),
            ],
        },
        banded_item(
            "rd",
            "上年度研发费用总额占营业收入总额比重",
            "创新能力",
            RD_RATIO,
            20,
            [(5, None, 20), (3, 5, 15), (2, 3, 10), (1, 2, 5), (None, 1, 0)],
        ),
        banded_item(
            "growth",
            "上年度主营业务收入增长率",
            "成长性",
            {"fn": "growth", "field": "main_business_revenue", "year": -1},
            20,
            [(15, None, 20), (10, 15, 15), (5, 10, 10), (0, 5, 5), (None, 0, 0)],
        ),
        banded_item("debt", "上年度资产负债率", "成长性", DEBT_RATIO, 10, [(None, 55, 10), (55, 75, 5), (75, None, 0)]),
        {
            "code": "sei",
            "label": "主导产品所属领域",
            "group": "专业化",
            "max": 10,
            "rules": [rule(manual("sei-product"), 10), rule(node("all_of", "other", "其他", nodes=[]), 5)],
        },
        banded_item(
            "main-share",
            "上年度主营业务收入总额占营业收入总额比重",
            "专业化",
            MAIN_SHARE,
            20,
            [(70, None, 20), (60, 70, 15), (55, 60, 10), (50, 55, 5), (None, 50, 0)],
        ),
    ],
)

INNOVATIVE_SME = [
    size_sme(C),
    any_of(
        "score-or-direct",
        "评价得分达标，或符合直通条件之一",
        INNOVATIVE_SCORE,
        manual("award-provincial-3y"),
        any_of(
            "honor",
            "有效期内的高新技术企业等荣誉",
            node("holds_tier", "hnte", "有效期内的高新技术企业", tiers=["high-tech"]),
            manual("innovation-honor"),
        ),
        manual("rd-institution-provincial"),
        threshold(
            "equity",
            "近三年新增股权融资总额（合格机构投资者实缴额）",
            {"fn": "sum", "field": "equity_financing", "years": [-3, -2, -1]},
            ">=",
            500,
            "万元",
        ),
        status=C,
        source="工信部企业〔2022〕63号 附件1",
    ),
]

# --- 专精特新中小企业 ----------------------------------------------------------------
SRDI_SCORE = node(
    "score_table",
    "srdi-score",
    "专精特新中小企业评价得分",
    min_total=60,
    items=[
        banded_item(
            "main-share",
            "上年度主营业务收入占营业收入比重",
            "专业化",
            MAIN_SHARE,
            5,
            [(80, None, 5), (70, 80, 3), (60, 70, 1), (None, 60, 0)],
        ),
        # Formula not found (criteria.md §12.3): the mean of the two year-on-year rates, as 高企 does.
        banded_item(
            "growth",
            "近2年主营业务收入平均增长率",
            "专业化",
            {"fn": "avg_growth", "field": "main_business_revenue", "years": [-3, -2, -1], "formula": "mean_yoy"},
            10,
            [(10, None, 10), (8, 10, 8), (6, 8, 6), (4, 6, 4), (0, 4, 2), (None, 0, 0)],
        ),
        banded_item(
            "niche",
            "从事特定细分市场年限（每满2年得1分）",
            "专业化",
            {"fn": "fact", "key": "niche-years"},
            5,
            [(10, None, 5), (8, 10, 4), (6, 8, 3), (4, 6, 2), (2, 4, 1), (None, 2, 0)],
            unit="年",
        ),
        {
            "code": "field",
            "label": "主导产品所属领域",
            "group": "专业化",
            "max": 5,
            "rules": [rule(manual("key-link-effect"), 5), rule(manual("six-basics"), 3)],
        },
        banded_item(
            "digital",
            "数字化水平",
            "精细化",
            fig("digital_level"),
            5,
            [(3, None, 5), (2, 3, 3), (None, 2, 0)],
            unit="级",
        ),
        {
            "code": "quality",
            "label": "质量管理水平（每满足一项加3分，最高5分）",
            "group": "精细化",
            "max": 5,
            "additive": [
                {"when": manual("prov-quality-award"), "points": 3},
                {"when": manual("qms-cert"), "points": 3},
                {"when": manual("own-brand"), "points": 3},
                {"when": manual("standard-participation"), "points": 3},
            ],
        },
        banded_item(
            "margin",
            "上年度净利润率",
            "精细化",
            ratio("net_profit", "operating_revenue"),
            10,
            [(10, None, 10), (8, 10, 8), (6, 8, 6), (4, 6, 4), (2, 4, 2), (None, 2, 0)],
        ),
        banded_item(
            "debt",
            "上年度资产负债率",
            "精细化",
            DEBT_RATIO,
            5,
            [(None, 50, 5), (50, 60, 3), (60, 70, 1), (70, None, 0)],
        ),
        {
            "code": "local",
            "label": "地方特色指标（由省级主管部门确定）",
            "group": "特色化",
            "max": 15,
            "expert": "srdi-local-score",
        },
        {
            "code": "ip",
            "label": "与主导产品相关的有效知识产权数量",
            "group": "创新能力",
            "max": 10,
            "rules": [
                rule(threshold("hv", "Ⅰ类高价值知识产权", fig("high_value_patents"), ">=", 1, "项"), 10),
                rule(manual("ip1-self-developed"), 8),
                rule(threshold("ip1", "Ⅰ类知识产权", fig("ip_class1_count"), ">=", 1, "项"), 6),
                rule(threshold("ip2", "Ⅱ类知识产权", fig("ip_class2_count"), ">=", 1, "项"), 2),
            ],
        },
        {
            "code": "rd",
            "label": "上年度研发费用投入（总额或占比取优）",
            "group": "创新能力",
            "max": 10,
            "rules": [
                rule(
                    any_of(
                        f"rd-{amount}",
                        f"研发费用≥{amount}万元或占比≥{share}%",
                        threshold("amount", "研发费用总额", fig("rd_expense"), ">=", amount, "万元"),
                        threshold("share", "研发费用占营业收入比重", RD_RATIO, ">=", share, "%"),
                    ),
                    points,
                )
                for amount, share, points in [(500, 10, 10), (400, 8, 8), (300, 6, 6), (200, 4, 4), (100, 3, 2)]
            ],
        },
        banded_item(
            "rd-staff",
            "上年度研发人员占比",
            "创新能力",
            ratio("rd_staff", "employees"),
            5,
            [(20, None, 5), (10, 20, 3), (5, 10, 1), (None, 5, 0)],
        ),
        {
            "code": "institution",
            "label": "建立研发机构级别",
            "group": "创新能力",
            "max": 10,
            "rules": [
                rule(manual("rd-institution-national"), 10),
                rule(manual("rd-institution-provincial"), 8),
                rule(manual("rd-institution-city"), 4),
                rule(manual("rd-institution-any"), 2),
            ],
        },
    ],
)

TWO_YEAR_EQUITY = {"fn": "sum", "field": "equity_financing", "years": [-2, -1]}

SRDI_2022 = [
    size_sme(C),
    MIIT_COMPLIANCE,
    fact_threshold(
        "niche-years", ">=", 2, "年", label="从事特定细分市场时间", status=C, source="工信部企业〔2022〕63号 附件2 (一)"
    ),
    all_of(
        "rd",
        "上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%",
        threshold("rd-amount", "上年度研发费用总额", fig("rd_expense"), ">=", 100, "万元"),
        threshold("rd-share", "研发费用占营业收入", RD_RATIO, ">=", 3, "%"),
        status=C,
        source="附件2 (二)",
    ),
    any_of(
        "revenue",
        "上年度营业收入不低于1000万元，或近2年新增股权融资总额不低于2000万元",
        threshold("revenue", "上年度营业收入", fig("operating_revenue"), ">=", 1000, "万元"),
        threshold("equity", "近2年新增股权融资总额（合格机构投资者实缴额）", TWO_YEAR_EQUITY, ">=", 2000, "万元"),
        status=C,
        source="附件2 (三)",
    ),
    any_of(
        "score-or-direct",
        "评价得分不低于60分，或符合直通条件之一",
        SRDI_SCORE,
        manual("award-prov-top3-nat-top5"),
        threshold(
            "rd-mean",
            "近两年研发费用总额均值",
            {"fn": "mean", "field": "rd_expense", "years": [-2, -1]},
            ">=",
            1000,
            "万元",
        ),
        threshold("equity", "近两年新增股权融资总额（合格机构投资者实缴额）", TWO_YEAR_EQUITY, ">=", 6000, "万元"),
        manual("makerchina-500"),
        status=C,
        source="附件2 (四)",
    ),
]

SRDI_2026 = [
    size_sme(C),
    MIIT_COMPLIANCE,
    node(
        "holds_tier",
        "innovative",
        "已获得科技和创新型中小企业称号（有效期内）",
        tiers=["innovative-sme", "tech-sme"],
        status=P,
        source="工信部企业〔2026〕2号（第三方转述）",
    ),
    fact_threshold("niche-years", ">=", 3, "年", label="截至上年末从事特定细分市场时间", status=P),
    any_of(
        "revenue",
        "上年营业收入不低于1500万元，或近两年新增合格机构实缴股权投资不低于2000万元",
        threshold("revenue", "上年度营业收入", fig("operating_revenue"), ">=", 1500, "万元"),
        threshold("equity", "近两年新增股权融资总额（合格机构投资者实缴额）", TWO_YEAR_EQUITY, ">=", 2000, "万元"),
        status=P,
    ),
    threshold("main-share", "主营业务收入占营业收入比重", MAIN_SHARE, ">=", 80, "%", status=P),
    threshold("debt", "资产负债率", DEBT_RATIO, "<=", 80, "%", status=P),
    all_of(
        "rd",
        "近两年研发费用每年不低于100万元，且每年占营业收入比重不低于3%",
        threshold(
            "rd-amount",
            "近两年研发费用（较低一年）",
            {"fn": "min", "field": "rd_expense", "years": [-2, -1]},
            ">=",
            100,
            "万元",
        ),
        threshold(
            "rd-share",
            "近两年研发费用占营业收入（较低一年）",
            {"fn": "min_ratio", "num": "rd_expense", "den": "operating_revenue", "years": [-2, -1]},
            ">=",
            3,
            "%",
        ),
        status=P,
    ),
    any_of(
        "ip",
        "至少1项与主导产品相关、已实际应用并产生经济效益的Ⅰ类知识产权（或科技奖励、研发机构）",
        threshold("ip1", "Ⅰ类知识产权", fig("ip_class1_count"), ">=", 1, "项"),
        manual("award-provincial-3y"),
        manual("rd-institution-provincial"),
        status=P,
    ),
    manual("market-standing", status=P),
    fact_threshold("srdi-platform-score", ">=", 50, "分", status=P),
    threshold(
        "main-product",
        "主导产品收入占营业收入比重",
        ratio("main_product_revenue", "operating_revenue"),
        ">",
        50,
        "%",
        status=P,
    ),
]

# --- 专精特新“小巨人” -------------------------------------------------------------
TWO_YEAR_MIN_RD = {"fn": "min_ratio", "num": "rd_expense", "den": "operating_revenue", "years": [-2, -1]}

LITTLE_GIANT_2022 = [
    size_sme(C),
    MIIT_COMPLIANCE,
    node(
        "holds_tier",
        "srdi",
        "已是专精特新中小企业（原则上）",
        tiers=["srdi-sme"],
        status=U,
        source="2022 措辞未见；2026 明确要求",
    ),
    fact_threshold(
        "niche-years",
        ">=",
        3,
        "年",
        label="截至上年末从事特定细分市场时间",
        status=C,
        source="工信部企业〔2022〕63号 附件3（专）",
    ),
    threshold("main-share", "主营业务收入占营业收入比重", MAIN_SHARE, ">=", 70, "%", status=C),
    threshold(
        "growth",
        "近2年主营业务收入平均增长率",
        {"fn": "avg_growth", "field": "main_business_revenue", "years": [-3, -2, -1], "formula": "mean_yoy"},
        ">=",
        5,
        "%",
        status=C,
    ),
    manual("core-biz-it", status=C, source="附件3（精）"),
    manual("mgmt-cert", status=C),
    threshold("debt", "截至上年末资产负债率", DEBT_RATIO, "<=", 70, "%", status=C),
    fact_threshold("market-share-national", ">=", 10, "%", status=C, source="附件3（特）"),
    manual("own-brand", status=C),
    any_of(
        "innovation",
        "创新能力：一般性条件或创新直通条件",
        all_of(
            "general",
            "一般性条件",
            node(
                "banded",
                "rd",
                "研发投入（按上年度营业收入分档）",
                selector=fig("operating_revenue"),
                bands=[
                    {
                        "min": 10000,
                        "label": "≥1亿元",
                        "node": threshold("rd-3", "近2年研发费用占营业收入（较低一年）", TWO_YEAR_MIN_RD, ">=", 3, "%"),
                    },
                    {
                        "min": 5000,
                        "max": 10000,
                        "label": "5000万–1亿元",
                        "node": threshold("rd-6", "近2年研发费用占营业收入（较低一年）", TWO_YEAR_MIN_RD, ">=", 6, "%"),
                    },
                    {
                        "max": 5000,
                        "label": "<5000万元",
                        "node": all_of(
                            "small",
                            "股权融资、研发费用与研发人员",
                            threshold(
                                "equity",
                                "近2年新增股权融资总额（合格机构投资者实缴额）",
                                TWO_YEAR_EQUITY,
                                ">=",
                                8000,
                                "万元",
                            ),
                            threshold(
                                "rd-total",
                                "近2年研发费用总额",
                                {"fn": "sum", "field": "rd_expense", "years": [-2, -1]},
                                ">=",
                                3000,
                                "万元",
                            ),
                            threshold(
                                "rd-staff", "研发人员占职工总数比重", ratio("rd_staff", "employees"), ">=", 50, "%"
                            ),
                        ),
                    },
                ],
            ),
            manual("rd-institution-any"),
            threshold("ip1", "与主导产品相关的Ⅰ类知识产权", fig("ip_class1_count"), ">=", 2, "项"),
        ),
        manual("award-national-top3-3y"),
        manual("makerchina-50"),
        status=C,
        source="附件3（新）",
    ),
    manual("chain-key-link", status=P, source="附件3（链）"),
    manual("product-field-lg", status=P, source="附件3（品）"),
    threshold(
        "main-product",
        "主导产品收入占营业收入比重",
        ratio("main_product_revenue", "operating_revenue"),
        ">",
        50,
        "%",
        status=P,
        source="附件4",
    ),
]

LITTLE_GIANT_2026 = [
    size_sme(C),
    MIIT_COMPLIANCE,
    node(
        "holds_tier",
        "srdi",
        "已获专精特新中小企业称号",
        tiers=["srdi-sme"],
        status=P,
        source="工信部企业〔2026〕2号（第三方转述）",
    ),
    fact_threshold("niche-years", ">=", 3, "年", label="截至上年末从事特定细分市场时间", status=P),
    threshold("revenue", "上年度营业收入", fig("operating_revenue"), ">=", 5000, "万元", status=P),
    threshold("main-share", "主营业务收入占营业收入比重", MAIN_SHARE, ">=", 90, "%", status=P),
    threshold(
        "growth",
        "近两年营业收入复合增长率",
        {"fn": "avg_growth", "field": "operating_revenue", "years": [-3, -2, -1], "formula": "cagr"},
        ">=",
        5,
        "%",
        status=P,
    ),
    threshold("debt", "上年末资产负债率", DEBT_RATIO, "<=", 75, "%", status=P),
    threshold(
        "rd-total",
        "近两年研发费用合计",
        {"fn": "sum", "field": "rd_expense", "years": [-2, -1]},
        ">=",
        1200,
        "万元",
        status=P,
    ),
    threshold("rd-share", "近两年每年研发费用占营业收入（较低一年）", TWO_YEAR_MIN_RD, ">=", 3, "%", status=P),
    any_of(
        "ip",
        "Ⅰ类知识产权不少于4项（近三年国家级科技奖励排名前三免考）",
        threshold("ip1", "Ⅰ类知识产权", fig("ip_class1_count"), ">=", 4, "项"),
        manual("award-national-top3-3y"),
        status=P,
    ),
    any_of(
        "market",
        "主导产品细分市场占有率不低于10%或国内前三名",
        fact_threshold("market-share-national", ">=", 10, "%"),
        manual("market-share-top3"),
        status=P,
    ),
    manual("product-field-lg-2026", status=P),
    fact_threshold("srdi-platform-score", ">=", 60, "分", status=P),
    threshold(
        "main-product",
        "主导产品收入占营业收入比重",
        ratio("main_product_revenue", "operating_revenue"),
        ">",
        50,
        "%",
        status=P,
    ),
    manual("lg-not-excluded", status=P, source="2026 通知"),
]

# --- 制造业单项冠军 -----------------------------------------------------------------
SINGLE_CHAMPION = [
    compliance(
        C,
        "境内独立法人，未列入经营异常名录或严重失信主体名单，近3年无重大事故及违法违规",
        penalties=ALL_PENALTIES,
        source="工信部政法〔2023〕138号 第三条",
    ),
    node(
        "industry",
        "manufacturing",
        "制造业企业（GB/T 4754 门类 C，13–43 大类）",
        include=["C"],
        status=C,
        source="第二条",
    ),
    any_of(
        "field-years",
        "从事相关领域10年以上（新产品3年以上）",
        fact_threshold("field-years", ">=", 10, "年"),
        manual("new-product-3y"),
        status=P,
    ),
    threshold(
        "main-revenue",
        "近3年平均主营业务收入",
        {"fn": "mean", "field": "main_business_revenue", "years": [-3, -2, -1]},
        ">=",
        40000,
        "万元",
        status=P,
    ),
    fact_threshold("global-market-rank", "<=", 3, "", label="申请产品全球市场占有率排名（前三）", status=C),
    manual("champion-tech-quality", status=P),
    manual("champion-innovation", status=P),
    manual("champion-performance", status=P),
]


# --- 宁夏 瞪羚 / 雏鹰 ----------------------------------------------------------------
def gazelle_bands(make) -> list[dict]:
    return [
        {"min": 1000, "max": 5000, "max_inclusive": True, "label": "1000万–5000万元(含)", "node": make(1)},
        {
            "min": 5000,
            "min_inclusive": False,
            "max": 10000,
            "max_inclusive": True,
            "label": "5000万–1亿元(含)",
            "node": make(2),
        },
        {"min": 10000, "min_inclusive": False, "label": "1亿元以上", "node": make(3)},
    ]


def gazelle_growth(band: int) -> dict:
    minimum = {1: 20, 2: 15, 3: 10}[band]
    # "平均增长率" formula not given (criteria.md §7.1 item 8): mean of the three year-on-year rates.
    return threshold(
        f"growth-{band}",
        "近三年销售收入平均增长率",
        {"fn": "avg_growth", "field": "operating_revenue", "years": [-4, -3, -2, -1], "formula": "mean_yoy"},
        ">=",
        minimum,
        "%",
    )


NX_GAZELLE = [
    node(
        "region", "ningxia", "在自治区内注册登记", region_code="640000", status=C, source="宁夏瞪羚企业认定管理暂行办法"
    ),
    node("age", "age", "注册登记满三年", years=3, status=C),
    all_of(
        "revenue",
        "最近一年度销售收入1000万元至4亿元",
        threshold("min", "最近一年度销售收入", fig("operating_revenue"), ">=", 1000, "万元"),
        threshold("max", "最近一年度销售收入", fig("operating_revenue"), "<=", 40000, "万元"),
        status=C,
    ),
    node(
        "banded",
        "growth",
        "近三年销售收入平均增长率（按最近一年收入分档）",
        selector=fig("operating_revenue"),
        bands=gazelle_bands(gazelle_growth),
        status=C,
    ),
    node(
        "banded",
        "rd",
        "近三个会计年度平均研发经费投入强度（按最近一年收入分档）",
        selector=fig("operating_revenue"),
        bands=gazelle_bands(lambda band: rd_three_year({1: 5, 2: 4, 3: 3}[band], f"rd-{band}")),
        status=C,
    ),
    any_of(
        "ip",
        "拥有核心知识产权",
        threshold("invention", "有效发明专利", fig("invention_patents"), ">=", 1, "项"),
        manual("other-class1-ip"),
        threshold("ip2", "实用新型、软件著作权等其他知识产权", fig("ip_class2_count"), ">=", 6, "项"),
        status=C,
    ),
    threshold(
        "hitech",
        "上一年度高新技术产品（服务）收入占同期总收入比例",
        ratio("high_tech_product_revenue", "operating_revenue"),
        ">=",
        50,
        "%",
        status=C,
    ),
    manual("nx-platform", status=P),
]

NX_FLEDGLING = [
    node(
        "region",
        "ningxia",
        "自治区内居民企业",
        region_code="640000",
        status=C,
        source="中卫日报 2025-01（名单通知转述）",
    ),
    threshold(
        "growth",
        "连续三年度销售收入平均增长率",
        {"fn": "avg_growth", "field": "operating_revenue", "years": [-4, -3, -2, -1], "formula": "mean_yoy"},
        ">=",
        15,
        "%",
        status=C,
    ),
    {**rd_three_year(3), "label": "研究开发费用总额占同期销售收入总额比例均值", "status": C},
]

# --- 规模以上工业企业 ----------------------------------------------------------------
ABOVE_SCALE = [
    node(
        "industry", "industrial", "工业法人单位（门类 B、C、D）", include=["B", "C", "D"], status=C, source="国家统计局"
    ),
    threshold("main-revenue", "年主营业务收入", fig("main_business_revenue"), ">=", 2000, "万元", status=C),
]

# code, tier code, name, purpose, effective from, source, note, criteria
CRITERIA_SETS = [
    (
        "tech-sme-2017",
        "tech-sme",
        "科技型中小企业评价办法（2017）及服务工作指引（2022）",
        "both",
        datetime.date(2017, 5, 3),
        "国科发政〔2017〕115号；国科火字〔2022〕67号",
        "研发投入按“研发费用/销售收入”口径计算。",
        TECH_SME,
    ),
    (
        "high-tech-2016",
        "high-tech",
        "高新技术企业认定管理办法（2016）",
        "both",
        datetime.date(2016, 1, 1),
        "国科发火〔2016〕32号；国科发火〔2016〕195号",
        "创新能力评价中的专家评分项待录入，得分显示为区间。",
        HIGH_TECH,
    ),
    (
        "innovative-sme-2022",
        "innovative-sme",
        "创新型中小企业评价标准（2022）",
        "both",
        datetime.date(2022, 6, 1),
        "工信部企业〔2022〕63号 附件1",
        "2026 年“科技和创新型中小企业”新标准未见公开文本，沿用 2022 标准。",
        INNOVATIVE_SME,
    ),
    (
        "srdi-sme-2022",
        "srdi-sme",
        "专精特新中小企业认定标准（2022）",
        "both",
        datetime.date(2022, 6, 1),
        "工信部企业〔2022〕63号 附件2",
        "2026-04-01 后用于复核；近2年平均增长率按两年同比增长率的平均值计算。",
        SRDI_2022,
    ),
    (
        "srdi-sme-2026",
        "srdi-sme",
        "专精特新中小企业认定标准（2026）",
        "new",
        datetime.date(2026, 4, 1),
        "工信部企业〔2026〕2号（第三方转述，待核对）",
        "",
        SRDI_2026,
    ),
    (
        "little-giant-2022",
        "little-giant",
        "专精特新“小巨人”企业认定标准（2022）",
        "both",
        datetime.date(2022, 6, 1),
        "工信部企业〔2022〕63号 附件3",
        "2026 年复核沿用 2022 标准（工信厅企业函〔2026〕117号）。",
        LITTLE_GIANT_2022,
    ),
    (
        "little-giant-2026",
        "little-giant",
        "专精特新“小巨人”企业认定标准（2026）",
        "new",
        datetime.date(2026, 4, 1),
        "工信部企业〔2026〕2号（第三方转述，待核对）",
        "近两年营业收入复合增长率按复合增长率（CAGR）计算。",
        LITTLE_GIANT_2026,
    ),
    (
        "single-champion-2023",
        "single-champion",
        "制造业单项冠军企业认定管理办法（2023）",
        "both",
        datetime.date(2023, 8, 1),
        "工信部政法〔2023〕138号",
        "",
        SINGLE_CHAMPION,
    ),
    (
        "nx-gazelle-2022",
        "nx-gazelle",
        "宁夏回族自治区瞪羚企业认定管理暂行办法（2022）",
        "both",
        datetime.date(2022, 8, 1),
        "宁夏回族自治区科学技术厅",
        "平均增长率按三个同比增长率的平均值计算（办法未给公式）。",
        NX_GAZELLE,
    ),
    (
        "nx-fledgling-2024",
        "nx-fledgling",
        "宁夏回族自治区雏鹰企业（公开条件）",
        "both",
        datetime.date(2024, 1, 1),
        "中卫日报 2025-01 转述",
        "公开文本只列出部分条件（“等”），其余由人工判断。",
        NX_FLEDGLING,
    ),
    (
        "above-scale-2011",
        "above-scale",
        "规模以上工业企业统计标准（2011）",
        "both",
        datetime.date(2011, 1, 1),
        "国家统计局",
        "",
        ABOVE_SCALE,
    ),
]

# region code, tier code, max missing, source
POOL_RULES = [
    ("652700", "innovative-sme", 3, "博州政办发〔2023〕62号"),
    ("652700", "srdi-sme", 3, "博州政办发〔2023〕62号"),
    ("652700", "little-giant", 3, "博州政办发〔2023〕62号"),
]
# region code, minimum, share of 规上 enterprises (%), source
POOL_QUOTAS = [
    ("652701", 6, 10, "博州政办发〔2023〕62号（博乐市）"),
    ("652702", 4, 10, "博州政办发〔2023〕62号（阿拉山口市）"),
    ("652722", 3, 10, "博州政办发〔2023〕62号（精河县）"),
    ("652723", 2, 10, "博州政办发〔2023〕62号（温泉县）"),
]
