"""Parsing single cells the way bureau sheets write them.

Each parser takes the raw cell (str, float, int, bool, date or datetime, as
calamine or csv give it) and returns the clean value or None for an empty cell;
it raises CellError with a message code when the cell cannot be understood.
"""

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from enterprises import credit_codes, industries

EMPTY_MARKERS = {"", "-", "--", "—", "——", "/", "无", "暂无", "空", "n/a", "na", "null", "none"}
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EARLIEST_DATE = datetime.date(1900, 1, 1)
MONEY_LIMIT = Decimal("999999999999.99")
CENT = Decimal("0.01")
# Check-character values by character (GB 32100-2015), for the fast path of parse_credit_code.
CHECK_VALUES = {char: index for index, char in enumerate(credit_codes.CHARSET)}
CHECK_WEIGHTS = tuple(credit_codes.WEIGHTS)
COUNT_LIMIT = 2_147_483_647
DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
MONTH_PATTERN = re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?$")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "规上", "已上市", "上市"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "非规上", "未上市"}
SIZE_WORDS = {
    "大型": "large",
    "大": "large",
    "中型": "medium",
    "中": "medium",
    "小型": "small",
    "小": "small",
    "微型": "micro",
    "微": "micro",
    "large": "large",
    "medium": "medium",
    "small": "small",
    "micro": "micro",
}
LEVEL_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
INDUSTRY_LEADING_CODE = re.compile(r"^([A-Ta-t]?\d{2,4}|[A-Ta-t])(?![\dA-Za-z])")
SECTION_BY_NAME = {name: letter for letter, (_first, _last, name) in industries.SECTIONS.items()}


class CellError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def as_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip().lower() in EMPTY_MARKERS)


def parse_text(raw: Any, *, max_length: int) -> str | None:
    text = raw.strip() if raw.__class__ is str else as_text(raw)
    if not text:
        return None
    if not text.isascii():
        text = " ".join(unicodedata.normalize("NFKC", text).split())
    if max_length and len(text) > max_length:
        raise CellError("text_too_long", max=max_length)
    return text


def parse_credit_code(raw: Any) -> tuple[str, str | None]:
    """(normalised code, the expected check character when it does not match)."""
    if raw.__class__ is str and len(raw) == 18 and credit_codes.PATTERN.match(raw):
        # Already normalised (digits and capitals only): skip NFKC and the generic parser.
        total = sum(map(int.__mul__, map(CHECK_VALUES.__getitem__, raw[:17]), CHECK_WEIGHTS))
        expected = credit_codes.CHARSET[(31 - total % 31) % 31]
        return raw, (None if expected == raw[17] else expected)
    text = as_text(raw)
    parsed = credit_codes.parse(text)
    if parsed.is_well_formed:
        expected = None if parsed.has_valid_check else credit_codes.check_character(parsed.value[:17])
        return parsed.value, expected
    value = parsed.value
    if len(value) != 18:
        raise CellError("credit_code_length", length=len(value))
    bad = sorted({char for char in value if char not in credit_codes.CHARSET})
    if bad:
        raise CellError("credit_code_chars", chars="".join(bad))
    raise CellError("credit_code_format", value=value)


def parse_date(raw: Any) -> datetime.date | None:
    if raw.__class__ is datetime.date and EARLIEST_DATE <= raw <= _latest_date():
        return raw
    if isinstance(raw, datetime.datetime):
        value = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # An Excel serial number (the 1900 date system; 60 = the fictitious 29 Feb 1900).
        if not 1 <= raw < 2958466:
            raise CellError("date_invalid", value=as_text(raw))
        value = EXCEL_EPOCH + datetime.timedelta(days=int(raw))
    else:
        text = unicodedata.normalize("NFKC", as_text(raw))
        if is_empty(text):
            return None
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return parse_date(float(text))
        value = _date_from_text(text)
    if not EARLIEST_DATE <= value <= _latest_date():
        raise CellError("date_out_of_range", value=value.isoformat())
    return value


def _latest_date() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=3660)


def _date_from_text(text: str) -> datetime.date:
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            break
    else:
        match = MONTH_PATTERN.match(text)
        if not match:
            raise CellError("date_invalid", value=text)
        year, month, day = int(match.group(1)), int(match.group(2)), 1
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise CellError("date_invalid", value=text) from error


