"""GB/T 4754-2017 industry codes: section letter plus 2 to 4 digits (C3911)."""

import re

from django.utils.translation import gettext_lazy as _

# section letter -> (first division, last division, name)
SECTIONS: dict[str, tuple[int, int, str]] = {
    "A": (1, 5, "农、林、牧、渔业"),
    "B": (6, 12, "采矿业"),
    "C": (13, 43, "制造业"),
    "D": (44, 46, "电力、热力、燃气及水生产和供应业"),
    "E": (47, 50, "建筑业"),
    "F": (51, 52, "批发和零售业"),
    "G": (53, 60, "交通运输、仓储和邮政业"),
    "H": (61, 62, "住宿和餐饮业"),
    "I": (63, 65, "信息传输、软件和信息技术服务业"),
    "J": (66, 69, "金融业"),
    "K": (70, 70, "房地产业"),
    "L": (71, 72, "租赁和商务服务业"),
    "M": (73, 75, "科学研究和技术服务业"),
    "N": (76, 79, "水利、环境和公共设施管理业"),
    "O": (80, 82, "居民服务、修理和其他服务业"),
    "P": (83, 83, "教育"),
    "Q": (84, 85, "卫生和社会工作"),
    "R": (86, 90, "文化、体育和娱乐业"),
    "S": (91, 96, "公共管理、社会保障和社会组织"),
    "T": (97, 97, "国际组织"),
}
INDUSTRIAL_SECTIONS = {"B", "C", "D"}
CODE_PATTERN = re.compile(r"^([A-T])(\d{2,4})?$")


def normalise(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def section_of_division(division: int) -> str | None:
    for letter, (first, last, _name) in SECTIONS.items():
        if first <= division <= last:
            return letter
    return None


def validate(raw: str) -> tuple[str, str | None]:
    """Return (normalised code, error message or None).

    Accepts "C3911", a bare division-led number "3911" (the section is
    inferred), or a section letter alone.
    """
    code = normalise(raw)
    if code.isascii() and code.isdigit() and 2 <= len(code) <= 4:
        letter = section_of_division(int(code[:2]))
        if letter is None:
            return code, str(_("Industry code %(code)s is not a GB/T 4754 division.") % {"code": code})
        code = letter + code
    match = CODE_PATTERN.match(code)
    if not match:
        return code, str(_("Industry code must be a GB/T 4754 section letter followed by 2–4 digits, e.g. C3911."))
    letter, digits = match.groups()
    if digits:
        first, last, _name = SECTIONS[letter]
        if not first <= int(digits[:2]) <= last:
            return code, str(
                _("Division %(division)s does not belong to section %(section)s (%(first)02d–%(last)02d).")
                % {"division": digits[:2], "section": letter, "first": first, "last": last}
            )
    return code, None


def is_manufacturing(code: str) -> bool:
    return bool(code) and code[0] == "C"


def is_industrial(code: str) -> bool:
    return bool(code) and code[0] in INDUSTRIAL_SECTIONS


def section_name(code: str) -> str:
    return SECTIONS.get((code or " ")[0], (0, 0, ""))[2]
