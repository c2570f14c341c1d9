"""The quality SME ladder (优质中小企业梯度培育: 创新型中小企业 → 专精特新中小企业 → 专精特新“小巨人” → 制造业单项冠军):
the MIIT tiers' criteria, with the 2022 and 2026 sets of 专精特新 and 小巨人.
"""

from tiers.criteria.catalogue.builders import (
    ALL_PENALTIES,
    DEBT_RATIO,
    MAIN_SHARE,
    RD_RATIO,
    C,
    P,
    U,
    all_of,
    any_of,
    banded_item,
    compliance,
    fact_threshold,
    fig,
    manual,
    node,
    ratio,
    rule,
    size_sme,
    threshold,
)

# 《优质中小企业梯度培育管理暂行办法》的总体要求, shared by the MIIT tiers' sets.
MIIT_COMPLIANCE = compliance(
    P,
    "未被列入经营异常名录或严重失信主体名单，近三年未发生重大安全（含网络安全、数据安全）、质量、环境污染等事故以及偷漏税等违法违规行为",
    penalties=ALL_PENALTIES,
    source="工信部企业〔2022〕63号（总体要求，待核对）",
)

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
