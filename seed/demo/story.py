"""Who holds what, and since when: the demo register's recognitions told as a story the documents can be read against.

Every status the demo dashboard shows has a reason in these numbers, not in an
accident of random data:

- Holders at each document's baseline date match what the document states or
  implies where the demo can carry it (中卫: 2 创新型示范, 1 瞪羚, 1 链主, 3 小巨人,
  0 雏鹰, 0 单项冠军 at the end of 2022; 博州: 37 创新型中小企业 and 21 专精特新).
  For 中卫's 高企 (55 implied) and 专精特新 (110 implied) the register deliberately
  holds fewer (18 and 12): the 名录不全 reading, and the status from the
  document's baseline plus what is new since.
- Recognition dates spread over 2020–2026; 科技型中小企业 is renewed every year
  (a few lapse each year), three-year tiers are re-certified (复核) on expiry:
  none of that is new.
- The register covers every city of 宁夏 (宁夏's yearly targets count the whole
  region) and only 西宁 in 青海 (西宁's shares of the province are 数据范围不全).
- 2025 results fall both ways by real margins (中卫 科技型 123 of 125, 西宁 高企
  224 of 220, 鄂尔多斯 专精特新 190 of 200 …); 2026 runs ahead, on pace or behind.

An area's enterprises are taken in a fixed order — strongest first (by 2025
revenue), or smallest first for tiers meant for small firms — so higher rungs
fall to enterprises that hold the lower ones.
"""

import datetime
from dataclasses import dataclass, field

AREAS: dict[str, tuple[str, ...]] = {
    "zw": ("640502", "640521", "640522", "640500-P01", "640500-P02"),
    "nx": ("640100", "640200", "640300", "640400"),
    "xn": ("630102", "630105", "630106", "630121", "630100-P04", "630100-P05"),
    "eeds": ("150602", "150622", "150621", "150624", "150627"),
    "bz": ("652701", "652702", "652722", "652723"),
}

# Month and day each tier's batch is announced; a re-certification falls on the same day.
BATCH_DAYS: dict[str, tuple[int, int]] = {
    "tech-sme": (5, 20),
    "high-tech": (11, 20),
    "innovative-sme": (6, 28),
    "srdi-sme": (1, 10),
    "little-giant": (7, 15),
    "single-champion": (11, 28),
    "qh-tech-enterprise": (10, 15),
    "xn-city-tech-enterprise": (9, 10),
    "above-scale": (3, 31),
    "eeds-city-srdi": (10, 1),
}
DEFAULT_BATCH_DAY = (9, 1)
VALIDITY_YEARS: dict[str, int | None] = {"tech-sme": 1, "above-scale": None}
LAST_YEAR = 2026


@dataclass(frozen=True)
class Story:
    """One tier in one area: holders at the end of 2022, new holders each year, yearly lapses (yearly tiers)."""

    area: str
    tier_code: str
    held_2022: int
    new: dict[int, int]
    lapse: dict[int, int] = field(default_factory=dict)
    order: str = "strong"  # "strong": largest revenue first; "small": smallest first
    offset: int = 0


