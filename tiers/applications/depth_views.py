"""What reviewers add on the application page besides a decision: score items, on-site checks, 会签 opinions.

Each is a POST that calls one service and returns to the application with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import ServiceError
from tiers.applications import forms, services
from tiers.applications.views import get_application


def _run(request: HttpRequest, pk: int, done: str, call) -> HttpResponse:
    try:
        call()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def score_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    form = forms.ScoreReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Points must be a number."))
        return redirect("applications:detail", pk=pk)
    data = form.cleaned_data
    return _run(
        request,
        pk,
        _("Score item recorded."),
        lambda: services.review_score_item(
            actor=request.user,
            application=application,
            item_code=data["item_code"],
            points=data["points"],
            reason=data["reason"],
        ),
    )


@login_required
@require_POST
def site_check_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    form = forms.SiteCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the date, the people, the findings and the conclusion."))
        return redirect("applications:detail", pk=pk)
    return _run(
        request,
        pk,
        _("On-site check recorded."),
        lambda: services.record_site_check(
            actor=request.user, application=application, files=request.FILES.getlist("files"), **form.cleaned_data
        ),
    )


@login_required
@require_POST
def opinion_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    form = forms.OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write the opinion."))
        return redirect("applications:detail", pk=pk)
    return _run(
        request,
        pk,
        _("Opinion recorded."),
        lambda: services.record_opinion(actor=request.user, application=application, text=form.cleaned_data["text"]),
    )


@login_required
@require_POST
def opinion_request(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    department = next(
        (d for d in services.opinion_departments(application) if str(d.pk) == request.POST.get("department")), None
    )
    if department is None:
        messages.error(request, _("Please choose another department of the reviewing region."))
        return redirect("applications:detail", pk=pk)
    return _run(
        request,
        pk,
        _("%(department)s has been asked for its opinion.") % {"department": department.name},
        lambda: services.request_opinion(actor=request.user, application=application, department=department),
    )
