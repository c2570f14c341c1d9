"""The dashboard's target cards read the one definition of each figure: the same numbers as /api/v1/targets/,
grouped by ladder and tier with the years side by side, each card listing its enterprises and why."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.tests.factories import EnterpriseFactory
from tasks.models import Target
from tasks.tests.factories import PolicyFactory, TargetFactory
from tiers.models import Ladder, LadderRung, Recognition
from tiers.tests.factories import RecognitionFactory, TierFactory

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def targets(region_tree):
    """中卫 高企: 新增 9 by 2025 (final), 新增 6 and 合计 20 by 2027; three holders at the start, renewals, new ones."""
    zhongwei, shapotou = region_tree["zhongwei"], region_tree["shapotou"]
    high = TierFactory(code="high-tech", name="高新技术企业")
    tech = TierFactory(code="tech-sme", name="科技型中小企业", validity_years=1)
    ladder = Ladder.objects.create(code="science", name="科技型企业梯次培育体系")
    LadderRung.objects.create(ladder=ladder, tier=tech, position=1)
    LadderRung.objects.create(ladder=ladder, tier=high, position=2)
    policy = PolicyFactory(region=zhongwei, plan_start=datetime.date(2023, 1, 1))
    made = {
        "2025-new": TargetFactory(
            policy=policy, key="zw-2-2025-new", kind=Target.Kind.NEW, value=9, year=2025, tiers=[high]
        ),
        "2027-again": TargetFactory(
            policy=policy,
            key="zw-2-2027-again",
            kind=Target.Kind.NEW,
            value=6,
            year=2027,
            since_year=2025,
            tiers=[high],
        ),
        "2027-total": TargetFactory(
            policy=policy, key="zw-2-2027-total", kind=Target.Kind.TOTAL, value=20, year=2027, tiers=[high]
        ),
        "tech-total": TargetFactory(
            policy=policy, key="zw-1-2027-total", kind=Target.Kind.TOTAL, value=5, year=2027, tiers=[tech]
        ),
    }
    # Three holders since 2021, re-certified in 2024 (not new); four new in 2023–2025; one in 2026; one revoked.
    for index in range(3):
        enterprise = EnterpriseFactory(region=shapotou, name=f"老牌企业{index}")
        RecognitionFactory(
            enterprise=enterprise, tier=high, recognized_on=datetime.date(2021, 11, 20), year=2021,
            valid_until=datetime.date(2024, 11, 19), status=Recognition.Status.EXPIRED,
        )  # fmt: skip
        RecognitionFactory(
            enterprise=enterprise, tier=high, recognized_on=datetime.date(2024, 11, 20), year=2024,
            valid_until=datetime.date(2027, 11, 19),
        )  # fmt: skip
    for index, year in enumerate((2023, 2024, 2025, 2025, 2026)):
        RecognitionFactory(
            enterprise=EnterpriseFactory(region=shapotou, name=f"新认定企业{index}"),
            tier=high,
            recognized_on=datetime.date(year, 3, 1),
            year=year,
            valid_until=datetime.date(year + 3, 2, 28),
        )
    RecognitionFactory(
        enterprise=EnterpriseFactory(region=shapotou, name="撤销企业"), tier=high,
        recognized_on=datetime.date(2023, 3, 1), year=2023, valid_until=datetime.date(2026, 2, 28),
        status=Recognition.Status.REVOKED, revoked_on=datetime.date(2024, 1, 15),
    )  # fmt: skip
    return made


def _api(client, url, **params):
    response = client.get(url, {"as_of": AS_OF.isoformat(), **params}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_the_cards_read_the_same_numbers_as_the_targets_api(client, users, targets):
    client.force_login(users["zw_leader"])
    dashboard = _api(client, reverse("api-dashboard"))
    cards = {card["key"]: card for card in next(s for s in dashboard["sections"] if s["key"] == "targets")["cards"]}
    rows = {row["key"]: row for row in _api(client, reverse("api-targets"))}
    assert set(cards) == set(rows)
    for key, card in cards.items():
        row = rows[key]
        assert card["current"] == (float(row["current"]) if row["current"] is not None else None), key
        assert (card["status"], card["basis"], card["final"]) == (row["status"], row["basis"], row["final"]), key
        assert card["path"] == row["path"], key
    # Worked example: 2025 新增 counts 2023–2025 only (4: renewals are not new), final at 2025-12-31; on 2026-06-30
    # 合计 counts 7 holders (the 2023 recognition expired in February, the revoked one no longer counts).
    assert cards["zw-2-2025-new"]["current"] == 4 and cards["zw-2-2025-new"]["final"]
    assert cards["zw-2-2025-new"]["basis_label"] == "新增" and cards["zw-2-2027-total"]["basis_label"] == "合计"
    assert cards["zw-2-2027-again"]["current"] == 1
    assert cards["zw-2-2027-total"]["current"] == 7


def test_cards_are_grouped_by_ladder_and_tier_with_the_years_side_by_side(client, users, targets):
    client.force_login(users["zw_leader"])
    section = next(s for s in _api(client, reverse("api-dashboard"))["sections"] if s["key"] == "targets")
    keys = [card["key"] for card in section["cards"]]
    [group] = section["groups"]
    assert group["ladder"] == "科技型企业梯次培育体系"
    assert [row["tier"] for row in group["rows"]] == ["科技型中小企业", "高新技术企业"]  # the ladder's order
    high = group["rows"][1]["years"]
    assert [(column["year"], sorted(keys[i] for i in column["cards"])) for column in high] == [
        (2025, ["zw-2-2025-new"]),
        (2027, ["zw-2-2027-again", "zw-2-2027-total"]),
    ]
    page = client.get(reverse("dashboard:index"), {"as_of": AS_OF.isoformat()}).content.decode()
    assert page.count('data-testid="tier-row"') == 2
    assert 'data-testid="card-basis">合计<' in page and 'data-testid="card-basis">2026年起新增<' in page


def test_a_card_lists_the_enterprises_counted_and_those_left_out_with_why(client, users, targets):
    client.force_login(users["zw_leader"])
    url = reverse("dashboard:target-enterprises", args=["zw-2-2025-new"])
    page = client.get(url, {"as_of": AS_OF.isoformat()}).content.decode()
    for name in ("新认定企业0", "新认定企业1", "新认定企业2", "新认定企业3"):
        assert name in page
    assert "老牌企业0" in page  # left out: held the tier at the start
    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("dashboard:target-enterprises-export", args=["zw-2-2025-new"]), {"as_of": AS_OF.isoformat()}
            ).content
        )
    )
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
    counted = [row[0] for row in rows if row[3] == "计入"]
    assert sorted(counted) == ["新认定企业0", "新认定企业1", "新认定企业2", "新认定企业3"]
    left_out = {row[0]: row[4] for row in rows if row[3] == "未计入"}
    assert left_out["老牌企业0"]
    assert client.get(reverse("dashboard:target-enterprises", args=["no-such-target"])).status_code == 404


def test_two_new_targets_of_one_tier_and_year_say_since_when_on_cards_chart_and_targets_page(client, users, targets):
    """新增 since 2022-12-31 and 再培育 since 2025-12-31 (专精特新 2027: 15/20 and 5/11) must not read alike."""
    TargetFactory(
        policy=targets["2025-new"].policy, key="zw-2-2027-new", kind=Target.Kind.NEW, value=20, year=2027,
        tiers=list(targets["2025-new"].tiers.all()),
    )  # fmt: skip
    client.force_login(users["zw_leader"])
    section = next(s for s in _api(client, reverse("api-dashboard"))["sections"] if s["key"] == "targets")
    cards = {card["key"]: card for card in section["cards"]}
    assert cards["zw-2-2027-new"]["basis_text"] == "2023年起新增"
    assert cards["zw-2-2027-again"]["basis_text"] == "2026年起新增"
    assert cards["zw-2-2027-total"]["basis_text"] == "合计"
    labels = dict(zip((card["key"] for card in section["cards"]), section["chart"]["labels"], strict=True))
    mine = [labels[key] for key in ("zw-2-2027-new", "zw-2-2027-again", "zw-2-2027-total")]
    assert len(set(mine)) == 3, mine
    rows = {row["key"]: row for row in _api(client, reverse("api-targets"))}
    assert rows["zw-2-2027-again"]["basis_text"] == "2026年起新增"
    page = client.get(reverse("tasks:targets"), {"as_of": AS_OF.isoformat()}).content.decode()
    assert 'data-testid="basis">2023年起新增<' in page and 'data-testid="basis">2026年起新增<' in page


def test_the_enterprise_list_and_its_excel_have_chinese_column_headings(client, users, targets):
    client.force_login(users["zw_leader"])
    url = reverse("dashboard:target-enterprises", args=["zw-2-2025-new"])
    page = client.get(url, {"as_of": AS_OF.isoformat()}).content.decode()
    assert "统一社会信用代码" in page and "原因" in page and "Why" not in page
    export = reverse("dashboard:target-enterprises-export", args=["zw-2-2025-new"])
    workbook = load_workbook(io.BytesIO(client.get(export, {"as_of": AS_OF.isoformat()}).content))
    assert [cell.value for cell in workbook.active[1]][:5] == ["企业", "统一社会信用代码", "行政区划", "计入", "原因"]


def test_a_statement_that_is_not_a_target_offers_no_count_and_a_path_reads_whole_enterprises(client, users, targets):
    TargetFactory(
        policy=targets["2025-new"].policy, key="zw-23-meetings", kind=Target.Kind.YEARLY, value=2, year=2027,
        metric=Target.Metric.UNMEASURED, unmeasured_reason="会议次数，不是企业数",
    )  # fmt: skip
    client.force_login(users["zw_leader"])
    page = client.get(reverse("dashboard:index"), {"as_of": AS_OF.isoformat()}).content.decode()

    def card(key):
        start = page.index(f'data-key="{key}"')
        end = page.find('data-testid="kpi-card"', start)
        return page[start : end if end > 0 else page.index("</main>", start)]

    assert "会议次数，不是企业数" in card("zw-23-meetings")
    assert 'data-testid="card-enterprises"' not in card("zw-23-meetings")
    assert 'data-testid="card-how"' not in card("zw-23-meetings")
    path = card("zw-1-2027-total")  # 科技型中小企业 合计 5, nobody holds it: behind, 5 more needed
    assert "仍需 5 家" in path and "到期预计 0 " in path and ".0 " not in path
