"""Users and permissions: the list, one user's permission summary, and starting or leaving “view as”."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overview.access.selectors import user_detail, users_visible_to
from overview.access.summary import permission_summary
from portal import view_as
from portal.permissions import can_manage_users


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_users(request.user):
        raise PermissionDenied


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    page = Paginator(users_visible_to(request.user, query=request.GET.get("q", "")), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/access/users.html", {"page": page, "q": request.GET.get("q", "")})


@login_required
def user_permissions(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    target = user_detail(request.user, pk)
    if target is None:
        raise Http404
    context = {
        "target": target,
        "summary": permission_summary(target),
        "can_view_as": view_as.can_view_as(request.user, target),
    }
    return render(request, "portal/access/user_detail.html", context)


@login_required
@require_POST
def view_as_start(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    target = user_detail(request.user, pk)
    if target is None:
        raise Http404
    if not view_as.can_view_as(request.user, target):
        raise PermissionDenied
    view_as.start_view_as(actor=request.user, target=target, session=request.session)
    messages.info(request, _("You now see the portal as %(user)s, read-only.") % {"user": target})
    return redirect("home")


@login_required
@require_POST
def view_as_stop(request: HttpRequest) -> HttpResponse:
    actor = getattr(request, "view_as_actor", request.user)
    target = view_as.stop_view_as(actor=actor, session=request.session)
    if target is None:
        return redirect("home")
    return redirect("access:user", pk=target.pk)
