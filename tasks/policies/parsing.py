"""Reading the numbered measures out of each document's text.

Each document has its own layout: 中卫 is a tab-separated table; 西宁 numbers
"1." with a "责任单位:" line after each; 宁夏 and 鄂尔多斯 number "(一)" and put
the units in the paragraph's last parentheses; 博州 numbers "1." under
"(一)" sub-headings, names "牵头单位" and "责任单位" separately and breaks
paragraphs across pages. A measure's text is kept verbatim, except that the
line breaks a page break put inside a sentence are removed and the trailing
unit list is kept apart in `units_text`.
"""

import datetime
import re
from dataclasses import dataclass, field

CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass
class ParsedMeasure:
    number: str
    section: str
    text: str
    units_text: str
    lead_text: str = ""
    supporting_text: str = ""
    title: str = ""


@dataclass
class ParsedPolicy:
    title: str
    document_number: str = ""
    issued_on: datetime.date | None = None
    measures: list[ParsedMeasure] = field(default_factory=list)
    text: str = ""


class DocumentFormatError(ValueError):
    """The document no longer has the shape the parser expects; loading stops rather than guess."""


def compact(text: str) -> str:
    """The text without any blanks, for comparing quotes with documents that space numbers."""
    return re.sub(r"\s+", "", text)


def _first_sentence(text: str) -> str:
    head = re.split(r"[。；]", text, maxsplit=1)[0]
    return head[:300]


def _chinese_date(text: str) -> datetime.date | None:
    match = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    return datetime.date(*map(int, match.groups())) if match else None


def _document_number(text: str) -> str:
    match = re.search(r"^\s*([\u4e00-\u9fff]+〔\d{4}〕\s*\d+\s*号)\s*$", text, re.MULTILINE)
    return compact(match.group(1)) if match else ""


def _split_trailing_units(paragraph: str) -> tuple[str, str]:
    """(text, units) where units are the paragraph's last parenthesised group."""
    stripped = paragraph.rstrip()
    if not stripped.endswith((")", "）")):
        raise DocumentFormatError(f"no unit list at the end of: {paragraph[:40]}…")
    opening = max(stripped.rfind("("), stripped.rfind("（"))
    return stripped[:opening].rstrip(), stripped[opening + 1 : -1].strip()


def parse_zhongwei(text: str) -> ParsedPolicy:
    title_match = re.search(r"^(中卫市.+任务清单)\s*$", text, re.MULTILINE)
    if title_match is None:
        raise DocumentFormatError("中卫: title line not found")
    policy = ParsedPolicy(title=title_match.group(1), text=text)
    section = ""
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        if re.match(r"^\([一二三四五六七八九十]+\)", cells[0]):
            section = cells[0]
        elif cells[0].isdigit():
            if len(cells) != 4:
                raise DocumentFormatError(f"中卫: row {cells[0]} has {len(cells)} columns, not 4")
            number, body, lead, supporting = cells
            policy.measures.append(
                ParsedMeasure(
                    number=number,
                    section=section,
                    text=body,
                    units_text=f"{lead}\t{supporting}",
                    lead_text=lead,
                    supporting_text=supporting,
                    title=_first_sentence(body),
                )
            )
    return policy


def parse_xining(text: str) -> ParsedPolicy:
    lines = [line.strip() for line in text.splitlines()]
    title = next(line for line in lines if line.startswith("西宁市工业中小企业") and "若干措施" in line)
    policy = ParsedPolicy(
        title=title,
        document_number=_document_number(text),
        issued_on=_chinese_date(text.split("西宁市人民政府办公室", 2)[-1]),
        text=text,
    )
    section = ""
    current: ParsedMeasure | None = None
    for line in lines:
        if line.startswith("四、"):
            break
        if re.match(r"^[二三]、", line):
            section = line
        elif match := re.match(r"^(\d+)\.(.+)$", line):
            current = ParsedMeasure(number=match.group(1), section=section, text=line, units_text="")
            current.title = _first_sentence(match.group(2))
            policy.measures.append(current)
        elif line.startswith("责任单位") and current is not None:
            current.units_text = re.sub(r"^责任单位\s*[:：]\s*", "", line)
    for measure in policy.measures:
        if not measure.units_text:
            raise DocumentFormatError(f"西宁: measure {measure.number} has no 责任单位 line")
    return policy


