from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.selectors import enterprise_detail
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.selectors import audit_events_for, region_choices_for
from tiers import exports, permissions, selectors, services
from tiers.criteria.catalogue import FACT_LABELS
from tiers.forms import AssessmentForm, PoolAddForm, PoolEntryForm, PoolLeaveForm
from tiers.models import ManualAssessment, PoolEntry, Tier


def _enterprise(request: HttpRequest, pk: int):
    enterprise = enterprise_detail(request.user, pk)
    if enterprise is None or not permissions.can_view_ladder(request.user, enterprise):
        raise Http404
    return enterprise


@login_required
def ladder_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_eligibility(request.user):
        raise PermissionDenied
    show_all = request.GET.get("scope") == "all"
    context = {
        "ladders": selectors.ladders_for_user(request.user, show_all=show_all),
        "show_all": show_all,
        "tiers": selectors.tiers_with_sets().order_by("level", "name"),
    }
    return render(request, "tiers/ladders.html", context)


@login_required
def enterprise_ladder(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    context = {
        "enterprise": enterprise,
        "ladders": selectors.ladder_overview(enterprise),
        "open_pool_tiers": set(enterprise.pool_entries.filter(left_at__isnull=True).values_list("tier_id", flat=True)),
        "can_manage_pool": permissions.can_manage_pool(request.user, enterprise),
        "can_assess": permissions.can_assess_enterprise(request.user, enterprise),
        "today": timezone.localdate(),
    }
    return render(request, "tiers/ladder.html", context)


@login_required
def pool_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    if not permissions.can_manage_pool(request.user, enterprise):
        raise PermissionDenied
    form = PoolAddForm(request.POST or None, user=request.user, initial={"tier": request.GET.get("tier")})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.add_to_pool(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(enterprise)s added to the pool for %(tier)s.")
                % {"enterprise": enterprise.name, "tier": entry.tier.name},
            )
            return redirect("tiers:pool-entry", pk=entry.pk)
    return render(request, "tiers/pool_add.html", {"form": form, "enterprise": enterprise})


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_eligibility(request.user):
        raise PermissionDenied
    qs = selectors.pool_entries(request.user, selectors.pool_filters_from(request.GET))
    context = {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")),
        "filters": request.GET,
        "tiers": Tier.objects.order_by("name"),
        "regions": region_choices_for(request.user),
        "stages": PoolEntry.Stage.choices,
        "quotas": selectors.pool_quota_status(request.user),
        "query_string": request.GET.urlencode(),
    }
    return render(request, "tiers/pool_list.html", context)


@login_required
def pool_export(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_eligibility(request.user):
        raise PermissionDenied
    qs = selectors.pool_entries(request.user, selectors.pool_filters_from(request.GET))
    response = HttpResponse(exports.pool_workbook(qs), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="pool-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def pool_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.pool_entry_detail(request.user, pk)
    if entry is None:
        raise Http404
    can_change = permissions.can_change_pool_entry(request.user, entry)
    form = PoolEntryForm(
        request.POST or None,
        user=request.user,
        initial={"stage": entry.stage, "commissioner": entry.commissioner_id, "version": entry.version},
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_pool_entry(
                    actor=request.user,
                    entry=entry,
                    stage=form.cleaned_data["stage"],
                    commissioner=form.cleaned_data["commissioner"],
                    expected_version=form.cleaned_data["version"],
                )
            except (ServiceError, ConcurrentEditError) as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("tiers:pool-entry", pk=entry.pk)
    context = {
        "entry": entry,
        "form": form,
        "leave_form": PoolLeaveForm(),
        "can_change": can_change,
        "history": audit_events_for(entry)[:100],
    }
    return render(request, "tiers/pool_entry.html", context)


@login_required
@require_POST
def pool_leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.pool_entry_detail(request.user, pk)
    if entry is None:
        raise Http404
    if not permissions.can_change_pool_entry(request.user, entry):
        raise PermissionDenied
    form = PoolLeaveForm(request.POST)
    if form.is_valid():
        try:
            services.remove_from_pool(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(enterprise)s left the pool.") % {"enterprise": entry.enterprise.name})
    else:
        messages.error(request, _("Give the reason for taking the enterprise out of the pool."))
    return redirect("tiers:pool-entry", pk=entry.pk)


@login_required
def assessment(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    if not permissions.can_assess_enterprise(request.user, enterprise):
        raise PermissionDenied
    current = ManualAssessment.objects.filter(enterprise=enterprise, key=key).first()
    initial = {}
    if current:
        initial = {
            "is_met": {True: "yes", False: "no"}.get(current.is_met, ""),
            "value": current.value,
            "evidence": current.evidence,
            "valid_until": current.valid_until,
        }
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_manual_assessment(
                actor=request.user, enterprise=enterprise, key=key, **form.service_kwargs()
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Judgement recorded; the evaluation is being updated."))
            return redirect("tiers:ladder", pk=enterprise.pk)
    context = {
        "form": form,
        "enterprise": enterprise,
        "label": request.GET.get("label") or FACT_LABELS.get(key, key),
        "current": current,
        "history": audit_events_for(current)[:50] if current else [],
    }
    return render(request, "tiers/assessment_form.html", context)
