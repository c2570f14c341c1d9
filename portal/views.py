from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health, permissions, selectors, services
from portal import params as query
from portal.middleware import client_ip
from portal.models import AuditEvent
from portal.throttling import is_login_blocked


class LoginView(auth_views.LoginView):
    """The login page, refusing a username/IP pair after too many failures."""

    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        username = request.POST.get("username", "")
        if is_login_blocked(username=username, ip=client_ip(request)):
            services.record_failed_login(username=username, ip=client_ip(request), channel="page")
            messages.error(request, _("Too many failed attempts. Please try again in 15 minutes."))
            return self.render_to_response(self.get_context_data(form=self.get_form()), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        services.record_failed_login(
            username=self.request.POST.get("username", ""), ip=client_ip(self.request), channel="page"
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        services.record_login(user=form.get_user(), ip=client_ip(self.request), channel="page")
        return super().form_valid(form)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_visible_to(request.user).filter(
        depth__lte=(request.user.region.depth + 1) if request.user.region else 1
    )
    return render(request, "portal/home.html", {"regions": regions})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health.check()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_audit_log(request.user):
        raise PermissionDenied
    filters = {name: query.text(request.GET, name) for name in ("object_type", "actor")}
    filters["action"] = query.choice(request.GET, "action", AuditEvent.Action.values)
    events = selectors.audit_log(request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "object_types": selectors.audit_object_types(request.user),
        "actions": AuditEvent.Action.choices,
        "query_string": params.urlencode(),
    }
    return render(request, "portal/audit_log.html", context)


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=pk)
    return render(request, "portal/partials/job_status.html", {"job": job})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's inbox: reminders, returned applications, leaders' comments."""
    if request.method == "POST":
        services.mark_notifications_read(recipient=request.user, ids=request.POST.getlist("ids") or None)
        return redirect("notifications")
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.mark_notifications_read(recipient=request.user, ids=[notification.pk])
    return redirect(notification.url or "notifications")
