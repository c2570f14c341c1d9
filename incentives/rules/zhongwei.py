"""中卫's rewards (its task list), tasks 8 and 11: support for 专精特新 enterprises and 小巨人 without an
amount."""

import datetime

from incentives.rules.spec import PolicyKey, RuleSpec

ZHONGWEI = PolicyKey("zhongwei-task-list", "000_965fdd987a6aec24.txt", "", "640500", datetime.date(2023, 1, 1))


ZHONGWEI_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "zhongwei-srdi-support",
        ZHONGWEI,
        "8",
        "统筹财税",
        "专精特新中小企业普惠支持",
        "统筹财税、金融、技术、产业、人才、用地、用能等政策工具……加大普惠支持力度",
        tier="srdi-sme",
        notes="无金额，记为非资金支持。",
    ),
    RuleSpec(
        "zhongwei-little-giant-support",
        ZHONGWEI,
        "11",
        "专属金融服务",
        "专精特新“小巨人”专属金融服务、挂牌上市优惠",
        "提供专属金融服务、挂牌上市等优惠政策",
        tier="little-giant",
        notes="无金额，记为非资金支持。",
    ),
)
