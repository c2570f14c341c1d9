from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.selectors import enterprises_visible_to
from incentives import exports, forecast, forms, permissions, selectors, services
from incentives.models import ShareStatus
from portal.exceptions import ServiceError
from portal.selectors import region_choices_for
from tasks.models import Policy


def _require_reader(request: HttpRequest) -> None:
    if not permissions.can_view_incentives(request.user):
        raise PermissionDenied


@login_required
def entitlement_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    qs = selectors.entitlement_list(request.user, selectors.EntitlementFilters.from_params(request.GET))
    context = {
        "page": Paginator(qs, 25).get_page(request.GET.get("page")),
        "filters": request.GET,
        "funders": selectors.funder_choices(request.user),
        "statuses": ShareStatus.choices,
        "policies": Policy.objects.filter(reward_rules__isnull=False).distinct().order_by("region__path"),
        "query_string": request.GET.urlencode(),
        "is_finance": permissions.is_finance_user(request.user),
        "can_record_event": permissions.can_record_reward_event(request.user),
    }
    return render(request, "incentives/list.html", context)


@login_required
def entitlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    entitlement = selectors.entitlement_detail(request.user, pk)
    if entitlement is None:
        raise Http404
    shares = [
        {
            "share": share,
            "actions": services.allowed_transitions(share) if permissions.can_pay_share(request.user, share) else [],
            "forms": _share_forms(share),
        }
        for share in entitlement.visible_shares
    ]
    return render(request, "incentives/detail.html", {"entitlement": entitlement, "shares": shares})


def _share_forms(share) -> dict:
    initial = {"version": share.version}
    approve = forms.ApproveForm(initial=initial, prefix=f"approve-{share.pk}")
    if share.approved_amount == 0:
        approve.fields.pop("condition")  # the first tranche needs no condition
    else:
        approve.fields.pop("decided_amount")  # decided only at the first approval
    return {
        "approve": approve,
        "pay": forms.PaymentForm(initial={**initial, "amount": share.payable}, prefix=f"pay-{share.pk}"),
        "hold": forms.HoldForm(initial=initial, prefix=f"hold-{share.pk}"),
        "release": forms.ReleaseForm(initial=initial, prefix=f"release-{share.pk}"),
        "claw_back": forms.ClawbackForm(
            initial={**initial, "amount": share.paid_amount - share.clawed_back_amount}, prefix=f"claw_back-{share.pk}"
        ),
    }


