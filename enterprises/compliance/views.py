"""Compliance pages: a record entered or corrected by staff, and the import of credit-information exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enterprises.compliance import permissions, selectors, services
from enterprises.compliance.forms import ComplianceRecordForm, ComplianceUploadForm
from enterprises.selectors import enterprise_detail
from portal.exceptions import ServiceError


def _enterprise(request: HttpRequest, pk: int):
    enterprise = enterprise_detail(request.user, pk)
    if enterprise is None or not permissions.can_view_compliance(request.user, enterprise):
        raise Http404
    return enterprise


@login_required
def record_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    if not permissions.can_record_compliance(request.user, enterprise):
        raise PermissionDenied
    form = ComplianceRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_compliance(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Compliance record saved; eligibility is being recomputed."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    context = {"form": form, "enterprise": enterprise, "title": _("New compliance record")}
    return render(request, "enterprises/compliance/record_form.html", context)


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.compliance_record_detail(request.user, pk)
    if record is None:
        raise Http404
    if not permissions.can_change_compliance_record(request.user, record):
        raise PermissionDenied
    form = ComplianceRecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        version = int(request.POST.get("version") or 0) or None
        try:
            if action == "delete":
                services.delete_compliance_record(actor=request.user, record=record, expected_version=version)
            else:
                services.update_compliance_record(
                    actor=request.user, record=record, expected_version=version, **form.cleaned_data
                )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Compliance record saved; eligibility is being recomputed."))
            return redirect("enterprises:detail", pk=record.enterprise_id)
    context = {"form": form, "enterprise": record.enterprise, "record": record, "title": _("Edit compliance record")}
    return render(request, "enterprises/compliance/record_form.html", context)


def _require_importer(request: HttpRequest) -> None:
    if not permissions.can_import_compliance(request.user):
        raise PermissionDenied


def _import_list_page(request: HttpRequest, form: ComplianceUploadForm, status: int = 200) -> HttpResponse:
    page = Paginator(selectors.compliance_imports_visible_to(request.user), 25).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "coverage": selectors.coverage_visible_to(request.user)}
    return render(request, "enterprises/compliance/import_list.html", context, status=status)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    regions = selectors.import_regions_for(request.user)
    if request.method != "POST":
        return _import_list_page(request, ComplianceUploadForm(regions=regions))
    form = ComplianceUploadForm(request.POST, request.FILES, regions=regions)
    if not form.is_valid():
        return _import_list_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        compliance_import = services.upload_compliance(
            actor=request.user, region=form.cleaned_data["region"], file_name=upload.name, data=upload.read()
        )
    except ServiceError as refusal:
        form.add_error("file", refusal.message)
        return _import_list_page(request, form, status=400)
    return redirect("enterprises:compliance-import", pk=compliance_import.pk)


def _get_import(request: HttpRequest, pk: int):
    compliance_import = selectors.compliance_import_detail(request.user, pk)
    if compliance_import is None:
        raise Http404
    return compliance_import


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    compliance_import = _get_import(request, pk)
    action = request.GET.get("action", "")
    page = Paginator(selectors.report_rows(compliance_import, action), 50).get_page(request.GET.get("page"))
    context = {
        "compliance_import": compliance_import,
        "page": page,
        "action": action,
        "problems": selectors.report_problems(compliance_import),
    }
    return render(request, "enterprises/compliance/import_detail.html", context)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    compliance_import = _get_import(request, pk)
    try:
        compliance_import = services.commit_compliance_import(actor=request.user, compliance_import=compliance_import)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        if compliance_import.status == compliance_import.Status.COMMITTED:
            messages.success(
                request,
                _("Compliance data imported for %(region)s: %(created)s new records, %(updated)s updated.")
                % {
                    "region": compliance_import.region,
                    "created": compliance_import.created_count,
                    "updated": compliance_import.updated_count,
                },
            )
        else:
            messages.info(request, _("The compliance data is being imported in the background."))
    return redirect("enterprises:compliance-import", pk=compliance_import.pk)