STORIES: tuple[Story, ...] = (
    # 中卫 (task list, plan 2023–2027; baselines at the end of 2022)
    Story(
        "zw", "tech-sme", 90, {2023: 14, 2024: 16, 2025: 18, 2026: 22}, {2023: 4, 2024: 5, 2025: 6, 2026: 6}, "small"
    ),
    Story("zw", "high-tech", 18, {2023: 3, 2024: 4, 2025: 4, 2026: 3}),
    Story("zw", "nx-innovation-demo", 2, {2024: 1, 2026: 1}),
    Story("zw", "nx-fledgling", 0, {2023: 4, 2024: 5, 2025: 5, 2026: 2}, order="small", offset=40),
    Story("zw", "nx-gazelle", 1, {2023: 1, 2024: 2, 2025: 2}, offset=6),
    Story("zw", "innovative-sme", 30, {2023: 12, 2024: 14, 2025: 13, 2026: 12}),
    Story("zw", "srdi-sme", 12, {2023: 3, 2024: 3, 2025: 4, 2026: 5}),
    Story("zw", "little-giant", 3, {2025: 1}),
    Story("zw", "nx-industry-leader", 0, {2024: 1, 2026: 1}),
    Story("zw", "nx-chain-leader", 1, {}),
    # The rest of 宁夏: with 中卫, 104 / 96 / 85 new 创新型 and 52 / 47 / 44 new 专精特新 in 2024–2026.
    Story("nx", "innovative-sme", 80, {2023: 40, 2024: 90, 2025: 83, 2026: 73}),
    Story("nx", "srdi-sme", 30, {2023: 20, 2024: 49, 2025: 43, 2026: 39}),
    Story("nx", "little-giant", 2, {2024: 1, 2025: 1}),
    # 西宁 (2025 goals)
    Story("xn", "qh-tech-enterprise", 250, {2023: 40, 2024: 50, 2025: 51}),
    Story("xn", "xn-city-tech-enterprise", 220, {2023: 40, 2024: 40, 2025: 38}),
    Story("xn", "high-tech", 150, {2023: 25, 2024: 24, 2025: 25, 2026: 10}),
    Story("xn", "above-scale", 230, {2023: 20, 2024: 18, 2025: 18}),
    Story("xn", "srdi-sme", 45, {2023: 8, 2024: 10, 2025: 8}),
    Story("xn", "little-giant", 6, {2023: 1, 2024: 2, 2025: 1}),
    Story("xn", "single-champion", 0, {2024: 1}),
    # 鄂尔多斯 (2025 goals)
    Story("eeds", "innovative-sme", 150, {2023: 50, 2024: 55, 2025: 57}),
    Story("eeds", "eeds-city-srdi", 90, {2023: 18, 2024: 16, 2025: 14}),
    Story("eeds", "srdi-sme", 30, {2023: 8, 2024: 7, 2025: 7}, offset=138),
    Story("eeds", "little-giant", 7, {2023: 1, 2024: 2, 2025: 1}),
    Story("eeds", "single-champion", 1, {2024: 1, 2025: 1}),
    # 博州 (baselines 37 and 21 stated)
    Story("bz", "innovative-sme", 37, {2023: 10, 2024: 12, 2025: 13}),
    Story("bz", "srdi-sme", 21, {2023: 1, 2024: 2, 2025: 1}),
    Story("bz", "little-giant", 0, {2025: 1}),
)

# 博州's county pool floors (每年不少于 6/4/3/2): entries per county and year.
POOL_STORIES: dict[str, dict[int, int]] = {
    "652701": {2023: 7, 2024: 6, 2025: 5},
    "652702": {2023: 4, 2024: 4, 2025: 4},
    "652722": {2023: 3, 2024: 2, 2025: 3},
    "652723": {2023: 2, 2024: 2, 2025: 2},
}


@dataclass(frozen=True)
class Grant:
    tier_code: str
    recognized_on: datetime.date
    batch: str


@dataclass(frozen=True)
class PoolVisit:
    """An enterprise in the cultivation pool of a tier from one date, until another (or still)."""

    tier_code: str
    entered_on: datetime.date
    left_on: datetime.date | None
    reason: str


def batch_day(tier_code: str, year: int) -> datetime.date:
    month, day = BATCH_DAYS.get(tier_code, DEFAULT_BATCH_DAY)
    return datetime.date(year, month, day)


def validity_of(tier_code: str) -> int | None:
    return VALIDITY_YEARS.get(tier_code, 3)


def _grants(tier_code: str, first_year: int, validity: int | None) -> list[Grant]:
    """A holder recognized in `first_year`, re-certified on every expiry up to LAST_YEAR."""
    years = [first_year]
    while validity and years[-1] + validity <= LAST_YEAR:
        years.append(years[-1] + validity)
    return [Grant(tier_code, batch_day(tier_code, year), f"{year}年") for year in years]


def story_grants(story: Story, holders: list[int]) -> dict[int, list[Grant]]:
    """Index into the area's ordered enterprises → the grants of `story`'s tier."""
    validity = validity_of(story.tier_code)
    grants: dict[int, list[Grant]] = {}
    cursor = 0

    def take(count: int) -> list[int]:
        nonlocal cursor
        taken = holders[cursor : cursor + count]
        cursor += count
        return taken

    if validity == 1:
        # Yearly tiers: the cohort renews every year but for a few who lapse (the longest-held first).
        cohort = take(story.held_2022)
        for index in cohort:
            grants[index] = [Grant(story.tier_code, batch_day(story.tier_code, 2022), "2022年")]
        for year in range(2023, LAST_YEAR + 1):
            lapsed = story.lapse.get(year, 0)
            cohort = cohort[lapsed:] + take(story.new.get(year, 0))
            for index in cohort:
                grants.setdefault(index, []).append(
                    Grant(story.tier_code, batch_day(story.tier_code, year), f"{year}年")
                )
        return grants
    for position, index in enumerate(take(story.held_2022)):
        grants[index] = _grants(story.tier_code, 2020 + position % 3, validity)
    for year in sorted(story.new):
        for index in take(story.new[year]):
            grants[index] = _grants(story.tier_code, year, validity)
    return grants
