import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext_lazy

from portal.audit import audit_origin
from portal.params import InvalidParameter

logger = logging.getLogger("django.request")


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
            message = gettext_lazy("Null characters are not allowed.")
            if is_api(request):
                return api_error(400, message=message)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


_API_ERROR_CODES = {
    400: ("invalid", gettext_lazy("The request is not valid.")),
    401: ("not_authenticated", gettext_lazy("Authentication credentials were not provided.")),
    403: ("permission_denied", gettext_lazy("You do not have permission to perform this action.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
}


def api_error(status: int, *, code: str = "", message: str = "", fields: dict | None = None) -> JsonResponse:
    """The API's one error shape: {"error": {"code", "message", "fields"}}."""
    default_code, default_message = _API_ERROR_CODES.get(status, ("error", gettext_lazy("A server error occurred.")))
    body = {"code": code or default_code, "message": str(message or default_message), "fields": fields or {}}
    return JsonResponse({"error": body}, status=status)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class ErrorShapeMiddleware:
    """Errors answered outside DRF still come in the API's JSON shape on /api/, and a bad
    query parameter is a 400 naming it, on pages and in the API alike.

    A URL whose id is not a number never reaches a view (404 from the resolver); an
    exception in a view is a 500 from Django's handler. Both would be English HTML.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            is_api(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return api_error(response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InvalidParameter):
            if is_api(request):
                return api_error(400, code=exception.code, message=exception.message, fields=exception.fields)
            try:
                return render(request, "400.html", {"message": exception.message}, status=400)
            except TemplateDoesNotExist:
                return HttpResponse(exception.message, status=400, content_type="text/plain; charset=utf-8")
        if is_api(request) and not isinstance(exception, Http404 | PermissionDenied):
            # Logged as Django would, then answered in the API's shape instead of an HTML page.
            logger.error("Internal Server Error: %s", request.path, exc_info=exception)
            return api_error(500)
        return None


class ContentSecurityPolicyMiddleware:
    """Every response carries CONTENT_SECURITY_POLICY: scripts, stylesheets, fonts and images
    from this server only, no inline script, no framing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(f"{name} {value}" for name, value in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
