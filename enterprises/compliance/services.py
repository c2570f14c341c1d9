"""Writes of compliance records: by staff one at a time, or from a credit-information export.

Every write is audited and announces the changed enterprises, so eligibility
(the veto criteria) is recomputed. An import is all or nothing: a file with a
rejected row is not committed at all.
"""

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from enterprises.compliance import messages
from enterprises.compliance.analysis import analyse_sheet
from enterprises.compliance.models import ComplianceCoverage, ComplianceImport, ComplianceRecord
from enterprises.models import Enterprise
from enterprises.roster.reading import check_upload_size, read_sheet
from enterprises.services import _check_version, on_enterprises_changed
from portal.audit import audit_origin, audit_rows, diff, record_creation, record_event, snapshot, update_audited
from portal.exceptions import ServiceError
from portal.models import AuditEvent, Region, User
from portal.services import queue_job

INLINE_ROW_LIMIT = 500
COMMIT_JOB = "enterprises.jobs.commit_compliance"
RECORD_FIELDS = (
    "kind",
    "category",
    "is_major",
    "listed_on",
    "removed_on",
    "authority",
    "document_number",
    "reason",
)
Progress = Callable[[int, int], None] | None


class ComplianceRefused(ServiceError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(messages.text(code, **params), code=code)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """A penalty has a field and no removal; a listing has neither category nor severity."""
    if fields.get("kind") == ComplianceRecord.Kind.PENALTY:
        if not fields.get("category"):
            raise ComplianceRefused("penalty_category_missing")
        fields["removed_on"] = None
    elif "kind" in fields:
        fields["category"], fields["is_major"] = "", False
    listed, removed = fields.get("listed_on"), fields.get("removed_on")
    if listed and removed and removed < listed:
        raise ComplianceRefused("removed_before_listed", removed=removed.isoformat(), listed=listed.isoformat())
    return fields


@transaction.atomic
def record_compliance(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    listed_on: datetime.date,
    category: str = "",
    is_major: bool = False,
    removed_on: datetime.date | None = None,
    authority: str = "",
    document_number: str = "",
    reason: str = "",
) -> ComplianceRecord:
    """Enter one record by hand (a decision letter handed in, a notice seen)."""
    fields = _clean(
        {
            "kind": kind,
            "category": category,
            "is_major": is_major,
            "listed_on": listed_on,
            "removed_on": removed_on,
            "authority": authority.strip(),
            "document_number": document_number.strip(),
            "reason": reason.strip(),
        }
    )
    record = ComplianceRecord.objects.create(enterprise=enterprise, created_by=actor, **fields)
    record_creation(record, actor=actor, fields=RECORD_FIELDS, region=enterprise.region, note=str(enterprise))
    on_enterprises_changed(enterprise_ids=[enterprise.pk])
    return record


@transaction.atomic
def update_compliance_record(
    *, actor: User, record: ComplianceRecord, expected_version: int | None = None, **fields: Any
) -> ComplianceRecord:
    """Correct a record (most often: the date it was removed from a list); refused if saved in between."""
    record = ComplianceRecord.objects.select_for_update().select_related("enterprise__region").get(pk=record.pk)
    _check_version(record, expected_version)
    merged = _clean({**{name: getattr(record, name) for name in RECORD_FIELDS}, **fields})
    changes = update_audited(
        record,
        actor=actor,
        values=merged,
        fields=RECORD_FIELDS,
        region=record.enterprise.region,
        note=str(record.enterprise),
    )
    if not changes:
        return record
    on_enterprises_changed(enterprise_ids=[record.enterprise_id])
    return record


@transaction.atomic
def delete_compliance_record(*, actor: User, record: ComplianceRecord, expected_version: int | None = None) -> None:
    """Remove a record entered in error; the audit trail keeps what it said."""
    # Deleted by someone else since it was read: the same answer as an id that never was.
    record = get_object_or_404(
        ComplianceRecord.objects.select_for_update().select_related("enterprise__region"), pk=record.pk
    )
    _check_version(record, expected_version)
    record_event(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=record,
        region=record.enterprise.region,
        changes=diff(snapshot(record, RECORD_FIELDS), {}),
        note=str(record.enterprise),
    )
    enterprise_id = record.enterprise_id
    record.delete()
    on_enterprises_changed(enterprise_ids=[enterprise_id])


# --- imports -------------------------------------------------------------------------


def upload_compliance(*, actor: User, region: Region, file_name: str, data: bytes) -> ComplianceImport:
    """Store the file and run the dry run. Hostile or unreadable files are refused before anything is stored."""
    check_upload_size(len(data))
    sheet = read_sheet(data, file_name=file_name)
    rows, problems = analyse_sheet(sheet, region=region)
    counts = {action: 0 for action in ("create", "update", "unchanged", "reject")}
    for row in rows:
        counts[row["action"]] += 1
    compliance_import = ComplianceImport(
        created_by=actor,
        region=region,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        total_rows=len(rows),
        created_count=counts["create"],
        updated_count=counts["update"],
        unchanged_count=counts["unchanged"],
        rejected_count=counts["reject"],
        report={"format": sheet.format, "warnings": sheet.warnings, "problems": problems, "rows": rows},
    )
    if problems:
        compliance_import.status = ComplianceImport.Status.REFUSED
        compliance_import.error = messages.render(problems[0])[:500]
    compliance_import.file.save(file_name, ContentFile(data), save=False)
    compliance_import.save()
    return compliance_import


def commit_compliance_import(*, actor: User, compliance_import: ComplianceImport) -> ComplianceImport:
    """Commit inline when small, else queue the commit job. Refused unless every row passed the dry run."""
    with transaction.atomic():
        compliance_import = ComplianceImport.objects.select_for_update().get(pk=compliance_import.pk)
        if compliance_import.rejected_count:
            raise ComplianceRefused("has_rejected_rows", count=compliance_import.rejected_count)
        if compliance_import.status != ComplianceImport.Status.ANALYSED:
            raise ComplianceRefused("not_ready", status=compliance_import.get_status_display())
        compliance_import.status = ComplianceImport.Status.COMMITTING
        compliance_import.committed_by = actor
        is_background = compliance_import.total_rows > INLINE_ROW_LIMIT
        if is_background:
            compliance_import.job = queue_job(
                kind=COMMIT_JOB,
                actor=actor,
                params={"compliance_import_id": compliance_import.pk},
                total=compliance_import.total_rows,
            )
        compliance_import.save(update_fields=["status", "committed_by", "job"])
    if not is_background:
        run_compliance_commit(compliance_import_id=compliance_import.pk)
    return ComplianceImport.objects.get(pk=compliance_import.pk)


def run_compliance_commit(*, compliance_import_id: int, progress: Progress = None) -> dict[str, Any]:
    """Write the dry run's rows in one transaction and mark the region's compliance data as imported."""
    compliance_import = ComplianceImport.objects.select_related("region", "committed_by", "created_by").get(
        pk=compliance_import_id
    )
    if compliance_import.status != ComplianceImport.Status.COMMITTING:
        return {"status": compliance_import.status}
    actor = compliance_import.committed_by or compliance_import.created_by
    try:
        with audit_origin(f"compliance-import:{compliance_import.pk}"), transaction.atomic():
            counts = _write_rows(compliance_import, actor=actor)
            if progress:
                progress(compliance_import.total_rows, compliance_import.total_rows)
            ComplianceCoverage.objects.update_or_create(
                region=compliance_import.region,
                defaults={
                    "imported_at": timezone.now(),
                    "imported_by": actor,
                    "compliance_import": compliance_import,
                },
            )
            record_event(
                actor=actor,
                action=AuditEvent.Action.IMPORT,
                instance=compliance_import,
                region=compliance_import.region,
                changes={"status": [ComplianceImport.Status.COMMITTING, ComplianceImport.Status.COMMITTED], **counts},
                note=str(compliance_import.region),
            )
            ComplianceImport.objects.filter(pk=compliance_import.pk).update(
                status=ComplianceImport.Status.COMMITTED, committed_at=timezone.now()
            )
            # The whole region's verdicts change: "no record" now means clean, not unknown.
            region_enterprises = Enterprise.objects.filter(region__path__startswith=compliance_import.region.path)
            on_enterprises_changed(enterprise_ids=region_enterprises.values_list("pk", flat=True))
    except DatabaseError as error:
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        ComplianceImport.objects.filter(pk=compliance_import.pk).update(
            status=ComplianceImport.Status.FAILED, error=messages.text("commit_failed", detail=detail)[:500]
        )
        raise ComplianceRefused("commit_failed", detail=detail) from error
    return {"status": ComplianceImport.Status.COMMITTED, **counts}


def _write_rows(compliance_import: ComplianceImport, *, actor: User) -> dict[str, int]:
    rows = compliance_import.report.get("rows", [])
    new = [row for row in rows if row["action"] == "create"]
    changed = {row["existing_id"]: row for row in rows if row["action"] == "update"}
    created = ComplianceRecord.objects.bulk_create(
        [
            ComplianceRecord(
                enterprise_id=row["enterprise_id"],
                source=ComplianceRecord.Source.IMPORT,
                compliance_import=compliance_import,
                created_by=actor,
                **_record_fields(row["record"]),
            )
            for row in new
        ],
        batch_size=1000,
    )
    region_ids = dict(
        Enterprise.objects.filter(pk__in={row["enterprise_id"] for row in rows}).values_list("pk", "region_id")
    )
    if created and created[0].pk is None:
        # Backends that do not return ids from a bulk insert: read them back by import.
        created = list(ComplianceRecord.objects.filter(compliance_import=compliance_import).order_by("pk"))
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        model=ComplianceRecord,
        rows=[
            (record.pk, str(record), {"record": [None, row["record"]]})
            for record, row in zip(created, new, strict=True)
        ],
        region_ids=[region_ids.get(row["enterprise_id"]) for row in new],
    )
    records = ComplianceRecord.objects.select_for_update().filter(pk__in=list(changed))
    updated = []
    for record in records:
        removed_on = _date(changed[record.pk]["record"]["removed_on"])
        updated.append(
            (
                record,
                [
                    record.removed_on.isoformat() if record.removed_on else None,
                    changed[record.pk]["record"]["removed_on"],
                ],
            )
        )
        record.removed_on, record.version = removed_on, record.version + 1
    ComplianceRecord.objects.bulk_update([record for record, _change in updated], ["removed_on", "version"])
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        model=ComplianceRecord,
        rows=[(record.pk, str(record), {"removed_on": change}) for record, change in updated],
        region_ids=[region_ids.get(record.enterprise_id) for record, _change in updated],
    )
    return {"created": len(created), "updated": len(updated)}


def _record_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "listed_on": _date(record["listed_on"]), "removed_on": _date(record["removed_on"])}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


__all__ = [
    "ComplianceRefused",
    "commit_compliance_import",
    "delete_compliance_record",
    "record_compliance",
    "run_compliance_commit",
    "update_compliance_record",
    "upload_compliance",
]
