"""What a page must never show: raw identifiers, Python reprs and English on a Chinese page.

Only the text a person reads is checked: tags, attributes, scripts, styles and the
contents of text areas (what a user typed) are left out.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

SKIPPED_TAGS = frozenset({"script", "style", "template", "textarea", "svg"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

SNAKE_CASE = re.compile(r"(?<![\w./:@#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
PYTHON_REPR = re.compile(r"(?<![\w-])(?:True|False|None)(?![\w-])|object at 0x|<QuerySet|\{'|'\}|\[\]|\{\}")
ENGLISH_WORD = re.compile(r"(?<![\w./:@#%&=?-])[A-Za-z][a-z]{2,}(?:[ '-][A-Za-z][a-z]+)*(?![\w@])")
# File names, addresses and e-mails are data, not words of the interface.
NOT_WORDS = re.compile(r"\S+\.(?:xlsx|xls|csv|pdf|txt|docx?)\b|https?://\S+|\S+@\S+|/[\w/.-]+")

# Words a Chinese page may show in Latin letters: names of formats, products and standards.
ALLOWED_WORDS = frozenset(
    {
        "Excel",
        "xlsx",
        "csv",
        "pdf",
        "PDF",
        "API",
        "OpenAPI",
        "Token",
        "Swagger",
        "ReDoc",
        "Redoc",
        "ECharts",
        "Django",
        "English",
        "Word",
        "PNG",
        "JPEG",
    }
)

# Django's admin ships these untranslated in zh-hans (screen-reader captions of the index);
# codes such as "tech-sme" are data an administrator edits there.
ADMIN_CHROME = frozenset({"Model name", "Add link", "Change or view list link", "Control", "Mac", "Command"})
# Stored data an administrator edits there: codes ("tech-sme"), JSON values, job kinds and
# origins ("tiers.jobs.recompute_all", "command:load_demo"), and the permission names
# Django writes in English when it migrates ("Can add tier").
ADMIN_DATA = re.compile(
    r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])"
    r"|\{[^\n]*\}"
    r"|(?<![\w.])[a-z_]+(?:\.[a-z_0-9]+)+(?:#\d+)?"
    r"|(?<![\w:])[a-z_]+:[\w.#-]+"
    r"|Can (?:add|change|delete|view) [^\n|]+"
    # django-otp's device admin (two-factor devices) writes its labels in English without gettext.
    r"|(?i:(?:static|totp) (?:device|token)s?|otp_(?:static|totp)|search by user's"
    r"|(?<=以 )(?:created at|last used at|confirmed)|(?:static|totp) devices?)"
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    context: str

    def __str__(self) -> str:
        return f"{self.kind} «{self.text}» in «…{self.context}…»"


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "hx-get"):
            if values.get(name):
                self.links.append(values[name])
        if tag in SKIPPED_TAGS:
            self._skipping.append(tag)
        elif tag not in VOID_TAGS and tag in {"p", "div", "td", "th", "li", "option", "h1", "h2", "h3", "h4", "h5"}:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        elif tag in {"p", "div", "td", "th", "li", "option", "dt", "dd", "span", "a", "button", "label"}:
            self.chunks.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data)


def parse(html: str) -> tuple[str, list[str]]:
    """(visible text, links from href and hx-get) of an HTML page."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.chunks))
    return re.sub(r"\s*\n\s*", "\n", text), parser.links


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 30) : end + 30].replace("\n", " ⏎ ")


def check_text(
    text: str, *, chinese: bool = True, allowed: frozenset[str] = frozenset(), admin: bool = False
) -> list[Finding]:
    """Findings in a page's visible text; `allowed` holds words a page may show (usernames)."""
    if admin:
        allowed = allowed | ADMIN_CHROME
        text = ADMIN_DATA.sub(" ", text)
    findings = []
    for match in SNAKE_CASE.finditer(text):
        if match.group() not in allowed:
            findings.append(Finding("raw identifier", match.group(), _context(text, *match.span())))
    for match in PYTHON_REPR.finditer(text):
        findings.append(Finding("Python value", match.group(), _context(text, *match.span())))
    if chinese:
        text = NOT_WORDS.sub(" ", text)
        for match in ENGLISH_WORD.finditer(text):
            words = match.group()
            if words in allowed or all(word in ALLOWED_WORDS for word in re.split(r"[ '-]", words)):
                continue
            if SNAKE_CASE.fullmatch(words) or words in {"True", "False", "None"}:
                continue
            findings.append(Finding("English text", words, _context(text, *match.span())))
    return findings


def check_html(
    html: str, *, chinese: bool = True, allowed: frozenset[str] = frozenset(), admin: bool = False
) -> list[Finding]:
    return check_text(parse(html)[0], chinese=chinese, allowed=allowed, admin=admin)
