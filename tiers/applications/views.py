"""Application pages. Thin: parse, authorise, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import params as query
from portal.exceptions import ServiceError
from tiers import services as tier_services
from tiers.applications import forms, permissions, selectors, services
from tiers.applications.models import Application, ApplicationState, ReviewAction, SiteCheck
from tiers.applications.transitions import allowed_actions, decision_arguments
from tiers.models import Recognition

A = ReviewAction.Action
PAGE_SIZE = 25
EDITOR_ACTIONS = (A.SUBMIT, A.RESUBMIT)


def _require_reader(request: HttpRequest) -> None:
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied


def get_application(request: HttpRequest, pk: int) -> Application:
    _require_reader(request)
    application = selectors.application_detail(request.user, pk)
    if application is None:
        raise Http404
    return application


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    filters = selectors.ApplicationFilters.from_params(request.GET)
    page = Paginator(selectors.application_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "states": ApplicationState.choices,
        "can_create": permissions.can_create_application(request.user),
        "query_string": params.urlencode(),
    }
    return render(request, "applications/list.html", context)


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_application(request.user):
        raise PermissionDenied
    initial = {"enterprise": request.GET.get("enterprise")}
    form = forms.ApplicationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft application created."))
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/form.html", {"form": form, "title": _("New application")})


def _next_is_last(application: Application) -> bool:
    return (
        bool(application.current_step_id) and services.next_stop(application, application.current_step.position) is None
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    user = request.user
    can_edit = permissions.can_edit_application(user, application)
    review_refusal = permissions.review_refusal(user, application)
    actions = allowed_actions(application.state)
    if application.state == ApplicationState.IN_REVIEW:
        actions = [a for a in actions if a != (A.PASS if _next_is_last(application) else A.RECOMMEND)]
    context = {
        "application": application,
        "depth": selectors.review_depth(user, application),
        "conclusion_choices": SiteCheck.Conclusion.choices,
        "can_edit": can_edit,
        "editor_actions": [a for a in actions if a in EDITOR_ACTIONS] if can_edit else [],
        "reviewer_actions": [a for a in actions if a not in EDITOR_ACTIONS] if review_refusal is None else [],
        "review_refusal": review_refusal if application.state in selectors.WAITING_STATES else None,
        "action_labels": dict(A.choices),
        "publicity_refusal": services.publicity_refusal(application, timezone.localdate())
        if application.state == ApplicationState.RECOMMENDED
        else None,
        "attachment_form": forms.AttachmentForm() if can_edit else None,
    }
    return render(request, "applications/detail.html", context)


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied(permissions.edit_refusal(request.user, application) or "")
    initial = {
        "version": application.version,
        "statements": application.statements,
        "indicator_year": application.indicator_year,
    }
    form = forms.ApplicationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_application(
                actor=request.user,
                application=application,
                expected_version=data["version"],
                statements=data["statements"],
                indicator_year=data["indicator_year"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request, "applications/form.html", {"form": form, "title": str(application), "application": application}
    )


@login_required
@require_POST
def application_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = get_application(request, pk)
    service = services.TRANSITION_SERVICES.get(action)
    if service is None:
        raise Http404
    refusal = (
        permissions.edit_refusal(request.user, application)
        if action in EDITOR_ACTIONS
        else permissions.review_refusal(request.user, application)
    )
    if refusal:
        messages.error(request, refusal)
        return redirect("applications:detail", pk=pk)
    form = forms.DecisionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; please reload the page."))
        return redirect("applications:detail", pk=pk)
    data = form.cleaned_data
    kwargs = {"actor": request.user, "application": application, "expected_version": data["version"]}
    if action != A.SUBMIT:
        kwargs["comment"] = data["comment"]
    kwargs.update(decision_arguments(action, data))
    try:
        result = service(**kwargs)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done. The application is now “%(state)s”.") % {"state": result.state_label})
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please choose a file."))
        return redirect("applications:detail", pk=pk)
    try:
        attachment = services.add_attachment(
            actor=request.user,
            application=application,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” attached.") % {"name": attachment.file_name})
    return redirect("applications:detail", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Served only through here, to users who may see the application: another region gets a 404."""
    application = get_application(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = get_application(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("applications:detail", pk=pk)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    queue = list(selectors.review_queue(request.user)[:500])
    return render(request, "applications/queue.html", {"queue": queue, "now": timezone.now()})


@login_required
@require_POST
def review_bulk(request: HttpRequest) -> HttpResponse:
    """Each selected item is decided in its own transaction; the page reports one outcome per item."""
    _require_reader(request)
    action = request.POST.get("action")
    if action not in (A.PASS, A.RETURN):
        raise Http404
    ids = [pk for pk in request.POST.getlist("ids") if pk.isascii() and pk.isdigit()]
    chosen = {int(pk): query.integer(request.POST, f"version-{pk}") or 0 for pk in ids}
    # Not the queue: an item the user may not act on is refused by the service and reported, not dropped.
    queue = selectors.applications_visible_to(request.user).filter(pk__in=chosen)
    items = [(application, chosen[application.pk]) for application in queue]
    outcomes = services.bulk_review(
        actor=request.user, applications=items, action=action, comment=request.POST.get("comment", "")
    )
    return render(request, "applications/bulk_result.html", {"outcomes": outcomes})


@login_required
def review_board(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_board(request.user):
        raise PermissionDenied
    return render(request, "applications/board.html", {"rows": selectors.review_board(request.user)})


@login_required
def expiring_recognitions(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    days = query.integer(request.GET, "days", maximum=3650)
    if days is None:
        days = services.expiry_notice_days()
    recognitions = selectors.expiring_recognitions_for(request.user, days=days)
    page = Paginator(recognitions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/expiring.html", {"page": page, "days": days, "query_string": f"days={days}"})


@login_required
def recognition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    recognition = selectors.recognitions_visible_to(request.user).filter(pk=pk).first()
    if recognition is None:
        raise Http404
    form = forms.RevokeForm(request.POST or None, initial={"version": recognition.version})
    can_revoke = permissions.can_revoke_recognition(request.user, recognition)
    if request.method == "POST":
        if not can_revoke:
            raise PermissionDenied
        if form.is_valid():
            try:
                tier_services.revoke_recognition(
                    actor=request.user,
                    recognition=recognition,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Recognition revoked."))
                return redirect("applications:recognition", pk=pk)
    context = {
        "recognition": recognition,
        "form": form,
        "can_revoke": can_revoke and recognition.status != Recognition.Status.REVOKED,
    }
    return render(request, "applications/recognition.html", context)
