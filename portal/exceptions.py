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


__all__ = ["ConcurrentEditError", "ServiceError", "ValidationError"]
