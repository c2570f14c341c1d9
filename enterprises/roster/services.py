"""Writes of the roster importer: upload, dry run, commit.

A small file is analysed and committed inside the request; a large one
(more than INLINE_ROW_LIMIT rows) is handed to a background job, and the page
polls its progress.
"""

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from enterprises.models import RosterImport
from enterprises.roster import messages
from enterprises.roster.analysis import RowPlan, analyse_rows
from enterprises.roster.committer import write_outcomes
from enterprises.roster.compare import compare_with_register
from enterprises.roster.errors import RosterRefused
from enterprises.roster.reading import check_upload_size, read_sheet
from portal.audit import audit_origin
from portal.models import Region, User
from portal.services import queue_job

logger = logging.getLogger(__name__)

INLINE_ROW_LIMIT = 500
ANALYSE_JOB = "enterprises.jobs.analyse_roster"
COMMIT_JOB = "enterprises.jobs.commit_roster"
Progress = Callable[[int, int], None] | None


def upload_roster(*, actor: User, file_name: str, data: bytes) -> RosterImport:
    """Store the file and run the dry run: inline when small, else as a background job.

    Hostile or unreadable files are refused before anything is stored.
    """
    check_upload_size(len(data))
    sheet = read_sheet(data, file_name=file_name)
    digest = hashlib.sha256(data).hexdigest()
    roster_import = RosterImport(
        created_by=actor,
        region=actor.region,
        file_name=file_name[:255],
        file_size=len(data),
        sha256=digest,
        total_rows=len(sheet.rows),
    )
    roster_import.file.save(file_name, ContentFile(data), save=False)
    roster_import.save()
    if len(sheet.rows) <= INLINE_ROW_LIMIT:
        _analyse(roster_import, sheet=sheet, progress=None)
    else:
        with transaction.atomic():
            roster_import.job = queue_job(
                kind=ANALYSE_JOB, actor=actor, params={"roster_import_id": roster_import.pk}, total=len(sheet.rows)
            )
            roster_import.save(update_fields=["job"])
    return roster_import


def analyse_roster_import(*, roster_import_id: int, progress: Progress = None) -> dict[str, Any]:
    """The dry run of a stored file (the background job's body)."""
    roster_import = RosterImport.objects.select_related("created_by").get(pk=roster_import_id)
    if roster_import.status != RosterImport.Status.ANALYSING:
        return {"status": roster_import.status}
    with roster_import.file.open("rb") as stream:
        data = stream.read()
    try:
        sheet = read_sheet(data, file_name=roster_import.file_name)
    except RosterRefused as refusal:
        _refuse(roster_import, refusal)
        return {"status": roster_import.status}
    _analyse(roster_import, sheet=sheet, progress=progress)
    return {"status": roster_import.status, "redirect": reverse("enterprises:roster-detail", args=[roster_import.pk])}


def _refuse(roster_import: RosterImport, refusal: RosterRefused) -> None:
    roster_import.status = RosterImport.Status.REFUSED
    roster_import.error = refusal.as_message()
    roster_import.save(update_fields=["status", "error"])


def _analyse(roster_import: RosterImport, *, sheet, progress: Progress) -> None:
    actor = roster_import.created_by
    try:
        analysis = analyse_rows(sheet, actor=actor, progress=progress)
    except RosterRefused as refusal:
        _refuse(roster_import, refusal)
        return
    region_names = {pk: region.name for pk, region in analysis.resolver.regions.items()}
    labels = {key: cell.text for key, cell in analysis.header.mapped.items()}
    outcomes = compare_with_register(analysis.plans, actor=actor, labels=labels, region_names=region_names)
    rows = analysis.rejected + [_row_report(outcome) for outcome in outcomes]
    rows.sort(key=lambda row: row["row"])
    counts = {action: 0 for action in ("create", "update", "unchanged", "reject")}
    for row in rows:
        counts[row["action"]] += 1
    roster_import.report = {
        "format": sheet.format,
        "header_row": analysis.header.row_index + 1,
        "mapping": analysis.mapping(),
        "header": [cell.text for cell in analysis.header.cells],
        "labels": labels,
        "ignored": analysis.header.ignored,
        "title": {
            "text": analysis.title.text,
            "tier_code": analysis.title.tier_code,
            "tier_name": analysis.tier.name if analysis.tier else "",
            "year": analysis.title.year,
            "batch": analysis.title.batch,
        },
        "indicator_year": analysis.indicator_year,
        "warnings": analysis.warnings,
        "warning_rows": sum(1 for row in rows if row.get("warnings")),
        "rows": rows,
    }
    roster_import.created_count = counts["create"]
    roster_import.updated_count = counts["update"]
    roster_import.unchanged_count = counts["unchanged"]
    roster_import.rejected_count = counts["reject"]
    roster_import.status = RosterImport.Status.ANALYSED
    roster_import.save()


