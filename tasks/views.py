import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_visible_to
from portal import params as query
from portal.exceptions import ServiceError
from portal.selectors import region_choices_for
from tasks import exports, periods, permissions, selectors, services
from tasks.forms import (
    CommentForm,
    ConflictDecisionForm,
    InferenceDecisionForm,
    ReportForm,
    VisitForm,
    figures_as_text,
)
from tasks.models import ReportAttachment, TaskReport
from tasks.progress import STATUS_RULE


def _as_of(request: HttpRequest) -> datetime.date:
    return query.date(request.GET, "as_of") or timezone.localdate()


def _measure(request: HttpRequest, pk: int):
    measure = selectors.measure_for(request.user, pk)
    if measure is None:
        raise Http404
    return measure


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = selectors.policies_visible_to(request.user).order_by("region__path", "issued_on")
    return render(request, "tasks/policy_list.html", {"policies": policies})


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_for(request.user, pk)
    if policy is None:
        raise Http404
    as_of = _as_of(request)
    context = {
        "policy": policy,
        "task_list": selectors.task_list(request.user, policy, as_of=as_of, today=timezone.localdate()),
        "as_of": as_of,
        "status_rule": STATUS_RULE,
        "can_export": permissions.can_export_task_list(request.user, policy),
        "can_decide": permissions.can_decide_inference(request.user, policy),
        "plan_inference": selectors.inferences_for([policy], field="plan_period").get(policy.pk),
    }
    return render(request, "tasks/policy_detail.html", context)


