"""The above-scale ladder (规上工业企业 → 骨干企业; the xn-scale ladder): the statistical threshold of 规模以上工业企业;
骨干企业 is judged by hand.
"""

from tiers.criteria.catalogue.builders import C, fig, node, threshold

# --- 规模以上工业企业 ----------------------------------------------------------------
ABOVE_SCALE = [
    node(
        "industry", "industrial", "工业法人单位（门类 B、C、D）", include=["B", "C", "D"], status=C, source="国家统计局"
    ),
    threshold("main-revenue", "年主营业务收入", fig("main_business_revenue"), ">=", 2000, "万元", status=C),
]
