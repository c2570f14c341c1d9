"""Errors services raise; views and the API turn them into Chinese messages."""

from django.core.exceptions import ValidationError


class ServiceError(Exception):
    """A business rule said no. The message is user-facing and translated."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ConcurrentEditError(ServiceError):
    """Somebody else saved the record after this user loaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="conflict")


class ActionRefused(ServiceError):
    """The actor is not the person this action belongs to (wrong department, own work): the API answers 403."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="permission_denied")


__all__ = ["ActionRefused", "ConcurrentEditError", "ServiceError", "ValidationError"]
