"""Reads of roster imports, scoped like everything else, and the report as pages show it."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from enterprises.models import RosterImport
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
    return roster_imports_visible_to(user).defer("report")


def field_label(key: str) -> str:
    if key in BY_KEY:
        return BY_KEY[key].label
    return {"is_credit_code_flagged": _("credit code flagged"), "recognition": _("recognition")}.get(key, key)


def present_row(row: dict[str, Any]) -> dict[str, Any]:
    """A report row with its messages rendered in the active language."""
    return {
        "row": row["row"],
        "action": row["action"],
        "credit_code": row.get("credit_code", ""),
        "name": row.get("name", ""),
        "errors": [messages.render(error) for error in row.get("errors", [])],
        "warnings": [messages.render(warning) for warning in row.get("warnings", [])],
        "changes": [(field_label(key), before, after) for key, (before, after) in row.get("changes", {}).items()],
        "recognition": row.get("recognition", ""),
    }


def report_rows(roster_import: RosterImport, action: str = "") -> list[dict[str, Any]]:
    rows = roster_import.report.get("rows", [])
    if action == "warning":
        return [row for row in rows if row.get("warnings")]
    if action in ACTIONS:
        return [row for row in rows if row["action"] == action]
    return rows


def file_warnings(roster_import: RosterImport) -> list[str]:
    return [messages.render(warning) for warning in roster_import.report.get("warnings", [])]


def rejected_sheet(roster_import: RosterImport) -> tuple[list[str], list[list[Any]]]:
    """The rejected rows as the file had them, with the row number and the reasons appended."""
    header = list(roster_import.report.get("header", []))
    width = len(header)
    rows = []
    for row in report_rows(roster_import, "reject"):
        raw = list(row.get("raw") or [row.get("name", ""), row.get("credit_code", "")])
        raw = (raw + [""] * width)[:width] if width else raw
        reasons = "；".join(messages.render(error) for error in row.get("errors", []))
        rows.append([*raw, row["row"], reasons])
    return [*header, messages.text("column_row"), messages.text("column_error")], rows
