from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overview.briefings import permissions, selectors, services
from overview.dashboard.permissions import can_view_dashboards
from overview.dashboard.selectors import dashboard_regions, default_region
from overview.dashboard.views import dashboard_region, parse_as_of, sections_for_display
from portal.excel import XLSX_CONTENT_TYPE
from portal.exceptions import ServiceError

CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "pdf": "application/pdf"}


@login_required
def briefing_list(request: HttpRequest) -> HttpResponse:
    if not can_view_dashboards(request.user):
        raise PermissionDenied
    region_id = request.GET.get("region", "")
    region = dashboard_region(request.user, region_id) if region_id else default_region(request.user)
    context = {
        "briefings": selectors.briefing_list(request.user, region_path=region.path if region_id else None)[:100],
        "regions": dashboard_regions(request.user),
        "region": region,
        "today": timezone.localdate(),
    }
    return render(request, "briefings/list.html", context)


@login_required
@require_POST
def briefing_create(request: HttpRequest) -> HttpResponse:
    region = dashboard_region(request.user, request.POST.get("region", ""))
    if not permissions.can_request_briefing(request.user, region):
        raise PermissionDenied
    try:
        briefing = services.request_briefing(
            actor=request.user, region=region, as_of=parse_as_of(request.POST.get("as_of", ""))
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("briefings:list")
    messages.success(request, _("The briefing is being prepared."))
    return redirect("briefings:detail", pk=briefing.pk)


def _briefing(request: HttpRequest, pk: int):
    briefing = selectors.briefing_for(request.user, pk)
    if briefing is None or not permissions.can_view_briefing(request.user, briefing):
        raise Http404
    return briefing


@login_required
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable page: the stored figures only, never recomputed."""
    briefing = _briefing(request, pk)
    sections = sections_for_display(briefing.figures) if briefing.is_ready else []
    return render(request, "briefings/detail.html", {"briefing": briefing, "sections": sections})


@login_required
def briefing_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    briefing = _briefing(request, pk)
    stored = {"xlsx": briefing.xlsx, "pdf": briefing.pdf}.get(kind)
    if stored is None or not stored.name:
        raise Http404
    name = f"{briefing.region.name}-简报-{briefing.as_of:%Y%m%d}.{kind}"
    response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
