"""Ningxia's high-growth ladder (高成长创新型企业: 雏鹰 → 瞪羚 → 独角兽): the criteria of 瞪羚 and 雏鹰; 独角兽 is judged
by hand.
"""

from tiers.criteria.catalogue.builders import C, P, all_of, any_of, fig, manual, node, ratio, rd_three_year, threshold


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
