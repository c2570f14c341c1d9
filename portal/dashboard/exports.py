"""The dashboard's tables as an Excel workbook (formula-escaped by portal.excel)."""

from django.utils.translation import gettext as _

from portal.excel import workbook_bytes


def figures_workbook(figures: dict, *, only: str | None = None, cover: list[tuple[str, str]] | None = None) -> bytes:
    """One sheet per section (or only the section `only`), preceded by a cover sheet when given."""
    sheets = []
    if cover:
        sheets.append((_("Briefing"), [_("Item"), _("Value")], [list(row) for row in cover]))
    for item in figures["sections"]:
        if only and item["key"] != only:
            continue
        sheets.append((item["title"], item["columns"], item["rows"]))
    return workbook_bytes(sheets)
