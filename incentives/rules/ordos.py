"""鄂尔多斯's rewards (its 专精特新 measures of 2022-07-12), articles （三）, （五）, （六）, （十二） and （十四）: the
五企 awards (单项冠军, 小巨人, 自治区级 and 市级 专精特新, existing holders counted where the article says so), the
park demonstration zone, and the yearly award to service platforms; the document names no funder split."""

import datetime

from incentives.models import RewardRule, Trigger
from incentives.rules.spec import CITY, EXISTING, PolicyKey, RuleSpec

ORDOS = PolicyKey("ordos-srdi-2022", "003_c7fcb9406f2dc6ec.txt", "", "150600", datetime.date(2022, 7, 12))

ORDOS3 = "对认定为制造业单项冠军企业一次性给予200万元奖励；对已认定和新认定的国家级专精特新“小巨人”企业一次性给予150万元奖励；对已认定和新认定的自治区级“专精特新”中小企业一次性给予100万元奖励；对新认定为市级创新型中小企业和“专精特新”中小企业一次性给予10万元和20万元奖励。"
ORDOS_FUNDER = "文件列市工业和信息化局、市财政局、各旗区人民政府为责任单位，未规定旗区分担比例；按市财政全额承担记录。"


ORDOS_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "ordos-single-champion",
        ORDOS,
        "（三）",
        "五企",
        "制造业单项冠军奖励",
        ORDOS3,
        tier="single-champion",
        amount="200",
        funders=((CITY, "100"),),
        notes="原文“对认定为……”未写“已认定”，与小巨人、自治区级专精特新的“已认定和新认定”不同，按新认定计。"
        + ORDOS_FUNDER,
        funders_presumed=True,
    ),
    RuleSpec(
        "ordos-little-giant",
        ORDOS,
        "（三）",
        "五企",
        "国家级专精特新“小巨人”奖励（已认定和新认定）",
        ORDOS3,
        tier="little-giant",
        amount="150",
        holders=EXISTING,
        funders=((CITY, "100"),),
        notes="已认定：印发之日（2022-07-12）仍在有效期内的认定也计。" + ORDOS_FUNDER,
        funders_presumed=True,
    ),
    RuleSpec(
        "ordos-srdi",
        ORDOS,
        "（三）",
        "五企",
        "自治区级“专精特新”中小企业奖励（已认定和新认定）",
        ORDOS3,
        tier="srdi-sme",
        amount="100",
        holders=EXISTING,
        funders=((CITY, "100"),),
        notes="已认定：印发之日（2022-07-12）仍在有效期内的认定也计。" + ORDOS_FUNDER,
        funders_presumed=True,
    ),
    RuleSpec(
        "ordos-city-innovative-sme",
        ORDOS,
        "（三）",
        "五企",
        "市级创新型中小企业奖励（新认定）",
        ORDOS3,
        tier="eeds-city-innovative-sme",
        amount="10",
        funders=((CITY, "100"),),
        funders_presumed=True,
        notes=ORDOS_FUNDER,
    ),
    RuleSpec(
        "ordos-city-srdi",
        ORDOS,
        "（三）",
        "五企",
        "市级“专精特新”中小企业奖励（新认定）",
        ORDOS3,
        tier="eeds-city-srdi",
        amount="20",
        funders=((CITY, "100"),),
        funders_presumed=True,
        notes=ORDOS_FUNDER,
    ),
    RuleSpec(
        "ordos-standards",
        ORDOS,
        "（五）",
        "质量提升",
        "主导、参与制定标准的财政奖补",
        "对主导制定、参与制定国际、国家（行业）标准的企业进行财政资金奖补。",
        trigger=Trigger.OTHER_EVENT,
        event_code="standard-setting",
        notes="未规定金额，记为非资金支持。",
    ),
    RuleSpec(
        "ordos-park-demo",
        ORDOS,
        "（六）",
        "加速器平台",
        "专精特新中小企业建设示范区奖励（园区）",
        "对聚集10家以上自治区级“专精特新”中小企业的产业园区授予“鄂尔多斯市专精特新中小企业建设示范区”牌匾并给予500万元奖励。",
        trigger=Trigger.PARK_CLUSTER,
        tier="srdi-sme",
        threshold_count=10,
        amount="500",
        funders=((CITY, "100"),),
        beneficiary=RewardRule.Beneficiary.PARK,
        notes="园区内持有有效自治区级专精特新认定的企业达到10家时自动产生；每个园区一次。" + ORDOS_FUNDER,
        funders_presumed=True,
    ),
    RuleSpec(
        "ordos-exhibitions",
        ORDOS,
        "（十二）",
        "开拓市场",
        "参加专业展会补助",
        "财政对“专精特新”中小企业参加各类专业展会给予补助。",
        trigger=Trigger.OTHER_EVENT,
        event_code="exhibition",
        notes="未规定金额，记为非资金支持。",
    ),
    RuleSpec(
        "ordos-service-platform",
        ORDOS,
        "（十四）",
        "专项服务",
        "服务示范平台、创业创新示范基地年度奖励",
        "对提供服务的国家级、自治区级小型微型企业创业创新示范基地和中小企业公共服务示范平台每年给予奖励20万元。",
        trigger=Trigger.PLATFORM_AWARD,
        amount="20",
        funders=((CITY, "100"),),
        recurrence=RewardRule.Recurrence.YEARLY,
        once_per_enterprise=False,
        notes="每年一次：按平台和年度各计一笔。" + ORDOS_FUNDER,
        funders_presumed=True,
    ),
)
