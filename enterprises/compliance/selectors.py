"""Reads of compliance records and imports, scoped to the user's region."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from enterprises.compliance import messages
from enterprises.compliance.models import ComplianceCoverage, ComplianceImport, ComplianceRecord
from enterprises.models import Enterprise
from portal.models import Region, User
from portal.selectors import regions_visible_to, scope_filter


def compliance_records_visible_to(user: User) -> QuerySet[ComplianceRecord]:
    return ComplianceRecord.objects.filter(scope_filter(user, "enterprise__region")).select_related(
        "enterprise__region"
    )


def compliance_history(enterprise: Enterprise) -> QuerySet[ComplianceRecord]:
    return ComplianceRecord.objects.filter(enterprise=enterprise).order_by("-listed_on", "-pk")


def veto_records(enterprise: Enterprise, *, on: datetime.date) -> list[ComplianceRecord]:
    """Records that fail a tier's compliance condition somewhere: a listing in force within the
    last three years, or a major penalty decided within them (the widest window the criteria use)."""
    # 29 February has no match three years back; the 28th is the window's first day then.
    start = on.replace(year=on.year - 3, day=min(on.day, 28) if on.month == 2 else on.day)
    listings = Q(removed_on__isnull=True) | Q(removed_on__gte=start)
    penalty = Q(kind=ComplianceRecord.Kind.PENALTY, is_major=True, listed_on__gte=start)
    return list(
        compliance_history(enterprise)
        .filter(listed_on__lte=on)
        .filter((~Q(kind=ComplianceRecord.Kind.PENALTY) & listings) | penalty)
    )


def compliance_record_detail(user: User, pk: int) -> ComplianceRecord | None:
    return compliance_records_visible_to(user).filter(pk=pk).first()


def compliance_imports_visible_to(user: User) -> QuerySet[ComplianceImport]:
    return (
        ComplianceImport.objects.filter(scope_filter(user, "region"))
        .select_related("region", "created_by", "committed_by")
        .defer("report")
    )


def compliance_import_detail(user: User, pk: int) -> ComplianceImport | None:
    return ComplianceImport.objects.filter(scope_filter(user, "region")).select_related("region").filter(pk=pk).first()


def coverage_for(enterprise: Enterprise) -> ComplianceCoverage | None:
    """The import that covers the enterprise's region (its own or one above it), newest first."""
    path = enterprise.region.path
    prefixes = [path[: index + 1] for index, char in enumerate(path) if char == "."]
    return (
        ComplianceCoverage.objects.filter(region__path__in=prefixes)
        .select_related("region")
        .order_by("-imported_at")
        .first()
    )


def coverage_visible_to(user: User) -> QuerySet[ComplianceCoverage]:
    return (
        ComplianceCoverage.objects.filter(region__in=regions_visible_to(user))
        .select_related("region", "imported_by")
        .order_by("region__path")
    )


def import_regions_for(user: User) -> QuerySet[Region]:
    return regions_visible_to(user).order_by("path")


def report_rows(compliance_import: ComplianceImport, action: str = "") -> list[dict]:
    """The dry run's rows with their messages in the reader's language."""
    rows = compliance_import.report.get("rows", [])
    if action:
        rows = [row for row in rows if row["action"] == action]
    return [
        {
            **row,
            "kind_text": record_text(row.get("record") or {}),
            "error_texts": [messages.render(error) for error in row.get("errors", ())],
            "warning_texts": [messages.render(warning) for warning in row.get("warnings", ())],
        }
        for row in rows
    ]


def record_text(record: dict) -> str:
    """“行政处罚（安全·重大）” for a dry-run row's record."""
    if record.get("kind") not in ComplianceRecord.Kind.values:
        return ""
    text = str(ComplianceRecord.Kind(record["kind"]).label)
    if record.get("category"):
        major = "·" + str(_("major")) if record.get("is_major") else ""
        text += f"（{ComplianceRecord.Category(record['category']).label}{major}）"
    return text


def report_problems(compliance_import: ComplianceImport) -> list[str]:
    return [messages.render(problem) for problem in compliance_import.report.get("problems", ())]
