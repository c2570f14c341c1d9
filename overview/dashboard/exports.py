"""The dashboard's tables as an Excel workbook (formula-escaped by portal.excel)."""

from django.utils.translation import gettext as _

from portal.excel import workbook_bytes

__all__ = ["figures_workbook", "shortlist_workbook", "workbook_bytes"]


def figures_workbook(
    figures: dict,
    *,
    only: str | None = None,
    cover: list[tuple[str, str]] | None = None,
    headlines: list[str] | None = None,
) -> bytes:
    """One sheet per section (or only the section `only`), preceded by a cover sheet and the headlines when given."""
    sheets = []
    if cover:
        sheets.append((_("Briefing"), [_("Item"), _("Value")], [list(row) for row in cover]))
    if headlines:
        sheets.append((_("Headlines"), [_("Headlines")], [[sentence] for sentence in headlines]))
    for item in figures["sections"]:
        if only and item["key"] != only:
            continue
        sheets.append((item["title"], item["columns"], item["rows"]))
    return workbook_bytes(sheets)


def shortlist_workbook(shortlist) -> bytes:
    """The path's summary by source, then the shortlist of enterprises."""
    from overview.dashboard.paths import shortlist_columns

    target = shortlist.target
    summary = [
        [_("Target"), f"{target.label}（{target.year}）"],
        [_("Region"), target.region.name],
        [_("As of"), shortlist.as_of.isoformat()],
        [_("Current"), float(shortlist.current) if shortlist.current is not None else ""],
        [_("Target value"), float(target.value)],
    ]
    if shortlist.path is not None:
        summary += [
            [_("Still needed"), shortlist.path.needed],
            [_("Deadline"), shortlist.path.deadline.isoformat()],
            [_("Expected at the deadline"), float(shortlist.path.expected)],
        ]
        for line in shortlist.source_lines:
            rate = line["rate"]
            summary.append(
                [line["label"], line["count"], f"{rate.converted}/{rate.basis}" if rate.basis else _("No history")]
            )
    summary += [[_("Lead unit"), "、".join(link.department.name for link in shortlist.lead_units)]]
    return workbook_bytes(
        [
            (_("Path"), [_("Item"), _("Value"), _("Conversion")], summary),
            (_("Shortlist"), shortlist_columns(), [row.cells() for row in shortlist.rows]),
        ]
    )
