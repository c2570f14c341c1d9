"""One shape for every API error: {"error": {"code", "message", "fields"}}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.exceptions import ActionRefused, ConcurrentEditError, ServiceError


def exception_handler(exc, context):
    if isinstance(exc, ConcurrentEditError):
        return Response(
            {"error": {"code": exc.code, "message": exc.message, "fields": {}}}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, ServiceError):
        refused = isinstance(exc, ActionRefused)
        return Response(
            {"error": {"code": exc.code, "message": exc.message, "fields": getattr(exc, "fields", {})}},
            status=status.HTTP_403_FORBIDDEN if refused else status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        fields = {name: _messages(errors) for name, errors in fields.items()}
        message = _("The submitted data is not valid.")
        response.data = {"error": {"code": "invalid", "message": message, "fields": fields}}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(detail, "code", "error")
        response.data = {"error": {"code": code, "message": str(detail), "fields": {}}}
    return response


def _messages(errors) -> list[str]:
    """A field's errors as the schema documents them, a list of sentences: the errors of a list's
    items or a mapping's keys ("2: 提交的是空文件。") are flattened into it, each naming where it is."""
    if isinstance(errors, dict):
        return [f"{key}: {message}" for key, value in errors.items() for message in _messages(value)]
    if isinstance(errors, list | tuple):
        return [message for item in errors for message in _messages(item)]
    return [str(errors)]
