"""Writes to an application's content: create, edit, attachments. Transitions live in review.py."""

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import AnnualIndicator, Enterprise
from portal.audit import record_creation, record_event, to_json_value, update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, User
from tiers.applications.models import CLOSED_UNSUCCESSFUL, Application, Attachment, Batch, ReviewAction
from tiers.applications.services.chains import ensure_review_chain
from tiers.applications.transitions import CONFLICT_MESSAGE
from tiers.models import Recognition

APPLICATION_FIELDS = ("enterprise", "tier", "batch", "kind", "statements", "indicator_year")
DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Leading bytes of the only file types accepted as evidence.
MAGIC_NUMBERS = (
    (b"%PDF-", Attachment.FileType.PDF),
    (b"\x89PNG\r\n\x1a\n", Attachment.FileType.PNG),
    (b"\xff\xd8\xff", Attachment.FileType.JPEG),
)


def max_attachment_bytes() -> int:
    return getattr(settings, "APPLICATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES)


def lock_application(application: Application, expected_version: int | None) -> Application:
    """Lock the row and refuse if it changed since the caller read it (their copy's version by default).

    Two reviewers acting at once both wait here; the second finds a newer
    version and is told who got there first, in words.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    expected = application.version if expected_version is None else expected_version
    if locked.version != expected:
        raise ConcurrentEditError(CONFLICT_MESSAGE % {"state": locked.state_label})
    return locked


def check_batch_open(batch: Batch, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if not batch.is_open_on(today):
        raise ServiceError(
            _("Batch “%(batch)s” accepts applications from %(opens)s to %(closes)s; today is %(today)s.")
            % {"batch": batch.name, "opens": batch.opens_on, "closes": batch.closes_on, "today": today},
            code="batch_closed",
        )


def indicator_values(enterprise: Enterprise, year: int) -> dict[str, Any]:
    """The figures an application relies on: one year's indicators, JSON-safe (money in 万元)."""
    row = AnnualIndicator.objects.filter(enterprise=enterprise, year=year).first()
    if row is None:
        return {}
    return {name: to_json_value(getattr(row, name)) for name in AnnualIndicator.value_fields()}


def application_content(application: Application) -> dict[str, Any]:
    """What the editor controls, as it stands now: compared between a return and the resubmission."""
    return {
        "statements": application.statements,
        "indicator_year": application.indicator_year,
        "indicators": indicator_values(application.enterprise, application.indicator_year),
        "attachments": sorted(application.attachments.values_list("file_name", flat=True)),
    }


def content_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"statements": [old, new], "indicators.rd_expense": [old, new], …} for what differs."""

    def flat(content: dict[str, Any]) -> dict[str, Any]:
        values = {key: value for key, value in content.items() if key != "indicators"}
        values.update({f"indicators.{key}": value for key, value in (content.get("indicators") or {}).items()})
        return values

    old, new = flat(before), flat(after)
    return {key: [old.get(key), new.get(key)] for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)}


def _check_editable(application: Application) -> None:
    if not application.is_editable:
        raise ServiceError(
            _("Only a draft or an application returned for changes can be edited; this one is “%(state)s”.")
            % {"state": application.state_label},
            code="state",
        )


@transaction.atomic
def create_application(
    *,
    actor: User,
    enterprise: Enterprise,
    batch: Batch,
    kind: str = Application.Kind.NEW,
    statements: str = "",
    indicator_year: int | None = None,
) -> Application:
    """A draft application of an enterprise to the batch's tier, while the batch is open, within the batch's region."""
    check_batch_open(batch)
    for region in (batch.region, batch.tier.issuing_region):
        if region is not None and not enterprise.region.path.startswith(region.path):
            raise ServiceError(
                _("Batch “%(batch)s” is run by %(region)s and takes applications of its enterprises only.")
                % {"batch": batch.name, "region": region.name},
                code="batch",
            )
    live = Application.objects.filter(enterprise=enterprise, batch=batch).exclude(state__in=CLOSED_UNSUCCESSFUL).first()
    if live is not None:
        raise ServiceError(
            _("%(enterprise)s already has an application in batch “%(batch)s” (state: %(state)s).")
            % {"enterprise": enterprise, "batch": batch.name, "state": live.state_label},
            code="duplicate",
        )
    if (
        kind == Application.Kind.RE_REVIEW
        and not Recognition.objects.filter(enterprise=enterprise, tier=batch.tier)
        .exclude(status=Recognition.Status.REVOKED)
        .exists()
    ):
        raise ServiceError(
            _("A re-review (复核) is for an enterprise that holds “%(tier)s”; %(enterprise)s has no such recognition.")
            % {"tier": batch.tier, "enterprise": enterprise},
            code="kind",
        )
    ensure_review_chain(tier=batch.tier)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                enterprise=enterprise,
                tier=batch.tier,
                batch=batch,
                kind=kind,
                region=enterprise.region,
                statements=statements.strip(),
                indicator_year=indicator_year or (batch.year - 1),
                created_by=actor,
                waiting_since=timezone.now(),
            )
    except IntegrityError as error:  # another user created the same one a moment ago
        raise ServiceError(
            _("%(enterprise)s already has an application in batch “%(batch)s”.")
            % {"enterprise": enterprise, "batch": batch.name},
            code="duplicate",
        ) from error
    ReviewAction.objects.create(
        application=application,
        action=ReviewAction.Action.CREATE,
        actor=actor,
        to_state=application.state_label,
        content=application_content(application),
    )
    record_creation(application, actor=actor, fields=APPLICATION_FIELDS, region=application.region)
    return application


@transaction.atomic
def update_application(
    *,
    actor: User,
    application: Application,
    expected_version: int | None = None,
    statements: str | None = None,
    indicator_year: int | None = None,
) -> Application:
    """Change a draft's or a returned application's statements or the year of figures it relies on."""
    locked = lock_application(application, expected_version)
    _check_editable(locked)
    values: dict[str, Any] = {}
    if statements is not None:
        values["statements"] = statements.strip()
    if indicator_year is not None:
        values["indicator_year"] = indicator_year
    update_audited(
        locked,
        actor=actor,
        values=values,
        fields=APPLICATION_FIELDS,
        region=locked.region,
        update_fields=("statements", "indicator_year", "updated_at"),
    )
    return locked


def detect_file_type(head: bytes) -> str | None:
    for magic, file_type in MAGIC_NUMBERS:
        if head.startswith(magic):
            return file_type
    return None


@transaction.atomic
def add_attachment(*, actor: User, application: Application, upload: UploadedFile, description: str = "") -> Attachment:
    """Keep a PDF, PNG or JPEG as evidence. The type is read from the file's first bytes, not its name."""
    # Evidence is added, not overwritten: no version check, only the state.
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _check_editable(locked)
    return store_attachment(actor=actor, application=locked, upload=upload, description=description)


