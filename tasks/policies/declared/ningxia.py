"""宁夏's targets (its 专精特新 plan, to 2027), each with the sentence it comes from: new recognitions every year on
the 专精特新 ladder, and the quality figures (R&D share, digital level) of 专精特新 enterprises."""

from tasks.policies.targets import DIGITAL_SHARE, QUALITY, RD_RATIO, SRDI, YEARLY, spec

NINGXIA = [
    spec(
        "nx-yearly-innovative",
        "创新型中小企业",
        YEARLY,
        2027,
        100,
        "每年培育创新型中小企业100家",
        tiers=("innovative-sme",),
    ),
    spec("nx-yearly-srdi", "“专精特新”中小企业", YEARLY, 2027, 50, "“专精特新”中小企业50家", tiers=("srdi-sme",)),
    spec(
        "nx-yearly-giant",
        "专精特新“小巨人”企业",
        YEARLY,
        2027,
        1,
        "专精特新“小巨人”企业1-3家",
        value_max=3,
        tiers=("little-giant",),
    ),
    spec(
        "nx-quality-rd",
        "专精特新企业户均研发占比",
        QUALITY,
        2027,
        10,
        "专精特新企业户均研发占比超10%",
        tiers=SRDI,
        metric=RD_RATIO,
        comparator="gt",
        unit="%",
    ),
    spec(
        "nx-quality-digital",
        "数字化水平等级二级及以上的占比",
        QUALITY,
        2027,
        80,
        "企业数字化水平等级二级及以上的占比达到80%",
        tiers=SRDI,
        metric=DIGITAL_SHARE,
        unit="%",
    ),
]