@login_required
def policy_export(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_for(request.user, pk)
    if policy is None or not permissions.can_export_task_list(request.user, policy):
        raise Http404
    task_list = selectors.task_list(request.user, policy, as_of=_as_of(request), today=timezone.localdate())
    response = HttpResponse(exports.task_list_workbook(task_list), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{policy.code}-{task_list.as_of:%Y%m%d}.xlsx")
    return response


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    today = timezone.localdate()
    recent, grid = selectors.report_grid(request.user, measure, today=today)
    context = {
        "measure": measure,
        "targets": selectors.target_progress(request.user, measure, as_of=today),
        "lead_inference": selectors.inferences_for([measure], field="lead_unit").get(measure.pk),
        "periods": recent,
        "grid": grid,
        "reports": selectors.reports_visible_to(request.user, measure).order_by("-period_start", "-is_consolidated"),
        "comments": selectors.leader_comments(measure),
        "can_report": permissions.can_file_report(request.user, measure),
        "can_comment": permissions.can_comment_on_measure(request.user, measure),
        "comment_form": CommentForm(),
        "status_rule": STATUS_RULE,
    }
    return render(request, "tasks/measure_detail.html", context)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    if not permissions.can_file_report(request.user, measure):
        raise PermissionDenied
    today = timezone.localdate()
    choices = [(p.label, p.label) for p in periods.reportable_periods(measure.cycle, today)]
    period = (
        request.POST.get("period") or request.GET.get("period") or periods.period_to_report(measure.cycle, today).label
    )
    report = TaskReport.objects.filter(measure=measure, department=request.user.department, period=period).first()
    initial = {"period": period, "submit": True, "version": report.version if report else 0}
    if report is not None:
        initial |= {"narrative": report.narrative, "figures": figures_as_text(report.figures)}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial, period_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.file_report(
                actor=request.user,
                measure=measure,
                department=request.user.department,
                period=data["period"],
                narrative=data["narrative"],
                figures=data["figures"],
                submit=data["submit"],
                expected_version=data.get("version"),
                attachment=data.get("attachment") or None,
            )
        except ServiceError as error:
            form.add_error(error.code if error.code in form.fields else None, error.message)
        else:
            messages.success(request, _("Report for %(period)s saved.") % {"period": report.period})
            return redirect("tasks:measure", pk=measure.pk)
    context = {
        "measure": measure,
        "form": form,
        "report": report,
        "is_lead": permissions.can_file_consolidated_report(request.user, measure),
    }
    return render(request, "tasks/report_form.html", context)


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    if not permissions.can_comment_on_measure(request.user, measure):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_on_measure(actor=request.user, measure=measure, text=form.cleaned_data["text"])
        messages.success(request, _("Instruction recorded; the lead unit has been notified."))
    else:
        messages.error(request, _("Write the instruction."))
    return redirect("tasks:measure", pk=measure.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = ReportAttachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None or selectors.report_for(request.user, attachment.report_id) is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_tasks(request.user, today=timezone.localdate()) if request.user.is_liaison else []
    return render(request, "tasks/my_tasks.html", {"rows": rows})


@login_required
def targets_overview(request: HttpRequest) -> HttpResponse:
    regions = region_choices_for(request.user)
    region_id = query.integer(request.GET, "region")
    region = regions.filter(pk=region_id).first() if region_id else None
    as_of = _as_of(request)
    context = {
        "rows": selectors.targets_overview(request.user, region=region, as_of=as_of),
        "regions": regions,
        "region": region,
        "as_of": as_of,
        "status_rule": STATUS_RULE,
    }
    return render(request, "tasks/targets.html", context)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_visits(request.user):
        raise PermissionDenied
    quarter = periods.period_containing("quarterly", _as_of(request))
    by_region, by_commissioner = selectors.quarterly_visit_compliance(request.user, quarter=quarter)
    context = {
        "visits": selectors.visits_visible_to(request.user)[:200],
        "quarter": quarter,
        "by_region": by_region,
        "by_commissioner": by_commissioner,
    }
    return render(request, "tasks/visits.html", context)


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    enterprises = Enterprise.objects.filter(
        Q(pk__in=enterprises_visible_to(request.user).values("pk")) | Q(service_commissioner=request.user)
    )
    form = VisitForm(request.POST or None, enterprises=enterprises.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_log_visit(request.user, data["enterprise"]):
            raise PermissionDenied
        try:
            services.log_visit(actor=request.user, **data)
        except ServiceError as error:
            form.add_error(error.code if error.code in form.fields else None, error.message)
        else:
            messages.success(request, _("Visit logged."))
            return redirect("tasks:visits")
    return render(request, "tasks/visit_form.html", {"form": form})


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    """Contradictions and the loader's inferences, with what an administrator decided; forms for those who may."""
    conflicts = [
        (
            conflict,
            ConflictDecisionForm(conflict=conflict, initial={"version": conflict.version}, prefix=f"c{conflict.pk}"),
        )
        for conflict in selectors.conflicts_visible_to(request.user)
    ]
    inferences = [
        (row, InferenceDecisionForm(row=row, initial={"version": row.inference.version}, prefix=f"i{row.inference.pk}"))
        for row in selectors.inferences_visible_to(request.user)
    ]
    context = {"conflicts": conflicts, "inferences": inferences, "can_decide": request.user.is_admin}
    return render(request, "tasks/decisions.html", context)


@login_required
@require_POST
def conflict_decide(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = selectors.conflict_for(request.user, pk)
    if conflict is None:
        raise Http404
    if not permissions.can_resolve_target_conflict(request.user, conflict):
        raise PermissionDenied
    form = ConflictDecisionForm(request.POST, conflict=conflict, prefix=f"c{pk}")
    if form.is_valid():
        data = form.cleaned_data
        chosen = {"first": conflict.first, "second": conflict.second}.get(data["choice"])
        try:
            services.resolve_target_conflict(
                actor=request.user, conflict=conflict, chosen=chosen, reason=data["reason"],
                expected_version=data.get("version"),
            )  # fmt: skip
            messages.success(request, _("Decision recorded."))
        except ServiceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Reason: please say why, for the record."))
    return redirect("tasks:decisions")


@login_required
@require_POST
def inference_decide(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.inference_for(request.user, pk)
    if row is None:
        raise Http404
    if not permissions.can_decide_inference(request.user, row.policy):
        raise PermissionDenied
    form = InferenceDecisionForm(request.POST, row=row, prefix=f"i{pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_inference(
                actor=request.user, inference=row.inference, value=data.get("value"), reason=data["reason"],
                expected_version=data.get("version"),
            )  # fmt: skip
            messages.success(request, _("Decision recorded."))
        except ServiceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("tasks:decisions")
