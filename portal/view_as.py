"""“View as”: an administrator opens the portal as a chosen user sees it, read-only.

The administrator starts it from a user's permission page (overview.access); the
session then carries the user's id, and this middleware swaps `request.user`
for that user on every request — so every page, selector, permission predicate
and session-authenticated API call answers exactly as it would for them. Any
request that could write (a method other than GET, HEAD or OPTIONS) is refused,
except leaving view-as and logging out; each start, stop and refused write is
audited under the administrator's name. The banner (templates/portal/partials/
view_as_banner.html) names the user on every page.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.models import AuditEvent, User

SESSION_KEY = "view_as_user_id"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _exempt_paths() -> tuple[str, ...]:
    # Leaving view-as and logging out must work while viewing as someone else.
    return (reverse("access:view-as-stop"), reverse("logout"))


def can_view_as(actor: User, target: User) -> bool:
    """Administrators view the portal as any other active user who is not an administrator."""
    return (
        actor.is_authenticated and actor.is_admin and target.pk != actor.pk and target.is_active and not target.is_admin
    )


def start_view_as(*, actor: User, target: User, session) -> None:
    """Begin viewing as `target` in this session; audited."""
    session[SESSION_KEY] = target.pk
    record_event(
        actor=actor,
        action=AuditEvent.Action.VIEW_AS,
        instance=target,
        region=target.region,
        changes={"view_as": [None, target.username]},
        note=_("Started viewing the portal as %(user)s") % {"user": target},
    )


def stop_view_as(*, actor: User, session) -> User | None:
    """Stop viewing as someone; audited. Returns the user that was viewed, if any."""
    target_id = session.pop(SESSION_KEY, None)
    target = User.objects.filter(pk=target_id).first() if target_id else None
    if target is not None:
        record_event(
            actor=actor,
            action=AuditEvent.Action.VIEW_AS,
            instance=target,
            region=target.region,
            changes={"view_as": [target.username, None]},
            note=_("Stopped viewing the portal as %(user)s") % {"user": target},
        )
    return target


def _refuse_write(request: HttpRequest, actor: User, target: User) -> HttpResponse:
    record_event(
        actor=actor,
        action=AuditEvent.Action.VIEW_AS,
        instance=target,
        region=target.region,
        changes={"refused": [None, f"{request.method} {request.path}"[:200]]},
        note=_("Write refused while viewing as %(user)s") % {"user": target},
    )
    message = _("You are viewing the portal as %(user)s: read-only, nothing can be changed. Leave “view as” first.") % {
        "user": target
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "view_as_read_only", "message": message, "fields": {}}}, status=403)
    return render(request, "portal/view_as_refused.html", {"message": message}, status=403)


class ViewAsMiddleware:
    """Placed after AuthenticationMiddleware: swaps in the viewed user and refuses writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        target_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if not target_id:
            return self.get_response(request)
        actor = request.user
        target = User.objects.select_related("region", "department").filter(pk=target_id).first()
        if target is None or not can_view_as(actor, target):
            request.session.pop(SESSION_KEY, None)
            return self.get_response(request)
        request.view_as_actor = actor
        if request.path in _exempt_paths():
            return self.get_response(request)
        request.user = target
        if request.method not in SAFE_METHODS:
            return _refuse_write(request, actor, target)
        return self.get_response(request)
