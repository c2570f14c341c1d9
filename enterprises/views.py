"""The register's pages. Thin: parse, authorise, call one selector or service, render."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises import exports, permissions, scale_periods, selectors, services
from enterprises.forms import AboveScaleExitForm, AboveScalePeriodForm, EnterpriseForm, IndicatorForm, RecognitionForm
from enterprises.holdings import holdings
from enterprises.models import AnnualIndicator, Enterprise
from portal.exceptions import ServiceError
from portal.selectors import region_choices_for

PAGE_SIZE = 25


def _require_register(request: HttpRequest) -> None:
    """Liaisons (and anyone without a register role) are refused outright: 403, not 404."""
    if not permissions.can_view_enterprises(request.user):
        raise PermissionDenied


def _get_enterprise(request: HttpRequest, pk: int) -> Enterprise:
    _require_register(request)
    enterprise = selectors.enterprise_detail(request.user, pk)
    if enterprise is None or not permissions.can_view_enterprise(request.user, enterprise):
        raise Http404
    return enterprise


def _add_service_error(form, error: ServiceError) -> None:
    form.add_error(error.code if error.code in form.fields else None, error.message)


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    _require_register(request)
    listing = selectors.enterprise_page_listing(request.user, selectors.EnterpriseFilters.from_params(request.GET))
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": request.GET,
        "regions": region_choices_for(request.user),
        "tiers": selectors.tiers_for_filter(),
        "size_classes": Enterprise.SizeClass.choices,
        "can_create": permissions.can_create_enterprise(request.user),
        "can_export": permissions.can_export_enterprises(request.user),
        "query_string": params.urlencode(),
    }
    is_partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "enterprises/partials/table.html" if is_partial else "enterprises/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def enterprise_export(request: HttpRequest) -> HttpResponse:
    if not permissions.can_export_enterprises(request.user):
        raise PermissionDenied
    qs = selectors.enterprise_list(request.user, selectors.EnterpriseFilters.from_params(request.GET))
    response = HttpResponse(exports.enterprise_workbook(qs), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="enterprises-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _render_detail(request: HttpRequest, enterprise: Enterprise, recognition_form=None, status: int = 200):
    can_record = permissions.can_record_recognition(request.user, enterprise)
    context = {
        "enterprise": enterprise,
        "indicators": selectors.indicator_matrix(enterprise),
        "recognitions": list(enterprise.recognitions.all()),
        "history": selectors.enterprise_history(enterprise)[:200],
        "can_edit": permissions.can_edit_enterprise(request.user, enterprise),
        "recognition_form": (recognition_form or RecognitionForm()) if can_record else None,
    }
    return render(request, "enterprises/detail.html", context, status=status)


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_enterprise(request, pk))


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_enterprise(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.create_enterprise(actor=request.user, **form.service_kwargs())
        except ServiceError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Enterprise “%(name)s” created.") % {"name": enterprise.name})
            _warn_if_flagged(request, enterprise)
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": _("New enterprise")})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _get_enterprise(request, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    # The form works on a copy: a refused save must not show the refused values as the record's own.
    form = EnterpriseForm(request.POST or None, instance=copy.copy(enterprise), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.update_enterprise(
                actor=request.user,
                enterprise=enterprise,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except ServiceError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            _warn_if_flagged(request, enterprise)
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": enterprise.name, "enterprise": enterprise})


def _warn_if_flagged(request: HttpRequest, enterprise: Enterprise) -> None:
    if enterprise.is_credit_code_flagged:
        messages.warning(
            request,
            _("The check character of credit code %(code)s does not match; it was saved and marked for review.")
            % {"code": enterprise.credit_code},
        )


@login_required
def indicator_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    enterprise = _get_enterprise(request, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    instance = AnnualIndicator.objects.filter(enterprise=enterprise, year=year).first()
    form = IndicatorForm(request.POST or None, instance=instance or AnnualIndicator(enterprise=enterprise, year=year))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicators(
                actor=request.user,
                enterprise=enterprise,
                year=year,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Figures for %(year)s saved.") % {"year": year})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/indicator_form.html", {"form": form, "enterprise": enterprise, "year": year})


@login_required
@require_POST
def recognition_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _get_enterprise(request, pk)
    if not permissions.can_record_recognition(request.user, enterprise):
        raise PermissionDenied
    form = RecognitionForm(request.POST)
    if form.is_valid():
        try:
            recognition, created = holdings().grant(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if created:
                messages.success(request, _("Recognition “%(tier)s” recorded.") % {"tier": recognition.tier.name})
            else:
                messages.info(
                    request,
                    _("“%(tier)s” granted on %(date)s was already on record; nothing changed.")
                    % {"tier": recognition.tier.name, "date": recognition.recognized_on},
                )
            return redirect("enterprises:detail", pk=enterprise.pk)
    return _render_detail(request, enterprise, recognition_form=form, status=400)


@login_required
@require_POST
def above_scale_period_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a 规上 period (entry, and 退库 if it ended) from the enterprise page."""
    enterprise = _get_enterprise(request, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    form = AboveScalePeriodForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "; ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
        )
        return redirect("enterprises:detail", pk=enterprise.pk)
    try:
        scale_periods.record_above_scale_period(actor=request.user, enterprise=enterprise, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("规上 period recorded."))
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
@require_POST
def above_scale_period_exit(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """Record the date the enterprise left the above-size statistics (退库)."""
    enterprise = _get_enterprise(request, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    period = scale_periods.periods_of(enterprise).filter(pk=period_pk).first()
    form = AboveScaleExitForm(request.POST)
    if period is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Enter the exit date (退库)."))
        return redirect("enterprises:detail", pk=enterprise.pk)
    try:
        scale_periods.record_above_scale_exit(
            actor=request.user,
            period=period,
            left_on=form.cleaned_data["left_on"],
            expected_version=form.cleaned_data["version"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Exit (退库) recorded."))
    return redirect("enterprises:detail", pk=enterprise.pk)