def _row_report(outcome) -> dict[str, Any]:
    plan: RowPlan = outcome.plan
    report = {
        "row": plan.row,
        "action": outcome.action,
        "credit_code": plan.credit_code,
        "name": plan.enterprise.get("name") or (outcome.existing or {}).get("name", ""),
        "warnings": plan.warnings,
        "plan": plan.to_json(),
    }
    if outcome.errors:
        report["errors"] = outcome.errors
        report["action"] = "reject"
    if outcome.action == "update":
        report["changes"] = {**outcome.enterprise_changes, **outcome.indicator_changes}
        if outcome.is_new_recognition:
            report["changes"]["recognition"] = [None, _recognition_text(plan)]
    elif outcome.action == "create" and plan.recognition:
        report["recognition"] = _recognition_text(plan)
    return report


def _recognition_text(plan: RowPlan) -> str:
    recognition = plan.recognition
    return f"{recognition['tier_code']} {recognition['recognized_on']} {recognition['batch']}".strip()


def commit_roster(*, actor: User, roster_import: RosterImport) -> RosterImport:
    """Commit inline when small, else queue the commit job. Refused unless the dry run is ready."""
    with transaction.atomic():
        # The stored report can be megabytes of JSON; the commit reads it once, in run_roster_commit.
        roster_import = RosterImport.objects.select_for_update().defer("report").get(pk=roster_import.pk)
        if roster_import.status == RosterImport.Status.ANALYSED and not roster_import.can_be_committed:
            raise RosterRefused("nothing_to_change")
        if not roster_import.can_be_committed:
            raise RosterRefused("not_ready", status=roster_import.get_status_display())
        roster_import.status = RosterImport.Status.COMMITTING
        roster_import.committed_by = actor
        to_write = roster_import.created_count + roster_import.updated_count
        is_background = to_write > INLINE_ROW_LIMIT
        if is_background:
            roster_import.job = queue_job(
                kind=COMMIT_JOB, actor=actor, params={"roster_import_id": roster_import.pk}, total=to_write
            )
        roster_import.save(update_fields=["status", "committed_by", "job"])
    if not is_background:
        run_roster_commit(roster_import_id=roster_import.pk)
    return RosterImport.objects.defer("report").get(pk=roster_import.pk)


def run_roster_commit(*, roster_import_id: int, progress: Progress = None) -> dict[str, Any]:
    """Write the dry run's accepted rows in one transaction, measured against the register as it is now."""
    roster_import = RosterImport.objects.select_related("committed_by", "created_by").get(pk=roster_import_id)
    if roster_import.status != RosterImport.Status.COMMITTING:
        return {"status": roster_import.status}
    actor = roster_import.committed_by or roster_import.created_by
    report = roster_import.report
    plans = [RowPlan.from_json(row["plan"]) for row in report["rows"] if row["action"] in ("create", "update")]
    region_names = dict(Region.objects.values_list("pk", "name"))
    try:
        with audit_origin(f"import:{roster_import.pk}"), transaction.atomic():
            outcomes = compare_with_register(
                plans, actor=actor, labels=report.get("labels", {}), region_names=region_names, lock=True
            )
            accepted = [outcome for outcome in outcomes if outcome.action != "reject"]
            counts = write_outcomes(
                accepted,
                actor=actor,
                roster_import_id=roster_import.pk,
                region_names=region_names,
                progress=progress,
            )
            RosterImport.objects.filter(pk=roster_import.pk).update(
                status=RosterImport.Status.COMMITTED,
                committed_at=timezone.now(),
                created_count=counts.created,
                updated_count=counts.updated,
                recognition_count=counts.recognitions,
            )
    except DatabaseError as error:
        # The database's own words are for the log; the person reads what happened and what to do.
        logger.exception("roster import %s: commit failed", roster_import.pk)
        RosterImport.objects.filter(pk=roster_import.pk).update(
            status=RosterImport.Status.FAILED, error={"code": "commit_failed_database"}
        )
        raise RosterRefused("commit_failed_database") from error
    return {
        "status": RosterImport.Status.COMMITTED,
        "created": counts.created,
        "updated": counts.updated,
        "recognitions": counts.recognitions,
        "redirect": reverse("enterprises:roster-detail", args=[roster_import.pk]),
    }


def refusal_text(roster_import: RosterImport) -> str:
    return messages.render(roster_import.error) if roster_import.error else ""


__all__ = ["analyse_roster_import", "commit_roster", "run_roster_commit", "upload_roster"]