def store_attachment(
    *,
    actor: User | None,
    application: Application,
    upload: UploadedFile,
    description: str = "",
    kind: str = Attachment.Kind.EVIDENCE,
    site_check=None,
) -> Attachment:
    """Check and keep a file of a locked application: evidence, a decision notice or an on-site check's record.

    Callers lock the application and decide whether its state allows the file.
    """
    name = (upload.name or "file")[-255:]
    limit = max_attachment_bytes()
    if upload.size is None or upload.size == 0:
        raise ServiceError(_("“%(name)s” is empty.") % {"name": name}, code="file")
    if upload.size > limit:
        raise ServiceError(
            _("“%(name)s” is %(size).1f MB; an attachment may be at most %(limit).0f MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
            code="file",
        )
    upload.seek(0)
    file_type = detect_file_type(upload.read(8))
    if file_type is None:
        raise ServiceError(
            _("“%(name)s” is not a PDF, PNG or JPEG file. Only these can be attached.") % {"name": name}, code="file"
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        application=application,
        file_name=name,
        file_type=file_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description.strip()[:200],
        kind=kind,
        site_check=site_check,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    # Adding or removing evidence changes what reviewers see: stale review pages must refresh.
    Application.objects.filter(pk=application.pk).update(version=models.F("version") + 1)
    application.version += 1
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=attachment,
        region=application.region,
        changes={"file_name": [None, name], "size": [None, upload.size], "sha256": [None, attachment.sha256]},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    locked = Application.objects.select_for_update().get(pk=attachment.application_id)
    _check_editable(locked)
    stored = attachment.file.name
    record_event(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=attachment,
        region=locked.region,
        changes={"file_name": [attachment.file_name, None]},
    )
    attachment.delete()
    Application.objects.filter(pk=locked.pk).update(version=locked.version + 1)
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(stored))
