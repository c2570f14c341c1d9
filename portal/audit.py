"""The audit trail: one door that every service uses to record a change.

Services never see the request, so where a change came from (an IP address,
a job, a management command) travels in a context variable set at the edge.
"""

import contextvars
import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models

from portal.models import AuditEvent, Region, User

ModelT = TypeVar("ModelT", bound=models.Model)

_origin: contextvars.ContextVar[str] = contextvars.ContextVar("audit_origin", default="")


@contextmanager
def audit_origin(origin: str) -> Iterator[None]:
    """Mark every audit event written inside the block as coming from `origin`."""
    token = _origin.set(origin[:100])
    try:
        yield
    finally:
        _origin.reset(token)


def current_origin() -> str:
    return _origin.get()


def to_json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """JSON-safe values of `fields`; foreign keys as their display text."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation:
            related_id = getattr(instance, field.attname)
            values[name] = str(getattr(instance, name)) if related_id is not None else None
        else:
            values[name] = to_json_value(getattr(instance, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def record_event(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    region: Region | None = None,
    note: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        origin=current_origin(),
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk) if instance.pk is not None else "",
        object_repr=str(instance)[:255],
        region=region,
        changes=changes or {},
        note=note[:255],
    )


def record_creation(
    instance: models.Model,
    *,
    actor: User | None,
    fields: Iterable[str],
    region: Region | None = None,
    note: str = "",
) -> AuditEvent:
    """Audit a record just created: every one of `fields`, from nothing to its first value."""
    return record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=instance,
        region=region,
        changes=diff({}, snapshot(instance, fields)),
        note=note,
    )


def update_audited(
    instance: ModelT,
    *,
    actor: User | None,
    values: Mapping[str, Any],
    fields: Iterable[str] = (),
    changes: dict[str, Any] | None = None,
    region: Region | None = None,
    action: str = AuditEvent.Action.UPDATE,
    note: str = "",
    update_fields: Iterable[str] | None = None,
    save_unchanged: bool = False,
    before_save: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Set `values` on a locked, versioned `instance`; if that changed it, bump its version, save it and audit it.

    The event records `fields` before and after (as `snapshot` gives them), unless the caller words the
    `changes` itself (a transition's labels), in which case the instance is always saved. Without such
    words, an update that changes none of `fields` saves and records nothing, unless `save_unchanged`.
    `before_save` sees the changes and may set what follows from them (who, when, a source per field).
    `update_fields` limits the save to those fields and the version. Returns the changes recorded,
    or {} when nothing was saved. Checking the caller's expected version stays with each service: the
    words of the conflict differ from record to record.
    """
    fields = tuple(fields)
    before = snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    if changes is None:
        changes = diff(before, snapshot(instance, fields))
        if not changes and not save_unchanged:
            return {}
    if before_save is not None:
        before_save(changes)
    # Every audited model has an integer `version` for optimistic locking; models.Model does not declare it.
    instance.version += 1  # type: ignore[attr-defined]
    instance.save(update_fields=None if update_fields is None else [*update_fields, "version"])
    record_event(actor=actor, action=action, instance=instance, region=region, changes=changes, note=note)
    return changes


def audit_rows(
    *,
    actor: User | None,
    action: str,
    model: type[models.Model],
    rows: list[tuple[int, str, dict]],
    region_ids: list[int | None],
    note: str = "",
) -> None:
    """Bulk audit for set-based writes (imports): one INSERT for many rows.

    `rows` holds (object id, display text, changes) triples.
    """
    origin = current_origin()
    actor_id = actor.pk if actor is not None else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id,
                origin=origin,
                action=action,
                object_type=model._meta.label_lower,
                object_id=str(object_id),
                object_repr=text[:255],
                region_id=region_id,
                changes=changes,
                note=note[:255],
            )
            for (object_id, text, changes), region_id in zip(rows, region_ids, strict=True)
        ],
        batch_size=2000,
    )
