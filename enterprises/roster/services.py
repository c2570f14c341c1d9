"""Writes of the roster importer: upload, dry run, commit.

A small file is analysed and committed inside the request; a large one
(more than INLINE_ROW_LIMIT rows) is handed to a background job, and the page
polls its progress.
"""

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from enterprises.models import RosterImport, RosterImportRow
from enterprises.roster import committer, messages
from enterprises.roster import periods as scale_periods
from enterprises.roster.analysis import RosterChoices, iter_analysis
from enterprises.roster.committer import write_outcome_batches
from enterprises.roster.compare import compare_with_register
from enterprises.roster.errors import RosterRefused
from enterprises.roster.reading import SheetStream, check_upload_size, open_sheet, read_sheet
from enterprises.roster.rows import RowPlan
from enterprises.roster.sql import insert_rows
from portal.audit import audit_origin, record_event
from portal.bulk import fewer_collections
from portal.models import AuditEvent, Region, User
from portal.services import is_transient, queue_job

logger = logging.getLogger(__name__)

INLINE_ROW_LIMIT = 500
ANALYSE_JOB = "enterprises.jobs.analyse_roster"
COMMIT_JOB = "enterprises.jobs.commit_roster"
Progress = Callable[[int, int], None] | None


def upload_roster(*, actor: User, file_name: str, data: bytes, choices: RosterChoices | None = None) -> RosterImport:
    """Store the file and run the dry run: inline when small, else as a background job.

    Hostile or unreadable files are refused before anything is stored; the refusal is audited.
    The file is parsed once, where its dry run runs: its size is estimated without parsing it.
    `choices` give the tier and year of a roster whose title does not say them.
    """
    with _refusal_audited(actor=actor, file_name=file_name):
        check_upload_size(len(data))
        stream = open_sheet(data, file_name=file_name)
    choices = choices or RosterChoices()
    roster_import = RosterImport(
        created_by=actor,
        region=actor.region,
        file_name=file_name[:255],
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        total_rows=stream.estimated_rows,
        report={"choices": {"tier_code": choices.tier_code, "year": choices.year}},
    )
    is_inline = stream.estimated_rows <= INLINE_ROW_LIMIT
    if is_inline:
        # A small file is parsed before it is stored, so an unreadable one leaves nothing behind.
        with _refusal_audited(actor=actor, file_name=file_name):
            sheet = read_sheet(data, file_name=file_name)
        stream = SheetStream(sheet.format, iter(sheet.rows), sheet.warnings, len(sheet.rows))
        roster_import.total_rows = len(sheet.rows)
    roster_import.file.save(file_name, ContentFile(data), save=False)
    roster_import.save()
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=roster_import,
        region=roster_import.region,
        changes={
            "file_name": roster_import.file_name,
            "file_size": len(data),
            "rows": roster_import.total_rows,
            "sha256": roster_import.sha256,
        },
    )
    if is_inline:
        _analyse(roster_import, stream=stream, progress=None)
    else:
        with transaction.atomic():
            roster_import.job = queue_job(
                kind=ANALYSE_JOB,
                actor=actor,
                params={"roster_import_id": roster_import.pk},
                total=stream.estimated_rows,
            )
            roster_import.save(update_fields=["job"])
    return roster_import


@contextmanager
def _refusal_audited(*, actor: User, file_name: str) -> Iterator[None]:
    """A file refused before it is stored is still audited: who tried which file, and why it was refused."""
    try:
        yield
    except RosterRefused as refusal:
        _audit_refusal(
            actor=actor, roster_import=RosterImport(region=actor.region, file_name=file_name), refusal=refusal
        )
        raise


def analyse_roster_import(*, roster_import_id: int, progress: Progress = None) -> dict[str, Any]:
    """The dry run of a stored file (the background job's body)."""
    roster_import = RosterImport.objects.select_related("created_by").get(pk=roster_import_id)
    if roster_import.status != RosterImport.Status.ANALYSING:
        return {"status": roster_import.status}
    with roster_import.file.open("rb") as stored:
        data = stored.read()
    try:
        stream = open_sheet(data, file_name=roster_import.file_name)
    except RosterRefused as refusal:
        _refuse(roster_import, refusal)
        return {"status": roster_import.status}
    _analyse(roster_import, stream=stream, progress=progress)
    return {"status": roster_import.status, "redirect": reverse("enterprises:roster-detail", args=[roster_import.pk])}


def _refuse(roster_import: RosterImport, refusal: RosterRefused) -> None:
    roster_import.status = RosterImport.Status.REFUSED
    roster_import.error = refusal.as_message()
    roster_import.save(update_fields=["status", "error"])
    _audit_refusal(actor=roster_import.created_by, roster_import=roster_import, refusal=refusal)


