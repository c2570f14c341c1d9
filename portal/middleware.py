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
