"""Batch pages (申报批次): the batches of the reader's chain of jurisdictions (every region's on request), and the
form the responsible department of a city or province opens one with. Application counts are limited to the
reader's region and below.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.exceptions import ServiceError
from tiers.applications import forms, permissions, selectors, services
from tiers.applications.models import Batch
from tiers.models import Tier

PAGE_SIZE = 25


@dataclass(frozen=True)
class BatchRow:
    batch: Batch
    status: selectors.BatchStatus
    application_count: int


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied
    filters = selectors.BatchFilters.from_params(request.GET)
    visible = selectors.batches_for(request.user, show_all=filters.show_all)
    page = Paginator(filters.apply(visible), PAGE_SIZE).get_page(request.GET.get("page"))
    batches = list(page)
    counts = selectors.application_counts(request.user, batches)
    today = timezone.localdate()
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "rows": [BatchRow(batch, selectors.batch_status(batch, today), counts.get(batch.pk, 0)) for batch in batches],
        "filters": filters,
        "tiers": Tier.objects.filter(pk__in=visible.values("tier")).order_by("name"),
        "years": visible.order_by("-year").values_list("year", flat=True).distinct(),
        "can_create": permissions.can_manage_batches(request.user),
        "empty_hint": selectors.no_batch_hint(request.user),
        "query_string": params.urlencode(),
    }
    return render(request, "applications/batches.html", context)


@login_required
def batch_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_batches(request.user):
        raise PermissionDenied
    form = forms.BatchForm(
        request.POST or None, initial={"tier": request.GET.get("tier")}, tiers=selectors.tiers_user_opens(request.user)
    )
    if request.method == "POST" and form.is_valid():
        refusal = permissions.batch_refusal(request.user, form.cleaned_data["tier"])
        try:
            if refusal:
                raise ServiceError(refusal, code="tier")
            region = None if request.user.is_admin else request.user.region
            batch = services.create_batch(actor=request.user, region=region, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.code if error.code in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Batch “%(name)s” of %(tier)s created.") % {"name": batch.name, "tier": batch.tier.name}
            )
            query = urlencode({"tier": batch.tier_id, "year": batch.year})
            return redirect(f"{reverse('applications:batches')}?{query}")
    return render(request, "applications/form.html", {"form": form, "title": _("New batch")})
