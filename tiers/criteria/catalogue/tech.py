"""The science and technology ladder (科技型中小企业 → 高新技术企业; the nx-tech and xn-tech ladders): the criteria
of 科技型中小企业 and 高新技术企业.
"""

from tiers.criteria.catalogue.builders import (
    RD_RATIO,
    C,
    P,
    any_of,
    banded_item,
    compliance,
    fig,
    manual,
    node,
    ratio,
    rd_three_year,
    rule,
    threshold,
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
