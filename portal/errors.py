"""Error pages people read: in the site's layout, in Chinese, saying what happened and what to do."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale CSRF token (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
