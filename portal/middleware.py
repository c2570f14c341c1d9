from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal.audit import audit_origin


def client_ip(request: HttpRequest) -> str:
    # Behind the production proxy the client is the first X-Forwarded-For entry;
    # the proxy is trusted to overwrite the header, not to append to a forged one.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class AuditOriginMiddleware:
    """Every audit event written while handling a request records the client IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_origin(client_ip(request)):
            return self.get_response(request)
