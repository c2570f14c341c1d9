"""Pages: a criteria set, and the register compared under two versions (or a draft)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.exceptions import ServiceError
from portal.selectors import region_choices_for
from tiers.models import CriteriaSet
from tiers.versions import exports, permissions
from tiers.versions.compare import GROUPS, set_nodes, thresholds
from tiers.versions.requests import parse_comparison


@login_required
def criteria_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_compare_criteria_sets(request.user):
        raise PermissionDenied
    criteria_set = CriteriaSet.objects.select_related("tier").prefetch_related("criteria").filter(pk=pk).first()
    if criteria_set is None:
        raise Http404
    siblings = CriteriaSet.objects.filter(tier=criteria_set.tier).exclude(pk=pk).order_by("effective_from")
    context = {"criteria_set": criteria_set, "siblings": siblings}
    return render(request, "tiers/versions/criteria_set.html", context)


@login_required
def comparison(request: HttpRequest, tier_code: str) -> HttpResponse:
    if not permissions.can_compare_criteria_sets(request.user):
        raise PermissionDenied
    draft, is_draft = None, request.method == "POST"
    if is_draft:
        if not permissions.can_evaluate_draft_criteria(request.user):
            raise PermissionDenied
        draft = {key[2:]: float(value) for key, value in request.POST.items() if key.startswith("t-") and value.strip()}
    error, result = "", None
    try:
        parsed = parse_comparison(request.user, tier_code, request.POST if is_draft else request.GET, draft)
        result = parsed.run(request.user)
    except (ServiceError, ValueError) as refusal:
        parsed = parse_comparison(request.user, tier_code, request.GET)
        error = getattr(refusal, "message", _("Thresholds must be numbers."))
    context = {
        "parsed": parsed,
        "result": result,
        "error": error,
        "groups": GROUPS,
        "labels": exports.group_labels(result) if result else {},
        "regions": region_choices_for(request.user),
        "thresholds": thresholds(set_nodes(parsed.new)),
        "draft": draft or {},
        "can_draft": permissions.can_evaluate_draft_criteria(request.user),
    }
    return render(request, "tiers/versions/comparison.html", context)


@login_required
def comparison_export(request: HttpRequest, tier_code: str) -> HttpResponse:
    if not permissions.can_compare_criteria_sets(request.user):
        raise PermissionDenied
    result = parse_comparison(request.user, tier_code, request.GET).run(request.user)
    response = HttpResponse(exports.comparison_workbook(result), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="criteria-comparison-{tier_code}-{result.on:%Y%m%d}.xlsx"'
    return response
