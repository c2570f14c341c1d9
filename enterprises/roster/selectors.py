"""Reads of roster imports, scoped like everything else, and the report as pages show it."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from enterprises.models import RosterImport, RosterImportRow
from enterprises.roster import messages
from enterprises.roster.headers import BY_KEY
from portal.models import User
from portal.selectors import scope_filter

ACTIONS = ("create", "update", "unchanged", "reject")


def roster_imports_visible_to(user: User) -> QuerySet[RosterImport]:
    """Imports made in the user's region or below; the whole-country scope sees all of them."""
    qs = RosterImport.objects.select_related("created_by", "region", "job")
    if user.scope_path == "":
        return qs
    return qs.filter(scope_filter(user))


def roster_import_list(user: User) -> QuerySet[RosterImport]:
    return roster_imports_visible_to(user)


def field_label(key: str) -> str:
    if key in BY_KEY:
        return BY_KEY[key].label
    return {"is_credit_code_flagged": _("credit code flagged"), "recognition": _("recognition")}.get(key, key)


def present_row(row: RosterImportRow) -> dict[str, Any]:
    """A report row with its messages rendered in the active language."""
    detail = row.detail
    return {
        "row": row.row,
        "action": row.action,
        "credit_code": row.credit_code,
        "name": row.name,
        "errors": [messages.render(error) for error in detail.get("errors", [])],
        "warnings": [messages.render(warning) for warning in detail.get("warnings", [])],
        "changes": [(field_label(key), before, after) for key, (before, after) in detail.get("changes", {}).items()],
        "recognition": detail.get("recognition", ""),
        "scale": messages.render(detail["scale"]) if detail.get("scale") else "",
    }


def report_rows(roster_import: RosterImport, action: str = "") -> QuerySet[RosterImportRow]:
    """The dry run's rows in sheet order; `action` keeps one outcome, or "warning" the rows with warnings."""
    rows = RosterImportRow.objects.filter(roster_import=roster_import)
    if action == "warning":
        return rows.filter(warning_position__isnull=False).order_by("warning_position")
    if action in ACTIONS:
        return rows.filter(action=action).order_by("action_position")
    return rows.order_by("position")


class _ReportSlice:
    """The rows of one tab as the Paginator reads them: a page is a range of the tab's dense position,
    served by an index range scan whatever page is opened (no OFFSET walking the rows before it)."""

    def __init__(self, roster_import: RosterImport, action: str) -> None:
        self.rows = report_rows(roster_import, action)
        self.field = {"warning": "warning_position", **dict.fromkeys(ACTIONS, "action_position")}.get(
            action, "position"
        )
        self.count = report_row_count(roster_import, action)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, page: slice) -> list[RosterImportRow]:
        return list(self.rows.filter(**{f"{self.field}__gt": page.start, f"{self.field}__lte": page.stop}))


def report_page(roster_import: RosterImport, action: str, number: Any, per_page: int) -> tuple[Any, list]:
    """One page of `report_rows`: the Paginator's page and its rows."""
    # The stubs' protocol wants a sequence indexable by position; Paginator only ever slices.
    paginator: Paginator[RosterImportRow] = Paginator(_ReportSlice(roster_import, action), per_page)  # type: ignore[arg-type]
    page = paginator.get_page(number)
    return page, list(page.object_list)


def report_row_count(roster_import: RosterImport, action: str = "") -> int:
    """How many rows `report_rows` holds, from the import's own counts where they say it."""
    counts = {
        "": roster_import.created_count
        + roster_import.updated_count
        + roster_import.unchanged_count
        + roster_import.rejected_count,
        "create": roster_import.created_count,
        "update": roster_import.updated_count,
        "unchanged": roster_import.unchanged_count,
        "reject": roster_import.rejected_count,
        "warning": roster_import.report.get("warning_rows", 0),
    }
    if roster_import.status == RosterImport.Status.ANALYSED and action in counts:
        return counts[action]
    return report_rows(roster_import, action).count()


def year_source_text(roster_import: RosterImport) -> str:
    """Where the indicator year shown on the dry run comes from, in words."""
    return {
        "title": _("from the title"),
        "chosen": _("chosen at upload"),
        "header": _("from the column headers"),
        "column": _("from the year column, row by row"),
        "default": _("last year, as none was given"),
    }.get(roster_import.report.get("year_source", ""), "")


def file_warnings(roster_import: RosterImport) -> list[str]:
    return [messages.render(warning) for warning in roster_import.report.get("warnings", [])]


def rejected_sheet(roster_import: RosterImport) -> tuple[list[str], list[list[Any]]]:
    """The rejected rows as the file had them, with the row number and the reasons appended."""
    header = list(roster_import.report.get("header", []))
    width = len(header)
    rows = []
    for row in report_rows(roster_import, "reject").iterator(chunk_size=2000):
        raw = list(row.detail.get("raw") or [row.name, row.credit_code])
        raw = (raw + [""] * width)[:width] if width else raw
        reasons = "；".join(messages.render(error) for error in row.detail.get("errors", []))
        rows.append([*raw, row.row, reasons])
    return [*header, messages.text("column_row"), messages.text("column_error")], rows
