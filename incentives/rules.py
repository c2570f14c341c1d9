"""Every reward the five policy documents promise, as data, each tied to the article it comes from.

Amounts are in 万元. A "不高于" amount is recorded as the cap with `is_cap=True`;
entitlements are computed at the cap unless a funder's approval records less.
Where a document leaves something open (who pays, whether existing holders
count) the choice made here is written in `notes` and shown on the rules page.

None of the five documents says that an upgrade is rewarded with the
difference to the lower rung ("补差"); 西宁's "再奖励90万元" for a 科技小巨人
among 高新技术企业 is a top-up of its own amount. Every rule therefore pays
the full amount on upgrade.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from incentives.models import FunderLevel, RewardFunder, RewardRule, Trigger
from incentives.services import compute_entitlements_for_rules
from portal.models import Region
from tasks.models import Measure, Policy
from tiers.models import Tier

PROVINCE, CITY, COUNTY = FunderLevel.PROVINCE, FunderLevel.CITY, FunderLevel.COUNTY
NEW_ONLY, EXISTING = RewardRule.Holders.NEW_ONLY, RewardRule.Holders.EXISTING_AND_NEW


@dataclass(frozen=True)
class PolicyKey:
    code: str
    filename: str
    document_number: str
    region_code: str
    effective_from: datetime.date


XINING = PolicyKey(
    "xining-2023-32", "001_9a7fe9fc0c5484c3.txt", "宁政办〔2023〕32号", "630100", datetime.date(2023, 6, 16)
)
ORDOS = PolicyKey("ordos-srdi-2022", "003_c7fcb9406f2dc6ec.txt", "", "150600", datetime.date(2022, 7, 12))
BOZHOU = PolicyKey(
    "bozhou-2023-62", "004_26d213afb8da29e9.txt", "博州政办发〔2023〕62号", "652700", datetime.date(2023, 11, 17)
)
NINGXIA = PolicyKey("ningxia-srdi-2024", "002_364254226655bf7c.txt", "", "640000", datetime.date(2024, 1, 1))
ZHONGWEI = PolicyKey("zhongwei-task-list", "000_965fdd987a6aec24.txt", "", "640500", datetime.date(2023, 1, 1))


@dataclass(frozen=True)
class RuleSpec:
    code: str
    policy: PolicyKey
    article: str
    # A phrase of the article's text that picks the right measure when numbers repeat across sections.
    anchor: str
    name: str
    clause: str
    trigger: str = Trigger.RECOGNITION
    tier: str | None = None
    prerequisite_tier: str | None = None
    event_code: str = ""
    threshold_count: int | None = None
    amount: str | None = None
    is_cap: bool = False
    percentage: str | None = None
    max_amount: str | None = None
    funders: tuple[tuple[str, str], ...] = ()
    beneficiary: str = RewardRule.Beneficiary.ENTERPRISE
    holders: str = NEW_ONLY
    window: tuple[datetime.date, datetime.date] | None = None
    budget_lag_years: int = 0
    recurrence: str = RewardRule.Recurrence.ONE_TIME
    once_per_enterprise: bool = True
    tranche_percents: tuple[int, ...] = field(default_factory=tuple)
    # True where the document does not state who pays: the split is 推定 until finance confirms it.
    funders_presumed: bool = False
    cap_indicator: str = ""
    cap_years: int | None = None
    notes: str = ""

    @property
    def is_monetary(self) -> bool:
        return self.amount is not None or self.percentage is not None


CITY_COUNTY_HALVES = ((CITY, "50"), (COUNTY, "50"))
XN_CITY_SPLIT = "市、县(区)或园区财政分别承担50%；县区份额由企业所在县区或园区承担。"
XN3_CITY = "对新认定的市级科技型企业、高新技术企业、小巨人企业、市级农业科技园、市级研发中心分别给予10 万元、30 万元、40 万元、20 万元、20 万元的一次性奖励,市、县(区)或园区财政分别承担50%。"
XN4_PROVINCE = "对经培育被认定为创新型中小企业、“专精特新”中小企业和专精特新“小巨人”企业的,省级中小企业发展专项资金分别按每户一次性不高于20万元、50 万元和100 万元下达奖励资金。"
XN4_CITY = "市级专项再配套分别按每户一次性不高于10 万元、20万元和50 万元的奖励资金。"
XN2_TOP = "对新晋“世界企业500 强”工业领域企业(集团)给予一次性500 万元激励;对新晋“中国企业500 强”工业领域企业(集团)给予一次性400 万元激励;对新晋“中国民营企业500 强”工业领域企业(集团)给予一次性300 万元激励。"
ORDOS3 = "对认定为制造业单项冠军企业一次性给予200万元奖励；对已认定和新认定的国家级专精特新“小巨人”企业一次性给予150万元奖励；对已认定和新认定的自治区级“专精特新”中小企业一次性给予100万元奖励；对新认定为市级创新型中小企业和“专精特新”中小企业一次性给予10万元和20万元奖励。"
ORDOS_FUNDER = "文件列市工业和信息化局、市财政局、各旗区人民政府为责任单位，未规定旗区分担比例；按市财政全额承担记录。"
BOZHOU2 = "对2023—2025年新认定的专精特新“小巨人”企业、专精特新中小企业，分别给予 100 万元、25 万元的一次性奖励，优先申领使用自治区中小企业创新服务券，有条件的县市给予配套资金支持。"
BOZHOU_FUNDER = (
    "文件称“积极争取并严格落实中央、自治区……专项资金”，未规定分担比例；按州财政全额承担记录，待州财政局确认后可改。"
)
BOZHOU_WINDOW = (datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))

RULES: tuple[RuleSpec, ...] = (
    # ── 西宁 宁政办〔2023〕32号 ──────────────────────────────────────────────
    RuleSpec(
        "xn-above-scale-province",
        XINING,
        "1",
        "实施升规奖励",
        "升规奖励（省级，奖给县区/园区）",
        "对各县区(园区)上年度培育新增的规上工业企业(不包含已退库再次入库企业),争取省级按每户不高于20 万元一次性奖励。",
        trigger=Trigger.ABOVE_SCALE,
        tier="above-scale",
        amount="20",
        is_cap=True,
        funders=((PROVINCE, "100"),),
        beneficiary=RewardRule.Beneficiary.COUNTY,
        budget_lag_years=1,
        notes="奖励对象是培育企业的县区(园区)，不是企业；上年度新增，次年兑现；每户企业只计一次（退库再入库不计）。",
    ),
    RuleSpec(
        "xn-revenue-milestone",
        XINING,
        "2",
        "首次突破10 亿元",
        "营业收入首次突破10/50/100/500/1000亿元（政策支持）",
        "积极争取省级奖补政策,对年营业收入首次突破10 亿元、50 亿元、100 亿元、500 亿元和1000 亿元的企业,给予政策支持",
        trigger=Trigger.OTHER_EVENT,
        event_code="revenue-milestone",
        notes="无金额，记为非资金支持。",
    ),
    RuleSpec(
        "xn-world-500",
        XINING,
        "2",
        "世界企业500",
        "新晋“世界企业500强”激励",
        XN2_TOP,
        trigger=Trigger.TOP_LIST,
        event_code="world-500",
        amount="500",
        funders=((PROVINCE, "100"),),
        notes="“积极争取省级奖补政策”：按省级资金记录。",
    ),
    RuleSpec(
        "xn-china-500",
        XINING,
        "2",
        "中国企业500",
        "新晋“中国企业500强”激励",
        XN2_TOP,
        trigger=Trigger.TOP_LIST,
        event_code="china-500",
        amount="400",
        funders=((PROVINCE, "100"),),
        notes="“积极争取省级奖补政策”：按省级资金记录。",
    ),
    RuleSpec(
        "xn-china-private-500",
        XINING,
        "2",
        "中国民营企业500",
        "新晋“中国民营企业500强”激励",
        XN2_TOP,
        trigger=Trigger.TOP_LIST,
        event_code="china-private-500",
        amount="300",
        funders=((PROVINCE, "100"),),
        notes="“积极争取省级奖补政策”：按省级资金记录。",
    ),
    RuleSpec(
        "xn-high-tech-province",
        XINING,
        "3",
        "新认定的高新技术企业奖励10",
        "新认定高新技术企业奖励（省级）",
        "争取省级财政科技专项资金对新认定的高新技术企业奖励10 万元",
        tier="high-tech",
        amount="10",
        funders=((PROVINCE, "100"),),
    ),
    RuleSpec(
        "xn-tech-giant-province",
        XINING,
        "3",
        "再奖励90",
        "高新技术企业认定为省级科技小巨人再奖励（省级）",
        "对高新技术企业中认定为“省级科技小巨人”的企业,再奖励90 万元",
        tier="qh-tech-giant",
        prerequisite_tier="high-tech",
        amount="90",
        funders=((PROVINCE, "100"),),
        notes="“再奖励”是在高新技术企业10万元之外另给90万元，不是补差；须同时为高新技术企业。",
    ),
    RuleSpec(
        "xn-tech-transfer",
        XINING,
        "3",
        "转移转化项目研发总投入的20%",
        "技术转移转化补助",
        "对引进技术落地转化效果显著的企业,择优按转移转化项目研发总投入的20%,给予不高于企业三年累计缴税总额,最高200 万元的财政资金补助,所需补助资金按行政隶属由省和市根据财政事权8:2 比例承担。",
        trigger=Trigger.PROJECT_SHARE,
        percentage="20",
        max_amount="200",
        is_cap=True,
        funders=((PROVINCE, "80"), (CITY, "20")),
        once_per_enterprise=False,
        cap_indicator="tax_paid",
        cap_years=3,
        notes="按项目研发总投入×20%计算，最高200万元，且不高于企业前三个完整年度纳税总额之和；"
        "缺任一年纳税总额时待补充数据，不按未封顶金额兑现。",
    ),
    RuleSpec(
        "xn-city-tech-enterprise-city",
        XINING,
        "3",
        "市级科技型企业、高新技术企业、小巨人企业",
        "新认定市级科技型企业奖励（市级）",
        XN3_CITY,
        tier="xn-city-tech-enterprise",
        amount="10",
        funders=CITY_COUNTY_HALVES,
        notes=XN_CITY_SPLIT,
    ),
    RuleSpec(
        "xn-high-tech-city",
        XINING,
        "3",
        "市级科技型企业、高新技术企业、小巨人企业",
        "新认定高新技术企业奖励（市级）",
        XN3_CITY,
        tier="high-tech",
        amount="30",
        funders=CITY_COUNTY_HALVES,
        notes=XN_CITY_SPLIT,
    ),
    RuleSpec(
        "xn-tech-giant-city",
        XINING,
        "3",
        "市级科技型企业、高新技术企业、小巨人企业",
        "新认定科技小巨人企业奖励（市级）",
        XN3_CITY,
        tier="qh-tech-giant",
        amount="40",
        funders=CITY_COUNTY_HALVES,
        notes="本条在科技型企业梯度（科技型中小企业—高新技术企业—科技小巨人）中，“小巨人企业”指科技小巨人。"
        + XN_CITY_SPLIT,
    ),
    RuleSpec(
        "xn-agri-park-city",
        XINING,
        "3",
        "市级农业科技园",
        "新认定市级农业科技园奖励（市级）",
        XN3_CITY,
        trigger=Trigger.OTHER_EVENT,
        event_code="city-agri-park",
        amount="20",
        funders=CITY_COUNTY_HALVES,
        notes=XN_CITY_SPLIT,
    ),
    RuleSpec(
        "xn-rd-center-city",
        XINING,
        "3",
        "市级研发中心",
        "新认定市级研发中心奖励（市级）",
        XN3_CITY,
        trigger=Trigger.OTHER_EVENT,
        event_code="city-rd-center",
        amount="20",
        funders=CITY_COUNTY_HALVES,
        notes=XN_CITY_SPLIT,
    ),
    RuleSpec(
        "xn-innovative-sme-province",
        XINING,
        "4",
        "省级中小企业发展专项资金",
        "创新型中小企业奖励（省级）",
        XN4_PROVINCE,
        tier="innovative-sme",
        amount="20",
        is_cap=True,
        funders=((PROVINCE, "100"),),
    ),
    RuleSpec(
        "xn-srdi-province",
        XINING,
        "4",
        "省级中小企业发展专项资金",
        "专精特新中小企业奖励（省级）",
        XN4_PROVINCE,
        tier="srdi-sme",
        amount="50",
        is_cap=True,
        funders=((PROVINCE, "100"),),
    ),
    RuleSpec(
        "xn-little-giant-province",
        XINING,
        "4",
        "省级中小企业发展专项资金",
        "专精特新“小巨人”企业奖励（省级）",
        XN4_PROVINCE,
        tier="little-giant",
        amount="100",
        is_cap=True,
        funders=((PROVINCE, "100"),),
    ),
    RuleSpec(
        "xn-innovative-sme-city",
        XINING,
        "4",
        "市级专项再配套",
        "创新型中小企业配套奖励（市级）",
        XN4_CITY,
        tier="innovative-sme",
        amount="10",
        is_cap=True,
        funders=((CITY, "100"),),
        notes="“市级专项再配套”：由市级专项资金承担，本条未规定县区分担。",
    ),
    RuleSpec(
        "xn-srdi-city",
        XINING,
        "4",
        "市级专项再配套",
        "专精特新中小企业配套奖励（市级）",
        XN4_CITY,
        tier="srdi-sme",
        amount="20",
        is_cap=True,
        funders=((CITY, "100"),),
        notes="“市级专项再配套”：由市级专项资金承担，本条未规定县区分担。",
    ),
    RuleSpec(
        "xn-little-giant-city",
        XINING,
        "4",
        "市级专项再配套",
        "专精特新“小巨人”企业配套奖励（市级）",
        XN4_CITY,
        tier="little-giant",
        amount="50",
        is_cap=True,
        funders=((CITY, "100"),),
        notes="“市级专项再配套”：由市级专项资金承担，本条未规定县区分担。",
    ),
    RuleSpec(
        "xn-quality-sme-county",
        XINING,
        "4",
        "鼓励有条件的县区",
        "县区(园区)同步奖励（鼓励）",
        "鼓励有条件的县区(园区)同步给予奖励,引导和激励中小企业向“专精特新”方向发展。",
        notes="无金额，记为非资金支持。",
    ),
    RuleSpec(
        "xn-single-champion-province",
        XINING,
        "5",
        "单项冠军",
        "制造业单项冠军奖励（省级）",
        "对被认定为制造业单项冠军(示范)企业的,争取省级奖补政策,给予不高于100 万元的一次性资金奖励。",
        tier="single-champion",
        amount="100",
        is_cap=True,
        funders=((PROVINCE, "100"),),
    ),
    # ── 鄂尔多斯 ───────────────────────────────────────────────────────────
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
    # ── 博州 博州政办发〔2023〕62号 ──────────────────────────────────────────
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
    # ── 宁夏 ───────────────────────────────────────────────────────────────
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
    # ── 中卫 ───────────────────────────────────────────────────────────────
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


def find_policy(key: PolicyKey) -> Policy | None:
    query = Q(code=key.code) | Q(source_file__endswith=key.filename)
    if key.document_number:
        query |= Q(document_number=key.document_number)
    return Policy.objects.filter(query).order_by("pk").first()


def find_measure(policy: Policy, spec: RuleSpec) -> Measure | None:
    measures = list(policy.measures.filter(number=spec.article))
    if len(measures) > 1:
        measures = [measure for measure in measures if spec.anchor in measure.text] or measures
    return measures[0] if measures else None


@transaction.atomic
def load_reward_rules() -> dict[str, int]:
    """Create or update every rule above; running it twice changes nothing.

    Rules of a policy that is not loaded yet are skipped and counted.
    """
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    regions = {region.code: region for region in Region.objects.filter(code__in={s.policy.region_code for s in RULES})}
    policies: dict[str, Policy | None] = {}
    loaded_ids: list[int] = []
    skipped = 0
    for spec in RULES:
        if spec.policy.code not in policies:
            policies[spec.policy.code] = find_policy(spec.policy)
        policy = policies[spec.policy.code]
        region = regions.get(spec.policy.region_code) or (policy.region if policy else None)
        if policy is None or region is None or (spec.tier and spec.tier not in tiers):
            skipped += 1
            continue
        rule, _created = RewardRule.objects.update_or_create(
            code=spec.code,
            defaults={
                "policy": policy,
                "measure": find_measure(policy, spec),
                "article": spec.article,
                "name": spec.name,
                "clause": spec.clause,
                "region": region,
                "trigger": spec.trigger,
                "tier": tiers.get(spec.tier) if spec.tier else None,
                "prerequisite_tier": tiers.get(spec.prerequisite_tier) if spec.prerequisite_tier else None,
                "event_code": spec.event_code,
                "threshold_count": spec.threshold_count,
                "is_monetary": spec.is_monetary,
                "amount": Decimal(spec.amount) if spec.amount else None,
                "is_cap": spec.is_cap,
                "percentage": Decimal(spec.percentage) if spec.percentage else None,
                "max_amount": Decimal(spec.max_amount) if spec.max_amount else None,
                "beneficiary": spec.beneficiary,
                "holders": spec.holders,
                "effective_from": spec.policy.effective_from,
                "window_start": spec.window[0] if spec.window else None,
                "window_end": spec.window[1] if spec.window else None,
                "budget_lag_years": spec.budget_lag_years,
                "recurrence": spec.recurrence,
                "once_per_enterprise": spec.once_per_enterprise,
                "notes": spec.notes,
                "cap_indicator": spec.cap_indicator,
                "cap_years": spec.cap_years,
            },
        )
        # Tranches and a confirmed funder split are finance's decisions: reloading keeps them.
        if _created:
            rule.tranche_percents = list(spec.tranche_percents)
        if rule.funders_confirmed_at is None:
            rule.funders_presumed = spec.funders_presumed
        rule.save(update_fields=["tranche_percents", "funders_presumed"])
        wanted = {level: Decimal(percent) for level, percent in spec.funders}
        current = {funder.level: funder.percent for funder in rule.funders.all()}
        if current != wanted and rule.funders_confirmed_at is None:
            rule.funders.all().delete()
            RewardFunder.objects.bulk_create(
                [RewardFunder(rule=rule, level=level, percent=percent) for level, percent in wanted.items()]
            )
        loaded_ids.append(rule.pk)
    # A rule added now also owes the recognitions already on record, where it says so.
    compute_entitlements_for_rules(rule_ids=loaded_ids, actor=None)
    return {"reward_rules": len(loaded_ids), "reward_rules_skipped": skipped}
