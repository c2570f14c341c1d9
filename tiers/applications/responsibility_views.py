"""The responsible departments (牵头单位) of every tier and level: everyone reads them, administrators edit them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.exceptions import ServiceError
from tiers.applications import forms, permissions, selectors, services
from tiers.applications.models import Responsibility


@login_required
def responsibility_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied
    context = {
        "responsibilities": selectors.responsibilities(),
        "can_edit": permissions.can_edit_responsibilities(request.user),
    }
    return render(request, "applications/responsibilities.html", context)


@login_required
def responsibility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_edit_responsibilities(request.user):
        raise PermissionDenied
    responsibility = get_object_or_404(Responsibility.objects.select_related("tier"), pk=pk)
    initial = {
        "line": responsibility.line,
        "is_inferred": responsibility.is_inferred,
        "source": responsibility.source,
        "version": responsibility.version,
    }
    form = forms.ResponsibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_responsibility(
                actor=request.user,
                responsibility=responsibility,
                line=data["line"],
                is_inferred=data["is_inferred"],
                source=data["source"],
                expected_version=data["version"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Responsible department saved."))
            return redirect("applications:responsibilities")
    return render(request, "applications/form.html", {"form": form, "title": str(responsibility)})
