"""A world with the regions, tiers, policies and reward rules of the five documents."""

import datetime

import pytest

from incentives.rules import BOZHOU, NINGXIA, ORDOS, XINING, ZHONGWEI
from incentives.services.rule_loader import load_reward_rules
from portal.tests.factories import DepartmentFactory, RegionFactory, UserFactory
from tasks.models import Measure, Policy
from tiers.models import Ladder, LadderRung, Tier

MEASURES = {
    XINING: [
        ("1", "实施升规奖励"),
        ("2", "世界企业500"),
        ("3", "新认定的高新技术企业奖励10"),
        ("4", "市级专项再配套"),
        ("5", "单项冠军"),
    ],
    ORDOS: [
        ("（三）", "主要目标"),
        ("（三）", "五企"),
        ("（五）", "质量提升"),
        ("（六）", "加速器平台"),
        ("（十二）", "开拓市场"),
        ("（十四）", "专项服务"),
    ],
    BOZHOU: [("2", "一次性奖励")],
    NINGXIA: [("（四）", "加强财税支持")],
    ZHONGWEI: [("8", "统筹财税"), ("11", "专属金融服务")],
}


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in their English msgids, whatever the translation pass later adds."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def regions(db):
    qinghai = RegionFactory(name="青海省", code="630000", kind="province", parent=None)
    xining = RegionFactory(name="西宁市", code="630100", kind="city", parent=qinghai)
    inner_mongolia = RegionFactory(name="内蒙古自治区", code="150000", kind="province", parent=None)
    ordos = RegionFactory(name="鄂尔多斯市", code="150600", kind="city", parent=inner_mongolia)
    xinjiang = RegionFactory(name="新疆维吾尔自治区", code="650000", kind="province", parent=None)
    bozhou = RegionFactory(name="博尔塔拉蒙古自治州", code="652700", kind="city", parent=xinjiang)
    ningxia = RegionFactory(name="宁夏回族自治区", code="640000", kind="province", parent=None)
    zhongwei = RegionFactory(name="中卫市", code="640500", kind="city", parent=ningxia)
    return {
        "qinghai": qinghai,
        "xining": xining,
        "chengdong": RegionFactory(name="城东区", code="630102", kind="county", parent=xining),
        "chengzhong": RegionFactory(name="城中区", code="630103", kind="county", parent=xining),
        "xn_park": RegionFactory(name="西宁经济技术开发区", code="630171", kind="park", parent=xining),
        "inner_mongolia": inner_mongolia,
        "ordos": ordos,
        "kangbashi": RegionFactory(name="康巴什区", code="150603", kind="county", parent=ordos),
        "eeds_park": RegionFactory(name="鄂尔多斯高新技术产业开发区", code="150671", kind="park", parent=ordos),
        "xinjiang": xinjiang,
        "bozhou": bozhou,
        "bole": RegionFactory(name="博乐市", code="652701", kind="county", parent=bozhou),
        "ningxia": ningxia,
        "zhongwei": zhongwei,
    }


def make_policy(key, region, title: str) -> Policy:
    policy = Policy.objects.create(
        code=key.code,
        title=title,
        issuer=title,
        document_number=key.document_number,
        issued_on=key.effective_from,
        region=region,
        source_file=key.filename,
    )
    for order, (number, anchor) in enumerate(MEASURES[key], start=1):
        Measure.objects.create(policy=policy, number=number, order=order, text=f"……{anchor}……")
    return policy


# The tiers and ladders of tiers.reference the rules use (code, name, level, validity years).
TIERS = [
    ("tech-sme", "科技型中小企业", "national", 1),
    ("high-tech", "高新技术企业", "national", 3),
    ("innovative-sme", "创新型中小企业", "provincial", 3),
    ("srdi-sme", "专精特新中小企业", "provincial", 3),
    ("little-giant", "专精特新“小巨人”企业", "national", 3),
    ("single-champion", "制造业单项冠军企业", "national", 3),
    ("above-scale", "规模以上工业企业", "city", None),
    ("qh-tech-giant", "科技小巨人企业", "provincial", 3),
    ("xn-city-tech-enterprise", "市级科技型企业", "city", 3),
    ("eeds-city-innovative-sme", "市级创新型中小企业", "city", 3),
    ("eeds-city-srdi", "市级“专精特新”中小企业", "city", 3),
]
LADDERS = [
    (
        "quality-sme",
        "优质中小企业梯度培育体系",
        None,
        ["innovative-sme", "srdi-sme", "little-giant", "single-champion"],
    ),
    ("xn-tech", "科技型中小企业—高新技术企业—科技小巨人", "xining", ["tech-sme", "high-tech", "qh-tech-giant"]),
    (
        "eeds-five",
        "鄂尔多斯“五企”培育工程",
        "ordos",
        ["eeds-city-innovative-sme", "eeds-city-srdi", "srdi-sme", "little-giant", "single-champion"],
    ),
]


