from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from portal import health, permissions, selectors, services, two_factor
from portal import params as query
from portal.middleware import client_ip
from portal.models import AuditEvent, User
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
        user = form.get_user()
        if two_factor.must_use_two_factor(user):
            # The password was right; the session is the user's only after the second factor.
            self.request.session[PENDING_USER] = user.pk
            self.request.session[PENDING_NEXT] = self.get_success_url()
            return redirect("two-factor")
        services.record_login(user=user, ip=client_ip(self.request), channel="page")
        return super().form_valid(form)


PENDING_USER, PENDING_NEXT = "two_factor_user", "two_factor_next"


def two_factor_sign_in(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app (set up here the first
    time, with recovery codes shown once), or one of the recovery codes."""
    user = User.objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()
    if user is None:
        return redirect("login")
    ip = client_ip(request)
    context = {"is_setup": not two_factor.has_authenticator(user)}
    if request.method == "POST":
        if is_login_blocked(username=user.username, ip=ip):
            messages.error(request, _("Too many failed attempts. Please try again in 15 minutes."))
            return render(request, "portal/two_factor.html", context, status=429)
        verified, recovery_codes = two_factor.check_code(user=user, code=request.POST.get("code", ""))
        if verified is not None:
            next_url = request.session.pop(PENDING_NEXT, None) or "/"
            request.session.pop(PENDING_USER, None)
            auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            otp_login(request, verified)
            services.record_login(user=user, ip=ip, channel="page, two-factor")
            if recovery_codes:
                return render(request, "portal/two_factor_codes.html", {"codes": recovery_codes, "next": next_url})
            return redirect(next_url)
        services.record_failed_login(username=user.username, ip=ip, channel="two-factor")
        context["error"] = _("The code is not right. Enter the 6 digits your authenticator app shows now.")
    if context["is_setup"]:
        device = two_factor.pending_authenticator(user)
        context |= {"qr_code": two_factor.qr_code_svg(device), "secret": two_factor.typed_key(device)}
    return render(request, "portal/two_factor.html", context)


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
