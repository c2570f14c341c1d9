"""The words and proportions a generated province is made of.

About one enterprise in six holds a recognition, most of them 科技型中小企业 or
创新型中小企业; one in fourteen is in a cultivation pool and one in twenty has an
application on file. Changing a weight changes what every seed gives.
"""

from tiers.models import ApplicationState

# Generated enterprises carry this in positions 9–10 of their credit code (the organisation-code part).
MARKER = "DM"
REPORT_MARK = "【演示数据】"

NATIONAL_TIERS = ("tech-sme", "high-tech", "innovative-sme", "srdi-sme", "little-giant", "single-champion")
# Tiers issued by a province or city, offered to enterprises under that region's code prefix.
REGIONAL_TIERS = {
    "64": ("nx-fledgling", "nx-gazelle", "nx-industry-leader", "nx-innovation-demo"),
    "63": ("above-scale", "xn-backbone", "qh-tech-giant"),
    "15": ("eeds-city-innovative-sme", "eeds-city-srdi"),
    "65": (),
}
TIER_WEIGHTS = {
    "tech-sme": 30,
    "innovative-sme": 22,
    "high-tech": 18,
    "srdi-sme": 10,
    "little-giant": 1.5,
    "single-champion": 0.3,
}
# Any regional tier not named in TIER_WEIGHTS.
REGIONAL_TIER_WEIGHT = 4
POOL_TIERS = ("innovative-sme", "srdi-sme", "high-tech", "little-giant")
APPLICATION_TIERS = ("tech-sme", "high-tech", "innovative-sme", "srdi-sme", "little-giant")
APPLICATION_STATES = (
    (ApplicationState.DRAFT, 12),
    (ApplicationState.IN_REVIEW, 35),
    (ApplicationState.RETURNED, 8),
    (ApplicationState.RECOMMENDED, 10),
    (ApplicationState.GRANTED, 20),
    (ApplicationState.REJECTED, 10),
    (ApplicationState.NOT_GRANTED, 5),
)
SIZE_CLASSES = (("micro", 40), ("small", 35), ("medium", 20), ("large", 5))
IP_CLASS1_COUNTS = ((0, 50), (1, 20), (2, 15), (5, 10), (10, 5))
INVENTION_PATENTS = ((0, 60), (1, 20), (3, 15), (8, 5))
DIGITAL_LEVELS = ((1, 40), (2, 35), (3, 20), (4, 5))
BRANDS = (
    "瑞丰 恒泰 华宇 宏达 天元 鑫昌 嘉禾 博远 昊天 润泽 佳和 晟通 鼎盛 汇通 锦华 中昊 盛源 永康 泰和 祥瑞 丰源 凯达 金岳 "
    "塞上 黄河 贺兰 六盘 宁安 明珠 天瑞 华夏 昆仑 青湖 雪域 高原 草原 蒙源 东方 广源 金泰 兴业 宏图 伟业 利民 顺达 "
    "新源 中天 同心 正阳 亿利 博峰 天山 赛湖 精诚 云瀚 数源 星河 启航 众诚 德润 华信 远航 银河 国泰 宏盛 永信 汇丰"
).split()
INDUSTRIES = (
    ("C1513", "葡萄酒业"), ("C1522", "枸杞生物科技"), ("C1721", "绒纺"), ("C2614", "化工"), ("C2662", "新材料科技"),
    ("C2710", "生物医药"), ("C2929", "塑业"), ("C3011", "建材"), ("C3140", "冶金"), ("C3250", "合金材料"),
    ("C3484", "机械制造"), ("C3825", "光伏科技"), ("C3841", "锂电科技"), ("C3985", "电子材料"), ("I6450", "云计算"),
    ("I6510", "软件"), ("I6531", "信息技术"), ("M7452", "检测技术"), ("C1353", "肉食品"), ("C1440", "乳业"),
)  # fmt: skip
SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
