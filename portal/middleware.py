import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from portal.audit import audit_origin


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one our own proxies wrote (TRUSTED_PROXY_COUNT).

    A client can send any X-Forwarded-For it likes; only the entries our proxies
    appended are believed, counting from the right. The same rule as DRF's
    NUM_PROXIES, so the API's rate limits and the login lockout see one address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not hops:
        return remote
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class AuditOriginMiddleware:
    """Every audit event written while handling a request records the client IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_origin(client_ip(request)):
            return self.get_response(request)


class RejectNullCharactersMiddleware:
    """A NUL character in a query parameter is refused with 400.

    PostgreSQL cannot hold NUL in text, so a filter like ?q=%00 would reach the
    database and fail as a 500 on every list that filters by text. Form and API
    bodies are validated by their fields already; query strings are not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            message = _("Null characters are not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "invalid", "message": message, "fields": {}}}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
