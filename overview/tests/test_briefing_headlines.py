"""A briefing's first page reads as a 工作简报: headline sentences written from the frozen figures."""

# The `register` fixture is imported from the dashboard tests; its use as a parameter is not a redefinition.
# ruff: noqa: F811
from django.utils import translation

from overview.briefings.headlines import headline_sentences
from overview.tests.test_dashboard import register  # noqa: F401 - the shared register fixture


def _card(key, title, year, basis, current, target, status, status_label, **extra):
    return {
        "key": key,
        "title": title,
        "label": f"{title}（{year}）",
        "year": year,
        "basis_label": basis,
        "current": current,
        "target": target,
        "unit": "家",
        "status": status,
        "status_label": status_label,
        "region": "中卫市",
        "is_own_region": True,
        **extra,
    }


CARDS = [
    _card("zw-1-2025-total", "科技型中小企业", 2025, "合计", 123, 125, "not_achieved", "未达标"),
    _card("zw-2-2025-new", "高新技术企业", 2025, "新增", 11, 9, "achieved", "达标"),
    _card(
        "zw-1-2027-total",
        "科技型中小企业",
        2027,
        "合计",
        139,
        165,
        "at_risk",
        "存在风险",
        path={"needed": 26, "candidates": 43, "expected": 151.5},
    ),
    _card("zw-2-2027-total", "高新技术企业", 2027, "合计", 69, 70, "on_track", "正常推进", is_register_incomplete=True),
    _card(
        "xn-goal-srdi-share",
        "专精特新企业",
        2025,
        "占比",
        None,
        65,
        "scope_incomplete",
        "数据范围不全",
        scope_missing=["海东市", "海北藏族自治州"],
    ),
]


def _figures(cards, as_of="2026-12-07"):
    return {
        "as_of": as_of,
        "sections": [
            {"key": "targets", "cards": cards, "rows": []},
            {"key": "regions", "rows": [["沙坡头区", 200, 44], ["中宁县", 180, 38], ["海兴开发区", 90, 26]]},
            {
                "key": "stuck",
                "rows": [["宁夏中卫瑞丰冶金有限公司", "高新技术企业", "2026年第一批", "市级审核", "中卫市", 41, ""]],
            },
            {"key": "task_status", "rows": [["逾期", 1], ["即将到期", 0]]},
            {
                "key": "task_attention",
                "rows": [
                    [
                        "中卫市任务清单",
                        "1 加大评价标准和政策宣传力度，引导支持全市中小企业",
                        "市科技局",
                        "2026Q4",
                        "2026-12-05",
                        "逾期",
                    ]
                ],
            },
            {"key": "money", "rows": [["中卫市", 300.0, 120.0, 180.0], ["宁夏回族自治区", 100.0, 100.0, 0.0]]},
        ],
    }


def test_the_headlines_say_where_the_region_stands_against_each_year_and_what_waits():
    with translation.override("zh-hans"):
        sentences = headline_sentences(_figures(CARDS))
    text = "\n".join(sentences)
    assert "2025 年目标（以12月31日为最终结果）：2 项中 1 项达标。" in sentences
    assert "未达标：科技型中小企业（合计） 123/125家。" in sentences
    assert "2027 年目标（进行中）：已完成 0 项，正常推进 1 项，存在风险 1 项，滞后 0 项。" in sentences
    assert "科技型中小企业（合计） 139/165家，仍需 26 家，候选 43 家，到期预计 151.5" in text
    assert "高新技术企业 名录不全" in text
    assert "数据范围不全" in text and "海东市" in text
    assert "本地区首期简报" in text
    assert "沙坡头区 持有认定的企业最多（44 家），海兴开发区 最少（26 家）" in text
    assert "宁夏中卫瑞丰冶金有限公司 申报高新技术企业，在“市级审核”已等待 41 天" in text
    assert "1 项任务逾期未报" in text and "市科技局" in text
    assert "应兑现 400.00 万元，已兑现 220.00 万元，待兑现 180.00 万元" in text


def test_the_headlines_say_what_changed_since_the_last_briefing():
    before = [dict(card) for card in CARDS]
    before[2] = {**before[2], "current": 130, "status": "behind", "status_label": "滞后"}
    with translation.override("zh-hans"):
        sentences = headline_sentences(_figures(CARDS), previous=_figures(before, as_of="2026-11-30"))
    assert any(
        "与截至 2026-11-30 的上期简报相比：科技型中小企业（合计） 130 → 139（滞后 → 存在风险）" in sentence
        for sentence in sentences
    )


def test_a_generated_briefing_opens_with_its_headlines_and_compares_with_the_last_one(
    client, users, register, region_tree
):
    """Two briefings of 中卫: the second's first page says what changed since the first; the workbook's second
    sheet and the page carry the same sentences, then the target chart, then the tables."""
    import datetime
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from overview.briefings.services import generate_briefing
    from portal.models import Briefing

    today = datetime.date.today()
    zhongwei = region_tree["zhongwei"]
    first = Briefing.objects.create(region=zhongwei, as_of=today - datetime.timedelta(days=7))
    generate_briefing(briefing_id=first.pk)
    register(3)
    second = generate_briefing(briefing_id=Briefing.objects.create(region=zhongwei, as_of=today).pk)
    headlines = second.figures["headlines"]
    assert second.figures["previous_as_of"] == first.as_of.isoformat()
    assert any(sentence.startswith(f"与截至 {first.as_of.isoformat()} 的上期简报相比：") for sentence in headlines)
    assert "0 → 3" in "".join(headlines)
    with second.xlsx.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert workbook.sheetnames[:2] == ["工作简报", "要点"]
    assert [row[0] for row in workbook["要点"].iter_rows(min_row=2, values_only=True)] == headlines
    client.force_login(users["zw_leader"])
    page = client.get(reverse("briefings:detail", args=[second.pk])).content.decode()
    assert page.index('data-testid="briefing-headlines"') < page.index('data-testid="briefing-target-chart"')
    assert page.index('data-testid="briefing-target-chart"') < page.index('data-testid="briefing-targets"')
