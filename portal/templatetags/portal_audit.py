"""Presenting audit events and stored snapshots in people's words (see portal/labels.py)."""

from django import template
from django.utils.translation import gettext

from portal import labels

register = template.Library()


@register.filter
def object_type_label(object_type: str) -> str:
    model = labels.model_for(object_type)
    return str(model._meta.verbose_name) if model else object_type


@register.filter
def change_rows(event) -> list[tuple[str, str, str]]:
    """(label, before, after) for each changed field, values as people read them."""
    return labels.change_rows(event.object_type, event.changes)


@register.filter
def origin_label(origin: str) -> str:
    return labels.origin_label(origin)


@register.filter
def note_label(note: str) -> str:
    return labels.note_label(note)


@register.filter
def snapshot_rows(values: dict, model_label: str) -> list[tuple[str, str]]:
    """(label, value) for a stored snapshot of `model_label`'s fields: `{{ snapshot|snapshot_rows:"app.model" }}`."""
    return labels.snapshot_rows(model_label, values)


@register.filter
def changes_of(changes: dict, model_label: str) -> list[tuple[str, str, str]]:
    """(label, before, after) of stored changes of `model_label`: `{{ action.changes|changes_of:"tiers.application" }}`."""
    return labels.change_rows(model_label, changes)


@register.filter
def field_value(value, path: str) -> str:
    """A stored value as people read it: `{{ e.verdict|field_value:"tiers.eligibilityresult.verdict" }}`."""
    return labels.field_value(value, path)


@register.filter
def translated(text: str) -> str:
    """Text stored as an English msgid in older rows (a state's name), in the reader's language."""
    return gettext(text) if text else labels.EMPTY


@register.filter
def plain_value(value) -> str:
    """是/否, formatted dates and numbers for a value with no field to explain it."""
    return labels.plain_value(value)
