"""鄂尔多斯's targets for 2025, each with the sentence it comes from: totals to exceed on the 专精特新 ladder and for
单项冠军, and the yearly training of entrepreneurs (task （十三）), which the register cannot count."""

from tasks.policies.targets import TOTAL, UNMEASURED, YEARLY, spec

ORDOS = [
    spec(
        "eeds-goal-innovative",
        "创新型中小企业",
        TOTAL,
        2025,
        300,
        "全市创新型中小企业突破300家",
        tiers=("innovative-sme", "eeds-city-innovative-sme"),
        comparator="gt",
    ),
    spec(
        "eeds-goal-srdi",
        "“专精特新”中小企业",
        TOTAL,
        2025,
        200,
        "“专精特新”中小企业突破200家",
        tiers=("eeds-city-srdi", "srdi-sme"),
        comparator="gt",
    ),
    spec(
        "eeds-goal-nx-srdi",
        "自治区级“专精特新”中小企业",
        TOTAL,
        2025,
        50,
        "自治区级“专精特新”中小企业突破50家",
        tiers=("srdi-sme",),
        comparator="gt",
    ),
    spec(
        "eeds-goal-giant",
        "国家级专精特新“小巨人”企业",
        TOTAL,
        2025,
        15,
        "国家级专精特新“小巨人”企业突破15家",
        tiers=("little-giant",),
        comparator="gt",
    ),
    spec(
        "eeds-goal-champion",
        "制造业单项冠军企业",
        TOTAL,
        2025,
        3,
        "制造业单项冠军企业突破3家",
        tiers=("single-champion",),
        comparator="gt",
    ),
    spec(
        "eeds-13-training",
        "“专精特新”企业家系统培训",
        YEARLY,
        2025,
        50,
        "每年遴选50名董事长（总经理）到北大、清华等著名高校或高端智库机构进行系统培训",
        measure="（十三）",
        metric=UNMEASURED,
        unit="名",
        unmeasured_reason="培训人数，不是企业认定；名录不记录培训，不作为培育目标计量。",
    ),
]
