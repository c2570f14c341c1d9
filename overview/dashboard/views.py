import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from overview.dashboard import exports, paths, permissions, selectors, targets
from portal import params as query
from portal.excel import XLSX_CONTENT_TYPE
from portal.models import Region, User

FULLSCREEN_REFRESH_SECONDS = 300


def parse_as_of(value: str) -> datetime.date:
    """The date asked for, never later than today (the register knows nothing about tomorrow)."""
    today = timezone.localdate()
    day = query.date({"as_of": value}, "as_of")
    return min(day, today) if day else today


def dashboard_region(user: User, region_id: str) -> Region:
    """The region asked for, or the user's own; outside the user's scope is a 404, like a missing one."""
    if not permissions.can_view_dashboards(user):
        raise PermissionDenied
    if region_id:
        region = selectors.dashboard_regions(user).filter(pk=query.integer({"region": region_id}, "region")).first()
    else:
        region = selectors.default_region(user)
    if region is None or not permissions.can_view_dashboard(user, region):
        raise Http404
    return region


def _display_groups(item: dict) -> list[dict]:
    """The targets section's groups with card indexes replaced by the cards themselves."""
    cards = item["cards"]

    def column_of(column: dict) -> dict:
        yearly = [{**result, "card": cards[result["card"]]} for result in column.get("yearly", [])]
        return {**column, "cards": [cards[i] for i in column["cards"]], "yearly": yearly}

    return [
        {**group, "rows": [{**row, "years": [column_of(column) for column in row["years"]]} for row in group["rows"]]}
        for group in item["groups"]
    ]


def sections_for_display(figures: dict) -> list[dict]:
    """Sections with each row paired with the id it links to (templates cannot zip)."""
    shown = []
    for item in figures["sections"]:
        ids = item.get("row_ids") or [None] * len(item["rows"])
        shown.append({**item, "lines": list(zip(ids, item["rows"], strict=True))})
        if item.get("groups"):
            shown[-1]["shown_groups"] = _display_groups(item)
    return shown


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    region = dashboard_region(request.user, request.GET.get("region", ""))
    as_of = parse_as_of(request.GET.get("as_of", ""))
    is_fullscreen = request.GET.get("fullscreen") == "1"
    figures = selectors.cached_dashboard_figures(region, as_of=as_of)
    context = {
        "region": region,
        "as_of": as_of,
        "is_today": as_of == timezone.localdate(),
        "figures": figures,
        "sections": sections_for_display(figures),
        "trail": selectors.dashboard_regions(request.user).filter(pk__in=region.ancestors_and_self).order_by("depth"),
        "regions": selectors.dashboard_regions(request.user),
        "base_template": "dashboard/fullscreen_base.html" if is_fullscreen else "base.html",
        "is_fullscreen": is_fullscreen,
        "refresh_seconds": FULLSCREEN_REFRESH_SECONDS if is_fullscreen else 0,
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The tables behind the charts as .xlsx: one section (`?section=`) or all of them."""
    region = dashboard_region(request.user, request.GET.get("region", ""))
    as_of = parse_as_of(request.GET.get("as_of", ""))
    figures = selectors.cached_dashboard_figures(region, as_of=as_of)
    key = request.GET.get("section", "")
    if key and selectors.section_of(figures, key) is None:
        raise Http404
    content = exports.figures_workbook(figures, only=key or None)
    name = f"dashboard-{region.code}-{as_of:%Y%m%d}{'-' + key if key else ''}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def shortlist_for(request: HttpRequest, key: str) -> paths.Shortlist:
    return paths.target_shortlist(_target(request, key), as_of=parse_as_of(request.GET.get("as_of", "")))


@login_required
def target_path(request: HttpRequest, key: str) -> HttpResponse:
    """The way to a target: the gap, where the enterprises can come from, the expected figure, the shortlist."""
    shortlist = shortlist_for(request, key)
    context = {"shortlist": shortlist, "path": shortlist.path, "target": shortlist.target, "as_of": shortlist.as_of}
    context["columns"] = paths.shortlist_columns()
    context["rate_rule"] = paths.RATE_RULE
    return render(request, "dashboard/target_path.html", context)


@login_required
def target_path_export(request: HttpRequest, key: str) -> HttpResponse:
    """The shortlist as .xlsx, formula-escaped like every export."""
    shortlist = shortlist_for(request, key)
    content = exports.shortlist_workbook(shortlist)
    name = f"path-{shortlist.target.key}-{shortlist.as_of:%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def _target(request: HttpRequest, key: str):
    if not permissions.can_view_dashboards(request.user):
        raise PermissionDenied
    target = paths.target_for_path(request.user, key)
    if target is None:
        raise Http404
    return target


@login_required
def target_enterprises(request: HttpRequest, key: str) -> HttpResponse:
    """The enterprises a target's card counts, and those left out with why."""
    target = _target(request, key)
    as_of = parse_as_of(request.GET.get("as_of", ""))
    figure, rows = targets.target_enterprises(target, as_of=as_of)
    context = {"target": target, "figure": figure, "card": targets.card_of(figure, region=target.region)}
    context |= {"rows": rows, "as_of": as_of, "columns": targets.enterprise_columns()}
    return render(request, "dashboard/target_enterprises.html", context)


@login_required
def target_enterprises_export(request: HttpRequest, key: str) -> HttpResponse:
    target = _target(request, key)
    as_of = parse_as_of(request.GET.get("as_of", ""))
    _figure, rows = targets.target_enterprises(target, as_of=as_of)
    content = exports.workbook_bytes(
        [(f"{target.label}（{target.year}）", targets.enterprise_columns(), [row[:5] for row in rows])]
    )
    name = f"target-{target.key}-{as_of:%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
