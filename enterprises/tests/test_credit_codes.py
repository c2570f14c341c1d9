"""统一社会信用代码 and GB/T 4754 industry codes (criteria.md §9, §10)."""

import pytest
from django.utils.translation import gettext as _

from enterprises import credit_codes, industries, services
from portal.exceptions import ServiceError

# Real early pilot-area codes whose check character fails the GB 32100 algorithm (criteria.md §9).
REAL_FAILING_CODES = ["91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P"]


def test_check_character_matches_the_reference_vectors():
    """The algorithm gives the check characters criteria.md §9 computed for the three pilot codes."""
    assert [credit_codes.check_character(code[:17]) for code in REAL_FAILING_CODES] == ["1", "R", "J"]


def test_a_completed_code_is_well_formed_and_valid():
    code = credit_codes.with_check_character("91640500MA76XK2P2")
    parsed = credit_codes.parse(code)
    assert parsed.is_well_formed and parsed.has_valid_check
    assert len(code) == 18


@pytest.mark.parametrize(
    "raw",
    [
        "９１６４０５００ＭＡ７６ＸＫ２Ｐ２{check}",  # full-width, as pasted from a Word document
        "9164 0500 MA76 XK2P 2{check}",
        "91640500ma76xk2p2{check}",
        " 91640500-MA76XK2P2{check}\t",
    ],
)
def test_normalisation_recovers_the_code(raw):
    """Full-width characters, spaces, dashes and lower case all normalise to the canonical code."""
    code = credit_codes.with_check_character("91640500MA76XK2P2")
    parsed = credit_codes.parse(raw.format(check=code[17].lower() if "ma76" in raw else code[17]))
    assert parsed.value == code
    assert parsed.has_valid_check


@pytest.mark.parametrize(
    "raw",
    [
        "91640500MA76XK2P",  # 16 characters
        "91640500MA76XK2P2XX",  # 19 characters
        "91640500MA76XK2O21",  # O is not in the character set
        "9164050IMA76XK2P21",  # a letter inside the region digits
        "",
    ],
)
def test_malformed_codes_are_refused_with_a_clear_message(raw):
    with pytest.raises(ServiceError) as caught:
        services.clean_credit_code(raw)
    assert caught.value.code == "credit_code"
    assert caught.value.message == services.malformed_credit_code_message(credit_codes.normalise(raw) or raw)
    assert "统一社会信用代码" in caught.value.message


@pytest.mark.parametrize("code", REAL_FAILING_CODES)
def test_real_codes_failing_the_check_character_are_kept_but_flagged(code):
    """Some early real codes fail the checksum: they are stored, marked for review, not refused."""
    assert services.clean_credit_code(code) == (code, True)


def test_a_valid_code_is_not_flagged():
    code = credit_codes.with_check_character("91640500MA76XK2P2")
    assert services.clean_credit_code(code.lower()) == (code, False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C13", "C13"),  # first manufacturing division
        ("C4390", "C4390"),  # last manufacturing division
        ("c3911", "C3911"),
        ("3911", "C3911"),  # section inferred from the division
        ("1310", "C1310"),
        ("I65", "I65"),
        ("B0610", "B0610"),
        ("C", "C"),
    ],
)
def test_valid_industry_codes(raw, expected):
    assert industries.validate(raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("C12", "Division %(division)s does not belong to section %(section)s (%(first)02d–%(last)02d)."),
        ("C44", "Division %(division)s does not belong to section %(section)s (%(first)02d–%(last)02d)."),
        ("C1", "Industry code must be a GB/T 4754 section letter followed by 2–4 digits, e.g. C3911."),
        ("Z11", "Industry code must be a GB/T 4754 section letter followed by 2–4 digits, e.g. C3911."),
        ("C39111", "Industry code must be a GB/T 4754 section letter followed by 2–4 digits, e.g. C3911."),
    ],
)
def test_invalid_industry_codes_are_refused_with_a_reason(raw, message):
    code, error = industries.validate(raw)
    params = {"division": code[1:3], "section": "C", "first": 13, "last": 43}
    assert error == _(message) % params if "%(" in message else error == _(message)


@pytest.mark.parametrize(
    ("code", "is_manufacturing"),
    [("C1300", True), ("C4390", True), ("B1200", False), ("D4411", False), ("", False)],
)
def test_manufacturing_is_section_c_divisions_13_to_43(code, is_manufacturing):
    assert industries.is_manufacturing(code) is is_manufacturing
