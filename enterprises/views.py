from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises import exports, permissions, selectors, services
from enterprises.forms import EnterpriseForm, IndicatorForm
from enterprises.models import AnnualIndicator
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.selectors import region_choices_for
from tiers.models import Tier


def _filters(request: HttpRequest) -> selectors.EnterpriseFilters:
    def as_int(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    above = request.GET.get("above_scale", "")
    return selectors.EnterpriseFilters(
        q=request.GET.get("q", "").strip(),
        region=as_int("region"),
        industry=request.GET.get("industry", "").strip(),
        size_class=request.GET.get("size_class", ""),
        tier=as_int("tier"),
        is_above_scale={"1": True, "0": False}.get(above),
    )


def _get_enterprise(request: HttpRequest, pk: int):
    enterprise = selectors.enterprise_detail(request.user, pk)
    if enterprise is None or not permissions.can_view_enterprise(request.user, enterprise):
        raise Http404
    return enterprise


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_enterprises(request.user):
        raise PermissionDenied
    qs = selectors.enterprise_list(request.user, _filters(request))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": request.GET,
        "regions": region_choices_for(request.user),
        "tiers": Tier.objects.order_by("name"),
        "can_create": permissions.can_create_enterprise(request.user),
        "query_string": request.GET.urlencode(),
    }
    template = "enterprises/partials/table.html" if request.headers.get("HX-Request") else "enterprises/list.html"
    return render(request, template, context)


@login_required
def enterprise_export(request: HttpRequest) -> HttpResponse:
    if not permissions.can_export_enterprises(request.user):
        raise PermissionDenied
    qs = selectors.enterprise_list(request.user, _filters(request))
    response = HttpResponse(exports.enterprise_workbook(qs), content_type=exports.XLSX_CONTENT_TYPE)
    filename = f"enterprises-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _get_enterprise(request, pk)
    context = {
        "enterprise": enterprise,
        "indicator_rows": selectors.indicator_rows(enterprise),
        "recognitions": list(enterprise.recognitions.all()),
        "history": selectors.enterprise_history(enterprise)[:200],
        "can_edit": permissions.can_edit_enterprise(request.user, enterprise),
    }
    return render(request, "enterprises/detail.html", context)


def _form_kwargs(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_enterprise(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = _form_kwargs(form)
        if not permissions.can_create_enterprise(request.user, data["region"]):
            raise PermissionDenied
        try:
            enterprise = services.create_enterprise(actor=request.user, **data)
        except ServiceError as error:
            form.add_error(error.code if error.code in form.fields else None, error.message)
        else:
            messages.success(request, _("Enterprise “%(name)s” created.") % {"name": enterprise.name})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": _("New enterprise")})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _get_enterprise(request, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = _form_kwargs(form)
        if not permissions.can_create_enterprise(request.user, data["region"]):
            raise PermissionDenied
        try:
            services.update_enterprise(
                actor=request.user, enterprise=enterprise, expected_version=form.cleaned_data.get("version"), **data
            )
        except ServiceError as error:
            form.add_error(error.code if error.code in form.fields else None, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": enterprise.name, "enterprise": enterprise})


@login_required
def indicator_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    enterprise = _get_enterprise(request, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    instance = AnnualIndicator.objects.filter(enterprise=enterprise, year=year).first() or AnnualIndicator(
        enterprise=enterprise, year=year
    )
    form = IndicatorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in AnnualIndicator.value_fields()}
        try:
            services.save_indicators(
                actor=request.user,
                enterprise=enterprise,
                year=year,
                values=values,
                expected_version=form.cleaned_data.get("version"),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Figures for %(year)s saved.") % {"year": year})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request, "enterprises/indicator_form.html", {"form": form, "enterprise": enterprise, "year": year}
    )