def _audit_refusal(*, actor: User | None, roster_import: RosterImport, refusal: RosterRefused) -> None:
    record_event(
        actor=actor,
        action=AuditEvent.Action.REFUSE,
        instance=roster_import,
        region=roster_import.region,
        changes={"file_name": roster_import.file_name, "refusal": refusal.as_message()},
        note=refusal.message,
    )


@fewer_collections()
def _analyse(roster_import: RosterImport, *, stream: SheetStream, progress: Progress) -> None:
    """Parse, compare and write the report's rows a chunk at a time: memory stays flat whatever the file's size."""
    actor = roster_import.created_by
    choices = RosterChoices(**roster_import.report.get("choices", {}))
    counts = {action: 0 for action in ("create", "update", "unchanged", "reject")}
    warning_rows = 0
    try:
        with transaction.atomic():
            RosterImportRow.objects.filter(roster_import=roster_import).delete()  # a resent job starts again
            analysis, chunks = iter_analysis(
                stream.rows,
                actor=actor,
                choices=choices,
                warnings=stream.warnings,
                progress=progress,
                total=stream.estimated_rows,
            )
            labels = {key: cell.text for key, cell in analysis.header.mapped.items()}
            region_names = {pk: region.name for pk, region in analysis.resolver.regions.items()}
            for plans, rejected in chunks:
                outcomes = compare_with_register(plans, actor=actor, labels=labels, region_names=region_names)
                rows = rejected + [_row_report(outcome) for outcome in outcomes]
                rows.sort(key=lambda row: row["row"])
                report = []
                for row in rows:
                    counts[row["action"]] += 1
                    warning_rows += bool(row.get("warnings"))
                    position = (
                        sum(counts.values()),
                        counts[row["action"]],
                        warning_rows if row.get("warnings") else None,
                    )
                    report.append(_report_row(roster_import.pk, row, position))
                insert_rows(RosterImportRow, rows=report)
    except RosterRefused as refusal:
        _refuse(roster_import, refusal)
        return
    roster_import.report = {
        **roster_import.report,
        "format": stream.format,
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
        "year_source": analysis.year_source,
        "warnings": analysis.warnings,
        "warning_rows": warning_rows,
    }
    roster_import.total_rows = sum(counts.values())
    roster_import.created_count = counts["create"]
    roster_import.updated_count = counts["update"]
    roster_import.unchanged_count = counts["unchanged"]
    roster_import.rejected_count = counts["reject"]
    roster_import.status = RosterImport.Status.ANALYSED
    roster_import.save()
    _refresh_statistics()


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see the report's new rows at once, as autovacuum would minutes later.

    Without it a freshly written report of 50,000 rows is planned as a few rows: every page
    sorts the whole report instead of walking the (import, row) index.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {RosterImportRow._meta.db_table}")


REPORT_DETAIL_KEYS = ("errors", "warnings", "changes", "recognition", "scale", "plan", "raw")


def _report_row(roster_import_id: int, row: dict[str, Any], position: tuple[int, int, int | None]) -> dict[str, Any]:
    return {
        "roster_import_id": roster_import_id,
        "row": row["row"],
        "action": row["action"],
        "has_warnings": bool(row.get("warnings")),
        "position": position[0],
        "action_position": position[1],
        "warning_position": position[2],
        "credit_code": (row.get("credit_code") or "")[:64],
        "name": (row.get("name") or "")[:255],
        "detail": {key: row[key] for key in REPORT_DETAIL_KEYS if row.get(key)},
    }


def _row_report(outcome) -> dict[str, Any]:
    plan: RowPlan = outcome.plan
    report = {
        "row": plan.row,
        "action": outcome.action,
        "credit_code": plan.credit_code,
        "name": plan.enterprise.get("name") or (outcome.existing or {}).get("name", ""),
        "warnings": plan.warnings,
    }
    if outcome.errors:
        report["errors"] = outcome.errors
        report["action"] = "reject"
    elif outcome.action in ("create", "update"):
        report["plan"] = plan.to_json()
    if outcome.action == "update":
        report["changes"] = {**outcome.enterprise_changes, **outcome.indicator_changes}
        if outcome.is_new_recognition:
            report["changes"]["recognition"] = [None, _recognition_text(plan)]
    elif outcome.action == "create" and plan.recognition:
        report["recognition"] = _recognition_text(plan)
    if outcome.scale_change and not outcome.errors:
        report["scale"] = scale_periods.report(outcome.scale_change)
    return report


def _recognition_text(plan: RowPlan) -> str:
    recognition = plan.recognition
    if recognition is None:
        return ""
    return f"{recognition['tier_code']} {recognition['recognized_on']} {recognition['batch']}".strip()