def _parse_parenthesised(text: str, *, start: str, stop: str, who: str) -> list[ParsedMeasure]:
    body = text.split(start, 1)[1] if start else text
    body = body.split(stop, 1)[0] if stop else body
    measures = []
    pattern = re.compile(r"^\s*[(（]([一二三四五六七八九十]+)[)）](.+)$")
    for line in body.splitlines():
        match = pattern.match(line)
        if match is None:
            continue
        paragraph, units = _split_trailing_units(line.strip())
        number = f"（{match.group(1)}）"
        measures.append(
            ParsedMeasure(
                number=number,
                section="",
                text=paragraph,
                units_text=units,
                title=_first_sentence(pattern.match(paragraph).group(2)),
            )
        )
    if not measures:
        raise DocumentFormatError(f"{who}: no numbered measures found")
    return measures


def parse_ningxia(text: str) -> ParsedPolicy:
    policy = ParsedPolicy(title="关于促进专精特新中小企业高水平发展的实施建议", text=text)
    policy.measures = _parse_parenthesised(text, start="特制定以下实施意见", stop="下一条", who="宁夏")
    return policy


def parse_ordos(text: str) -> ParsedPolicy:
    policy = ParsedPolicy(
        title="鄂尔多斯市关于加快推动“专精特新”中小企业高质量发展的实施意见",
        issued_on=_chinese_date(text),
        text=text,
    )
    policy.measures = _parse_parenthesised(text, start="二、重点任务", stop="三、保障措施", who="鄂尔多斯")
    for measure in policy.measures:
        measure.section = "二、重点任务"
    return policy


_BOZHOU_UNITS = re.compile(r"[(（]牵头单位[：:](?P<lead>.+?)[，,]\s*责任单位[：:](?P<supporting>.+?)[)）]$")


def parse_bozhou(text: str) -> ParsedPolicy:
    title_match = re.search(r"关于印发(自治州.+?（2023—2025年）)的通知", compact(text))
    policy = ParsedPolicy(
        title=title_match.group(1) if title_match else "自治州专精特新中小企业倍增培育行动计划（2023—2025年）",
        document_number=_document_number(text),
        issued_on=_chinese_date(text),
        text=text,
    )
    body = text.split("二、重点任务", 1)[1].split("抄送", 1)[0]
    section = ""
    chunks: list[tuple[str, str, list[str]]] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if re.match(r"^[(（][一二三四五六七八九十]+[)）]", line):
            section = re.sub(r"^[(（]([一二三四五六七八九十]+)[)）]\s*", r"（\1）", line)
        elif line.startswith("三、"):
            section = line
        elif match := re.match(r"^(\d+)\.(.*)$", line):
            chunks.append((match.group(1), section, [line]))
        elif chunks:
            # A page break splits sentences (and even "牵头\n\n单位"): the next line continues.
            chunks[-1][2].append(line)
    for number, chunk_section, parts in chunks:
        paragraph = "".join(parts)
        match = _BOZHOU_UNITS.search(paragraph)
        if match is None:
            raise DocumentFormatError(f"博州: measure {number} has no (牵头单位…责任单位…)")
        policy.measures.append(
            ParsedMeasure(
                number=number,
                section=chunk_section,
                text=paragraph[: match.start()].rstrip(),
                units_text=match.group(0)[1:-1],
                lead_text=match.group("lead"),
                supporting_text=match.group("supporting"),
                title=_first_sentence(re.sub(r"^\d+\.", "", paragraph)),
            )
        )
    return policy


PARSERS = {
    "zhongwei-task-list": parse_zhongwei,
    "xining-2023-32": parse_xining,
    "ningxia-srdi-2024": parse_ningxia,
    "ordos-srdi-2022": parse_ordos,
    "bozhou-2023-62": parse_bozhou,
}
