"""宁夏's rewards (its 专精特新 plan, 2024), article （四） 加强财税支持: policy support without an amount for
each newly recognised rung of the 专精特新 ladder."""

import datetime

from incentives.rules.spec import PolicyKey, RuleSpec

NINGXIA = PolicyKey("ningxia-srdi-2024", "002_364254226655bf7c.txt", "", "640000", datetime.date(2024, 1, 1))


NINGXIA_RULES: tuple[RuleSpec, ...] = (
    *(
        RuleSpec(
            f"ningxia-{tier}-support",
            NINGXIA,
            "（四）",
            "加强财税支持",
            f"新获评{label}政策支持",
            "鼓励各个地区对新获评的创新型中小企业、自治区级专精特新中小企业和专精特新“小巨人”企业给予政策支持",
            tier=tier,
            notes="“给予政策支持”无金额，记为非资金支持。",
        )
        for tier, label in (
            ("innovative-sme", "创新型中小企业"),
            ("srdi-sme", "自治区级专精特新中小企业"),
            ("little-giant", "专精特新“小巨人”企业"),
        )
    ),
)
