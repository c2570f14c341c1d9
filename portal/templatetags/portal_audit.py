"""Presenting audit events: field names as their labels, object types as model names."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model

register = template.Library()


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


@register.filter
def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


@register.filter
def change_rows(event) -> list[tuple[str, object, object]]:
    """(label, before, after) for each changed field; unknown fields keep their name."""
    model = _model(event.object_type)
    rows = []
    for name, values in (event.changes or {}).items():
        label = name
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # a field renamed since the event was written
                label = name
        if isinstance(values, list | tuple) and len(values) == 2:
            before, after = values
        else:
            before, after = None, values
        rows.append((label, before, after))
    return rows