def make_tiers(regions) -> None:
    """Created here rather than by tiers.reference so these tests follow only the codes they rely on."""
    for code, name, level, validity in TIERS:
        Tier.objects.get_or_create(code=code, defaults={"name": name, "level": level, "validity_years": validity})
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    for code, name, region_key, tier_codes in LADDERS:
        ladder, _created = Ladder.objects.get_or_create(
            code=code, defaults={"name": name, "region": regions[region_key] if region_key else None}
        )
        for position, tier_code in enumerate(tier_codes, start=1):
            LadderRung.objects.get_or_create(ladder=ladder, tier=tiers[tier_code], defaults={"position": position})


@pytest.fixture
def reward_rules(regions):
    """Tiers and ladders, the five policies with the measures rules cite, and every reward rule."""
    make_tiers(regions)
    make_policy(XINING, regions["xining"], "西宁市工业中小企业梯度培育发展和建设中小企业特色产业集群的若干措施")
    make_policy(ORDOS, regions["ordos"], "鄂尔多斯市关于加快推动“专精特新”中小企业高质量发展的实施意见")
    make_policy(BOZHOU, regions["bozhou"], "自治州专精特新中小企业倍增培育行动计划（2023—2025年）")
    make_policy(NINGXIA, regions["ningxia"], "关于促进专精特新中小企业高水平发展的实施意见")
    make_policy(ZHONGWEI, regions["zhongwei"], "中卫市落实《自治区建立企业梯次培育体系实施方案》任务清单")
    return load_reward_rules()


@pytest.fixture
def finance_users(regions):
    """Finance staff of several funders, and a bureau user who is not finance."""
    city_finance = DepartmentFactory(name="市财政局", region=regions["xining"])
    county_finance = DepartmentFactory(name="城东区财政局", region=regions["chengdong"])
    province_finance = DepartmentFactory(name="青海省财政厅", region=regions["qinghai"])
    ordos_finance = DepartmentFactory(name="市财政局", region=regions["ordos"])
    industry = DepartmentFactory(name="市工业和信息化局", region=regions["xining"])
    return {
        "xn_finance": UserFactory(
            username="t_xn_finance", role="staff", region=regions["xining"], department=city_finance
        ),
        "cd_finance": UserFactory(
            username="t_cd_finance", role="staff", region=regions["chengdong"], department=county_finance
        ),
        "qh_finance": UserFactory(
            username="t_qh_finance", role="staff", region=regions["qinghai"], department=province_finance
        ),
        "eeds_finance": UserFactory(
            username="t_eeds_finance", role="staff", region=regions["ordos"], department=ordos_finance
        ),
        "xn_industry": UserFactory(
            username="t_xn_industry", role="staff", region=regions["xining"], department=industry
        ),
        "admin": UserFactory(username="t_inc_admin", role="admin", region=None, is_superuser=True, is_staff=True),
    }


def day(year: int, month: int = 6, date: int = 1) -> datetime.date:
    return datetime.date(year, month, date)


@pytest.fixture
def grant(django_capture_on_commit_callbacks):
    """Grant through tiers.services, then run this app's after-commit hook as the commit would.

    Other apps' hooks (eligibility recomputation) are left out so that these tests
    depend on the incentives app only; the browser test runs the full chain.
    """
    from incentives.services import on_recognitions_granted
    from tiers.models import Tier
    from tiers.services import RECOGNITION_BATCH_GRANTED_HOOKS, grant_recognition

    assert on_recognitions_granted in RECOGNITION_BATCH_GRANTED_HOOKS

    def _grant(enterprise, tier_code: str, on: datetime.date):
        with django_capture_on_commit_callbacks(execute=False):
            recognition, created = grant_recognition(
                actor=None, enterprise=enterprise, tier=Tier.objects.get(code=tier_code), recognized_on=on
            )
        if created:
            on_recognitions_granted(recognition_ids=[recognition.pk])
        return recognition

    return _grant
