from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Notification

ALL = None  # every signed-in role

# (group label, icon, [(label, url name, roles that see it)]). A group with one
# visible item shows as a plain link; apps add their pages here.
NAVIGATION = [
    (_("Home"), "house", [(_("Home"), "home", ALL)]),
    (
        _("Leader dashboard"),
        "speedometer2",
        [
            (_("Leader dashboard"), "dashboard:index", {"leader", "admin"}),
            (_("Briefings"), "briefings:list", {"leader", "admin"}),
        ],
    ),
    (
        _("Enterprise register"),
        "buildings",
        [
            (_("Enterprises"), "enterprises:list", {"staff", "leader", "admin"}),
            (_("Roster imports"), "enterprises:roster-list", {"admin"}),
            (_("Compliance imports"), "enterprises:compliance-imports", {"admin"}),
        ],
    ),
    (
        _("Tier cultivation"),
        "bar-chart-steps",
        [
            (_("Ladders"), "tiers:ladders", {"staff", "leader", "admin"}),
            (_("Cultivation pool"), "tiers:pool", {"staff", "leader", "admin"}),
        ],
    ),
    (
        _("Applications and review"),
        "clipboard-check",
        [
            (_("Applications"), "applications:list", {"staff", "leader", "admin"}),
            (_("My review queue"), "applications:queue", {"staff", "admin"}),
            (_("Review board"), "applications:board", {"staff", "leader", "admin"}),
            (_("Publicity"), "applications:publicity-list", {"staff", "leader", "admin"}),
            (_("Application batches"), "applications:batches", {"staff", "leader", "admin"}),
        ],
    ),
    (
        _("Tasks and targets"),
        "list-check",
        [
            (_("Task lists"), "tasks:policies", ALL),
            (_("My tasks"), "tasks:mine", {"liaison"}),
            (_("Target progress"), "tasks:targets", {"staff", "leader", "admin"}),
            (_("Service visits"), "tasks:visits", {"staff", "leader", "admin"}),
        ],
    ),
    (
        _("Rewards"),
        "cash-coin",
        [
            (_("Rewards"), "incentives:list", {"staff", "leader", "admin"}),
            (_("Reward budget"), "incentives:budget", {"staff", "leader", "admin"}),
        ],
    ),
    (
        _("System"),
        "gear",
        [
            (_("Audit log"), "audit-log", {"admin", "leader"}),
            (_("Users and permissions"), "access:users", {"admin"}),
            (_("Administration"), "admin:index", {"admin"}),
        ],
    ),
]


def _visible_items(items, role: str, path: str) -> list[dict]:
    visible = []
    for label, url_name, roles in items:
        if roles is not ALL and role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": label, "url": url, "active": url != "/" and path.startswith(url)})
    return visible


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    role = "admin" if user.is_admin else user.role
    groups = []
    for label, icon, items in NAVIGATION:
        visible = _visible_items(items, role, request.path)
        if visible:
            groups.append(
                {"label": label, "icon": icon, "items": visible, "active": any(item["active"] for item in visible)}
            )
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"navigation": groups, "unread_notifications": unread}
