"""Serializer fields that draw related objects from the caller's scope."""

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by id, looked up only among those the caller may see.

    `scope(user)` is the selector that scopes the model (e.g. `applications_visible_to`).
    An id outside the caller's region and an id that does not exist get the same
    message, which names only the id the caller sent.
    """

    default_error_messages = {
        "does_not_exist": _("No object with id {pk_value} was found."),
        "incorrect_type": _("Give the id as a whole number."),
    }

    def __init__(self, *, model: type[Model], scope: Callable[..., QuerySet], **kwargs) -> None:
        self.scope = scope
        # The class-level queryset is empty: without a caller nothing is found.
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self) -> QuerySet:
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not user.is_authenticated:
            return self.queryset
        return self.scope(user)


def required_version(data: dict) -> int:
    """The `expected_version` a write that replaces a record must carry; without it, a 400 naming the field.

    Serializers run with partial=True skip `required`, so the write's view asks for it here.
    """
    if data.get("expected_version") is None:
        raise serializers.ValidationError(
            {"expected_version": [_("Send the version you read (0 for a record not yet saved).")]}
        )
    return data.pop("expected_version")
