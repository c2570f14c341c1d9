"""Roster import pages: upload, dry run with the mapping, commit, rejected rows as a workbook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enterprises.permissions import can_import_rosters
from enterprises.roster import messages as roster_messages
from enterprises.roster import selectors, services
from enterprises.roster.errors import RosterRefused
from enterprises.roster.forms import RosterUploadForm
from portal.excel import XLSX_CONTENT_TYPE, workbook_bytes


def _require_admin(request: HttpRequest) -> None:
    if not can_import_rosters(request.user):
        raise PermissionDenied


def _get_import(request: HttpRequest, pk: int):
    roster_import = selectors.roster_imports_visible_to(request.user).filter(pk=pk).first()
    if roster_import is None:
        raise Http404
    return roster_import


def _list_page(request: HttpRequest, form: RosterUploadForm, status: int = 200) -> HttpResponse:
    page = Paginator(selectors.roster_import_list(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "enterprises/roster/list.html", {"page": page, "form": form}, status=status)


@login_required
@require_GET
def roster_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return _list_page(request, RosterUploadForm())


@login_required
@require_POST
def roster_upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        roster_import = services.upload_roster(
            actor=request.user, file_name=upload.name, data=upload.read(), choices=form.choices()
        )
    except RosterRefused as refusal:
        form.add_error("file", refusal.message)
        return _list_page(request, form, status=400)
    return redirect("enterprises:roster-detail", pk=roster_import.pk)


@login_required
@require_GET
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    roster_import = _get_import(request, pk)
    action = request.GET.get("action", "")
    page, rows = selectors.report_page(roster_import, action, request.GET.get("page"), 50)
    context = {
        "roster_import": roster_import,
        "report": roster_import.report,
        "action": action,
        "query_string": f"action={action}" if action else "",
        "page": page,
        "rows": [selectors.present_row(row) for row in rows],
        "file_warnings": selectors.file_warnings(roster_import),
        "year_source": selectors.year_source_text(roster_import),
        "refusal": services.refusal_text(roster_import),
    }
    return render(request, "enterprises/roster/detail.html", context)


@login_required
@require_POST
def roster_commit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    roster_import = _get_import(request, pk)
    try:
        roster_import = services.commit_roster(actor=request.user, roster_import=roster_import)
    except RosterRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if roster_import.status == roster_import.Status.COMMITTED:
            messages.success(
                request,
                _(
                    "Roster committed: %(created)s enterprises created, %(updated)s updated, %(recognitions)s recognitions."
                )
                % {
                    "created": roster_import.created_count,
                    "updated": roster_import.updated_count,
                    "recognitions": roster_import.recognition_count,
                },
            )
        else:
            messages.info(request, _("The roster is being committed in the background."))
    return redirect("enterprises:roster-detail", pk=roster_import.pk)


@login_required
@require_GET
def roster_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    roster_import = _get_import(request, pk)
    header, rows = selectors.rejected_sheet(roster_import)
    response = HttpResponse(
        workbook_bytes([(roster_messages.text("rejected_sheet"), header, rows)]), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{roster_import.pk}-rejected.xlsx"'
    return response
