"""统一社会信用代码 (GB 32100-2015): normalisation and check character."""

import re
import unicodedata
from dataclasses import dataclass

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [3**i % 31 for i in range(17)]
PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalise(raw: str) -> str:
    """Full-width to half-width, drop spaces and dashes, upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"[\s\-_]", "", text).upper()


def check_character(code17: str) -> str:
    total = sum(CHARSET.index(char) * weight for char, weight in zip(code17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class CreditCode:
    value: str
    is_well_formed: bool
    has_valid_check: bool


def parse(raw: str) -> CreditCode:
    value = normalise(raw)
    if not PATTERN.match(value):
        return CreditCode(value=value, is_well_formed=False, has_valid_check=False)
    return CreditCode(value=value, is_well_formed=True, has_valid_check=check_character(value[:17]) == value[17])


def with_check_character(code17: str) -> str:
    """Complete 17 characters into a valid code (demo data and tests)."""
    return code17 + check_character(code17)
