"""博州's rewards, 博州政办发〔2023〕62号 article 2: 小巨人 and 专精特新中小企业 recognised in 2023—2025, and the
counties' matching support, which names no amount; the document names no funder split."""

import datetime

from incentives.rules.spec import CITY, PolicyKey, RuleSpec

BOZHOU = PolicyKey(
    "bozhou-2023-62", "004_26d213afb8da29e9.txt", "博州政办发〔2023〕62号", "652700", datetime.date(2023, 11, 17)
)

BOZHOU2 = "对2023—2025年新认定的专精特新“小巨人”企业、专精特新中小企业，分别给予 100 万元、25 万元的一次性奖励，优先申领使用自治区中小企业创新服务券，有条件的县市给予配套资金支持。"
BOZHOU_FUNDER = (
    "文件称“积极争取并严格落实中央、自治区……专项资金”，未规定分担比例；按州财政全额承担记录，待州财政局确认后可改。"
)
BOZHOU_WINDOW = (datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))


BOZHOU_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "bozhou-little-giant",
        BOZHOU,
        "2",
        "一次性奖励",
        "2023—2025年新认定专精特新“小巨人”奖励",
        BOZHOU2,
        tier="little-giant",
        amount="100",
        window=BOZHOU_WINDOW,
        funders=((CITY, "100"),),
        funders_presumed=True,
        notes=BOZHOU_FUNDER,
    ),
    RuleSpec(
        "bozhou-srdi",
        BOZHOU,
        "2",
        "一次性奖励",
        "2023—2025年新认定专精特新中小企业奖励",
        BOZHOU2,
        tier="srdi-sme",
        amount="25",
        window=BOZHOU_WINDOW,
        funders=((CITY, "100"),),
        funders_presumed=True,
        notes=BOZHOU_FUNDER,
    ),
    RuleSpec(
        "bozhou-county-match",
        BOZHOU,
        "2",
        "一次性奖励",
        "县市配套资金支持（有条件的县市）",
        BOZHOU2,
        window=BOZHOU_WINDOW,
        notes="未规定金额，记为非资金支持。",
    ),
)
