from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from overview.worklist.selectors import todo_items
from portal import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Everyone starts from their to-do list, under their role and scope."""
    regions = selectors.regions_visible_to(request.user).filter(
        depth__lte=(request.user.region.depth + 1) if request.user.region else 1
    )
    return render(request, "portal/home.html", {"regions": regions, "todo": todo_items(request.user)})
