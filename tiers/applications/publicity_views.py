"""公示 pages: lists, objections and their resolution."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import ServiceError
from tiers.applications import forms, permissions, selectors, services
from tiers.applications.models import Objection


def _get_publicity(request: HttpRequest, pk: int):
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied
    publicity = selectors.publicity_detail(request.user, pk)
    if publicity is None:
        raise Http404
    return publicity


@login_required
def publicity_index(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied
    context = {
        "lists": selectors.publicity_lists_visible_to(request.user)[:200],
        "can_create": permissions.can_manage_publicity(request.user) and request.user.region_id is not None,
    }
    return render(request, "applications/publicity_list.html", context)


@login_required
def publicity_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_publicity(request.user) or request.user.region_id is None:
        raise PermissionDenied
    form = forms.PublicityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            publicity = services.create_publicity_list(
                actor=request.user,
                region=request.user.region,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                applications=list(data["applications"]),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Publicity list created."))
            return redirect("applications:publicity", pk=publicity.pk)
    return render(request, "applications/form.html", {"form": form, "title": _("New publicity list")})


@login_required
def publicity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = _get_publicity(request, pk)
    context = {
        "publicity": publicity,
        "can_manage": permissions.can_manage_publicity(request.user, publicity),
        "resolve_choices": [
            (Objection.Status.DISMISSED, Objection.Status.DISMISSED.label),
            (Objection.Status.UPHELD, Objection.Status.UPHELD.label),
        ],
    }
    return render(request, "applications/publicity_detail.html", context)


@login_required
@require_POST
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = _get_publicity(request, pk)
    if not permissions.can_manage_publicity(request.user, publicity):
        raise PermissionDenied
    form = forms.ObjectionForm(request.POST)
    application = None
    if form.is_valid():
        application = next((a for a in publicity.applications.all() if a.pk == form.cleaned_data["application"]), None)
    if application is None:
        messages.error(request, _("Please choose an application on this list and write down the objection."))
        return redirect("applications:publicity", pk=pk)
    try:
        services.record_objection(
            actor=request.user,
            publicity_list=publicity,
            application=application,
            text=form.cleaned_data["text"],
            objector=form.cleaned_data["objector"],
            received_on=form.cleaned_data["received_on"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Objection recorded."))
    return redirect("applications:publicity", pk=pk)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    publicity = _get_publicity(request, pk)
    objection = next((o for o in publicity.objections.all() if o.pk == objection_pk), None)
    if objection is None:
        raise Http404
    if not permissions.can_manage_publicity(request.user, publicity):
        raise PermissionDenied
    form = forms.ResolveObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say how the objection was resolved."))
        return redirect("applications:publicity", pk=pk)
    try:
        services.resolve_objection(
            actor=request.user,
            objection=objection,
            status=form.cleaned_data["status"],
            resolution=form.cleaned_data["resolution"],
            expected_version=form.cleaned_data["version"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Objection resolved."))
    return redirect("applications:publicity", pk=pk)