def commit_roster(*, actor: User, roster_import: RosterImport) -> RosterImport:
    """Commit inline when small, else queue the commit job. Refused unless the dry run is ready; both audited."""
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if roster_import.status == RosterImport.Status.ANALYSED and not roster_import.can_be_committed:
            raise RosterRefused("nothing_to_change")
        refused = None
        if not roster_import.can_be_committed:
            # Audited in this transaction, which must therefore end normally; raised below.
            refused = RosterRefused("not_ready", status=roster_import.get_status_display())
            _audit_refusal(actor=actor, roster_import=roster_import, refusal=refused)
        else:
            roster_import.status = RosterImport.Status.COMMITTING
            roster_import.committed_by = actor
            to_write = roster_import.created_count + roster_import.updated_count
            is_background = to_write > INLINE_ROW_LIMIT
            if is_background:
                roster_import.job = queue_job(
                    kind=COMMIT_JOB, actor=actor, params={"roster_import_id": roster_import.pk}, total=to_write
                )
            roster_import.save(update_fields=["status", "committed_by", "job"])
            record_event(
                actor=actor,
                action=AuditEvent.Action.TRANSITION,
                instance=roster_import,
                region=roster_import.region,
                changes={"status": [RosterImport.Status.ANALYSED, RosterImport.Status.COMMITTING]},
                note="commit",
            )
    if refused is not None:
        raise refused
    if not is_background:
        try:
            run_roster_commit(roster_import_id=roster_import.pk)
        except DatabaseError as error:
            # Inside a request nobody retries: the user is told, and may commit again.
            raise _database_failure(roster_import.pk) from error
    return RosterImport.objects.get(pk=roster_import.pk)


@fewer_collections()
def run_roster_commit(*, roster_import_id: int, progress: Progress = None) -> dict[str, Any]:
    """Write the dry run's accepted rows in one transaction, measured against the register as it is now."""
    roster_import = RosterImport.objects.select_related("committed_by", "created_by").get(pk=roster_import_id)
    if roster_import.status != RosterImport.Status.COMMITTING:
        return {"status": roster_import.status}
    actor = roster_import.committed_by or roster_import.created_by
    labels = roster_import.report.get("labels", {})
    region_names = dict(Region.objects.values_list("pk", "name"))

    def batches():
        # The accepted rows a chunk at a time, each measured again against the register as it is
        # now, its rows locked: what is written is never what the register was at dry-run time.
        for plans in _accepted_plans(roster_import.pk):
            outcomes = compare_with_register(plans, actor=actor, labels=labels, region_names=region_names, lock=True)
            yield [outcome for outcome in outcomes if outcome.action != "reject"]

    try:
        with audit_origin(f"import:{roster_import.pk}"), transaction.atomic():
            counts = write_outcome_batches(
                batches(),
                actor=actor,
                roster_import_id=roster_import.pk,
                region_names=region_names,
                progress=progress,
                total=roster_import.created_count + roster_import.updated_count,
            )
            RosterImport.objects.filter(pk=roster_import.pk).update(
                status=RosterImport.Status.COMMITTED,
                committed_at=timezone.now(),
                created_count=counts.created,
                updated_count=counts.updated,
                recognition_count=counts.recognitions,
            )
    except DatabaseError as error:
        if is_transient(error):
            # Rolled back whole; the job runs the commit again (portal.services.run_job).
            raise
        raise _database_failure(roster_import.pk) from error
    return {
        "status": RosterImport.Status.COMMITTED,
        "created": counts.created,
        "updated": counts.updated,
        "recognitions": counts.recognitions,
        "redirect": reverse("enterprises:roster-detail", args=[roster_import.pk]),
    }


def _database_failure(roster_import_id: int) -> RosterRefused:
    # The database's own words are for the log; the person reads what happened and what to do.
    logger.exception("roster import %s: commit failed", roster_import_id)
    RosterImport.objects.filter(pk=roster_import_id, status=RosterImport.Status.COMMITTING).update(
        status=RosterImport.Status.FAILED, error={"code": "commit_failed_database"}
    )
    return RosterRefused("commit_failed_database")


def fail_roster_commit(*, roster_import_id: int, detail: str) -> None:
    """The commit is given up (nothing was written); the import says why."""
    RosterImport.objects.filter(pk=roster_import_id, status=RosterImport.Status.COMMITTING).update(
        status=RosterImport.Status.FAILED, error={"code": "commit_failed", "params": {"detail": detail[:300]}}
    )


def _accepted_plans(roster_import_id: int):
    """The dry run's rows to create or update, in sheet order, a committer batch at a time (keyset paging)."""
    size = committer.BATCH_SIZE
    after = 0
    while True:
        page = list(
            RosterImportRow.objects.filter(
                roster_import_id=roster_import_id, action__in=("create", "update"), position__gt=after
            )
            .order_by("position")
            .values_list("position", "detail")[:size]
        )
        if not page:
            return
        after = page[-1][0]
        yield [RowPlan.from_json(detail["plan"]) for _position, detail in page]


def refusal_text(roster_import: RosterImport) -> str:
    return messages.render(roster_import.error) if roster_import.error else ""


__all__ = ["analyse_roster_import", "commit_roster", "run_roster_commit", "upload_roster"]
