"""Tier names as rosters write them, and what a title row says about the roster.

"2023年第五批专精特新“小巨人”企业名单" above the header makes every row a
recognition of tier little-giant, year 2023, batch "2023年第五批".
"""

import re
import unicodedata
from dataclasses import dataclass

# alias → tiers.reference code. Matched longest first, after quotes and spaces are removed.
TIER_ALIASES: dict[str, str] = {
    "专精特新小巨人企业": "little-giant",
    "专精特新小巨人": "little-giant",
    "国家级专精特新小巨人": "little-giant",
    "国家级小巨人": "little-giant",
    "小巨人企业": "little-giant",
    "小巨人": "little-giant",
    "市级专精特新中小企业": "eeds-city-srdi",
    "市级专精特新企业": "eeds-city-srdi",
    "市级专精特新": "eeds-city-srdi",
    "市级创新型中小企业": "eeds-city-innovative-sme",
    "专精特新中小企业": "srdi-sme",
    "省级专精特新中小企业": "srdi-sme",
    "自治区级专精特新中小企业": "srdi-sme",
    "自治区专精特新中小企业": "srdi-sme",
    "专精特新企业": "srdi-sme",
    "专精特新": "srdi-sme",
    "高新技术企业": "high-tech",
    "国家高新技术企业": "high-tech",
    "高企": "high-tech",
    "科技型中小企业": "tech-sme",
    "创新型中小企业": "innovative-sme",
    "制造业单项冠军企业": "single-champion",
    "制造业单项冠军": "single-champion",
    "单项冠军企业": "single-champion",
    "单项冠军": "single-champion",
    "自治区雏鹰企业": "nx-fledgling",
    "雏鹰企业": "nx-fledgling",
    "雏鹰": "nx-fledgling",
    "自治区瞪羚企业": "nx-gazelle",
    "瞪羚企业": "nx-gazelle",
    "瞪羚": "nx-gazelle",
    "自治区独角兽企业": "nx-unicorn",
    "独角兽企业": "nx-unicorn",
    "独角兽": "nx-unicorn",
    "行业领先示范企业": "nx-industry-leader",
    "链主企业": "nx-chain-leader",
    "链主": "nx-chain-leader",
    "创新型示范企业": "nx-innovation-demo",
    "科技领军企业": "nx-tech-leader",
    "规模以上工业企业": "above-scale",
    "规上工业企业": "above-scale",
    "骨干企业": "xn-backbone",
    "科技小巨人企业": "qh-tech-giant",
    "科技小巨人": "qh-tech-giant",
}
_ALIASES_LONGEST_FIRST = sorted(TIER_ALIASES, key=len, reverse=True)
QUOTES = re.compile(r"[\"'“”‘’「」『』《》\s]")
BATCH = re.compile(r"第([一二三四五六七八九十\d]+)批")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
UNIT_LINE = re.compile(r"单位[:：]\s*(亿元|万元|千元|元)")


def _flat(text: str) -> str:
    return QUOTES.sub("", unicodedata.normalize("NFKC", text or ""))


def tier_code_for(text: str) -> str | None:
    """The tier code named by `text`: exactly, or as the longest alias it contains."""
    flat = _flat(text)
    if not flat:
        return None
    if flat in TIER_ALIASES:
        return TIER_ALIASES[flat]
    # Canonical names from tiers.reference ("专精特新“小巨人”企业") also match.
    for alias in _ALIASES_LONGEST_FIRST:
        if alias in flat:
            return TIER_ALIASES[alias]
    return None


@dataclass
class Title:
    text: str = ""
    tier_code: str | None = None
    year: int | None = None
    batch: str = ""
    unit: str = ""


def parse_title(lines: list[str]) -> Title:
    """What the lines above the header say: tier, year, batch and a "单位：万元" unit."""
    title = Title()
    for line in lines:
        unit = UNIT_LINE.search(unicodedata.normalize("NFKC", line))
        if unit:
            title.unit = unit.group(1)
            continue
        code = tier_code_for(line) if ("名单" in line or "批" in line or "认定" in line or "公示" in line) else None
        if code and title.tier_code is None:
            title.tier_code = code
            title.text = line.strip()
            year = YEAR.search(line)
            title.year = int(year.group(1)) if year else None
            batch = BATCH.search(line)
            if batch:
                title.batch = f"{title.year}年{batch.group(0)}" if title.year else batch.group(0)
            elif title.year:
                title.batch = f"{title.year}年"
        elif not title.text:
            title.text = line.strip()
    return title