def parse_year(raw: Any) -> int | None:
    text = unicodedata.normalize("NFKC", as_text(raw))
    if is_empty(text):
        return None
    match = re.match(r"^((?:19|20)\d{2})\s*年?度?", text)
    if not match:
        raise CellError("year_invalid", value=text)
    return int(match.group(1))


def _number_text(raw: Any) -> str:
    text = unicodedata.normalize("NFKC", as_text(raw))
    text = re.sub(r"[,\s']", "", text).replace("，", "")
    return re.sub(r"(万元|元|人|个|件|项|名|家)$", "", text)


def parse_money(raw: Any, *, scale: float = 1, allow_negative: bool = False) -> Decimal | None:
    kind = raw.__class__
    if scale == 1 and (kind is int or kind is float) and -1e13 < raw < 1e13:
        # A number cell, the common case: no text clean-up needed.
        value = Decimal(raw if kind is int else repr(raw)).quantize(CENT, rounding=ROUND_HALF_UP)
        if value < 0 and not allow_negative:
            raise CellError("number_negative", value=as_text(raw))
        if value > MONEY_LIMIT or value < -MONEY_LIMIT:
            raise CellError("number_too_large", value=as_text(raw))
        return value
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        raise CellError("number_invalid", value=as_text(raw))
    if isinstance(raw, (int, float)):
        value = Decimal(repr(raw))
    else:
        text = _number_text(raw)
        if text.startswith("(") and text.endswith(")"):
            text = "-" + text[1:-1]
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise CellError("number_invalid", value=as_text(raw)) from error
        if not value.is_finite():
            raise CellError("number_invalid", value=as_text(raw))
    if scale != 1:
        value *= Decimal(str(scale))
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0 and not allow_negative:
        raise CellError("number_negative", value=as_text(raw))
    if abs(value) > MONEY_LIMIT:
        raise CellError("number_too_large", value=as_text(raw))
    return value


def parse_count(raw: Any) -> int | None:
    if (raw.__class__ is float and raw.is_integer()) or raw.__class__ is int:
        value = int(raw)
        if value < 0:
            raise CellError("number_negative", value=as_text(raw))
        if value > COUNT_LIMIT:
            raise CellError("number_too_large", value=as_text(raw))
        return value
    if is_empty(raw):
        return None
    value = parse_money(raw, allow_negative=True)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError("integer_invalid", value=as_text(raw))
    if value < 0:
        raise CellError("number_negative", value=as_text(raw))
    if value > COUNT_LIMIT:
        raise CellError("number_too_large", value=as_text(raw))
    return int(value)


def parse_bool(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = unicodedata.normalize("NFKC", as_text(raw)).lower()
    if text in ("", "-", "—", "/"):
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("boolean_invalid", value=as_text(raw))


def parse_size(raw: Any) -> str | None:
    text = unicodedata.normalize("NFKC", as_text(raw)).lower().removesuffix("企业")
    if is_empty(text):
        return None
    if text in SIZE_WORDS:
        return SIZE_WORDS[text]
    raise CellError("size_invalid", value=as_text(raw))


def parse_level(raw: Any) -> int | None:
    text = unicodedata.normalize("NFKC", as_text(raw)).lower().replace(" ", "")
    if is_empty(text):
        return None
    core = re.sub(r"^(l|level|等级)", "", text)
    core = re.sub(r"(级|等级)$", "", core)
    if core in LEVEL_WORDS:
        return LEVEL_WORDS[core]
    raise CellError("digital_level_invalid", value=as_text(raw))


def parse_industry(raw: Any) -> str | None:
    """ "C3911", "3911", "C39 计算机…" or a section name ("制造业")."""
    text = unicodedata.normalize("NFKC", as_text(raw)).strip()
    if is_empty(text):
        return None
    if text in SECTION_BY_NAME:
        return SECTION_BY_NAME[text]
    match = INDUSTRY_LEADING_CODE.match(text.replace(" ", ""))
    candidate = match.group(1) if match else text
    code, error = industries.validate(candidate)
    if error:
        raise CellError("industry_invalid", value=as_text(raw))
    return code