SHARE_ACTIONS = {
    "approve": (
        forms.ApproveForm,
        lambda actor, share, data: services.approve_share(
            actor=actor,
            share_id=share.pk,
            decided_amount=data["decided_amount"],
            note=data["note"],
            condition=data["condition"],
            expected_version=data["version"],
        ),
        gettext_lazy("Approved."),
    ),
    "pay": (
        forms.PaymentForm,
        lambda actor, share, data: services.record_payment(
            actor=actor,
            share_id=share.pk,
            amount=data["amount"],
            paid_on=data["paid_on"],
            voucher_no=data["voucher_no"],
            expected_version=data["version"],
        ),
        gettext_lazy("Payment recorded."),
    ),
    "hold": (
        forms.HoldForm,
        lambda actor, share, data: services.hold_share(
            actor=actor,
            share_id=share.pk,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        gettext_lazy("Put on hold."),
    ),
    "release": (
        forms.ReleaseForm,
        lambda actor, share, data: services.release_share(
            actor=actor,
            share_id=share.pk,
            expected_version=data["version"],
        ),
        gettext_lazy("Hold released."),
    ),
    "claw_back": (
        forms.ClawbackForm,
        lambda actor, share, data: services.record_clawback(
            actor=actor,
            share_id=share.pk,
            amount=data["amount"],
            paid_on=data["paid_on"],
            voucher_no=data["voucher_no"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        gettext_lazy("Clawback recorded."),
    ),
}


@login_required
@require_POST
def share_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    share = selectors.share_for(request.user, pk)
    if share is None or action not in SHARE_ACTIONS:
        raise Http404
    if not permissions.can_pay_share(request.user, share):
        raise PermissionDenied
    form_class, call, done = SHARE_ACTIONS[action]
    form = form_class(request.POST, prefix=f"{action}-{share.pk}")
    if not form.is_valid():
        messages.error(request, "; ".join(str(error) for errors in form.errors.values() for error in errors))
    else:
        try:
            call(request.user, share, form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, str(done))
    return redirect("incentives:detail", pk=share.entitlement_id)


@login_required
def budget(request: HttpRequest, allocation_form=None) -> HttpResponse:
    _require_reader(request)
    target_costs = forecast.forecast_for(request.user)
    funders = selectors.allocation_funders_for(request.user)
    context = {
        "rows": selectors.budget_rows(request.user, forecast=target_costs),
        "forecast": target_costs,
        "is_finance": permissions.is_finance_user(request.user),
        "allocation_form": allocation_form or (forms.AllocationForm(funders=funders) if funders.exists() else None),
    }
    return render(request, "incentives/budget.html", context)


@login_required
@require_POST
def allocation_set(request: HttpRequest) -> HttpResponse:
    """Enter or change a funder's allocation for a year from the budget page."""
    _require_reader(request)
    form = forms.AllocationForm(request.POST, funders=selectors.allocation_funders_for(request.user))
    if not form.is_valid():
        return budget(request, allocation_form=form)
    data = form.cleaned_data
    if not permissions.can_set_allocation(request.user, data["funder_region"]):
        raise PermissionDenied
    try:
        services.set_allocation(
            actor=request.user,
            funder_region=data["funder_region"],
            year=data["year"],
            amount=data["amount"],
            note=data["note"],
            expected_version=data["version"],
        )
    except ServiceError as error:
        form.add_error(None, error.message)
        return budget(request, allocation_form=form)
    messages.success(request, _("Allocation saved."))
    return redirect("incentives:budget")


@login_required
def allocation_import(request: HttpRequest) -> HttpResponse:
    """Import allocations from Excel: every row or none, with each bad row named in the errors."""
    _require_reader(request)
    if not selectors.allocation_funders_for(request.user).exists():
        raise PermissionDenied
    form = forms.AllocationImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = services.import_allocations(
                actor=request.user,
                data=upload.read(),
                file_name=upload.name,
                funders=selectors.importable_funders(request.user),
            )
        except services.AllocationImportRefused as error:
            errors = error.errors
        except ServiceError as error:
            errors = [error.message]
        else:
            messages.success(request, _("%(count)s allocation(s) imported.") % {"count": len(imported)})
            return redirect("incentives:budget")
    return render(request, "incentives/allocation_import.html", {"form": form, "errors": errors})


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    show_all = request.GET.get("scope") == "all"
    rules = selectors.rules_for(request.user, show_all=show_all)
    return render(request, "incentives/rules.html", {"rules": rules, "show_all": show_all})


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_record_reward_event(request.user):
        raise PermissionDenied
    form = forms.RewardEventForm(
        request.POST or None,
        enterprises=enterprises_visible_to(request.user),
        regions=region_choices_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _event, created = services.record_reward_event(
                actor=request.user,
                kind=data["kind"],
                event_code=data["event_code"],
                enterprise=data["credit_code"],
                region=data["region"],
                occurred_on=data["occurred_on"],
                base_amount=data["base_amount"],
                reference=data["reference"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Event recorded; %(count)s entitlement(s) computed.") % {"count": len(created)})
            return redirect("incentives:list")
    return render(request, "incentives/event_form.html", {"form": form})


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def export_entitlements(request: HttpRequest) -> HttpResponse:
    if not permissions.can_export_incentives(request.user):
        raise PermissionDenied
    filters = selectors.EntitlementFilters.from_params(request.GET)
    return _xlsx(
        exports.entitlement_workbook(
            selectors.entitlement_list(request.user, filters), selectors.payment_list(request.user, filters)
        ),
        "entitlements",
    )


@login_required
def export_budget(request: HttpRequest) -> HttpResponse:
    if not permissions.can_export_incentives(request.user):
        raise PermissionDenied
    target_costs = forecast.forecast_for(request.user)
    return _xlsx(
        exports.budget_workbook(selectors.budget_rows(request.user, forecast=target_costs), target_costs), "budget"
    )


@login_required
def rule_funding(request: HttpRequest, pk: int) -> HttpResponse:
    """A rule's funders (推定 until confirmed) and tranches, decided by the finance department of the rule's government."""
    _require_reader(request)
    rule = selectors.rule_list().filter(pk=pk).first()
    if rule is None:
        raise Http404
    may_decide = permissions.can_decide_rule_funding(request.user, rule)
    levels = {funder.level: funder.percent for funder in rule.funders.all()}
    initial = {"version": rule.version, **levels}
    funders_form = forms.RuleFundersForm(initial=initial, prefix="funders")
    tranches_form = forms.TranchesForm(
        initial={"version": rule.version, "tranches": ",".join(str(p) for p in rule.tranche_percents)},
        prefix="tranches",
    )
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "funders":
            funders_form = forms.RuleFundersForm(request.POST, prefix="funders")
            if funders_form.is_valid() and _decide(request, funders_form, rule, action):
                return redirect("incentives:rule-funding", pk=rule.pk)
        elif action == "tranches":
            tranches_form = forms.TranchesForm(request.POST, prefix="tranches")
            if tranches_form.is_valid() and _decide(request, tranches_form, rule, action):
                return redirect("incentives:rule-funding", pk=rule.pk)
    context = {
        "rule": rule,
        "may_decide": may_decide,
        "funders_form": funders_form,
        "tranches_form": tranches_form,
        "history": selectors.rule_history(rule),
    }
    return render(request, "incentives/rule_funding.html", context)


def _decide(request: HttpRequest, form, rule, action: str) -> bool:
    data = form.cleaned_data
    try:
        if action == "funders":
            services.confirm_rule_funders(
                actor=request.user,
                rule_id=rule.pk,
                funders=form.funders(),
                note=data["note"],
                expected_version=data["version"],
            )
            messages.success(request, _("Funders confirmed."))
        else:
            services.set_rule_tranches(
                actor=request.user, rule_id=rule.pk, tranches=data["tranches"], expected_version=data["version"]
            )
            messages.success(request, _("Tranches saved."))
    except ServiceError as error:
        form.add_error(None, error.message)
        return False
    return True
