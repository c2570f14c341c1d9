from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, roles that see it; None = everyone signed in)
NAVIGATION = [
    (_("Home"), "home", None),
    (_("Leader dashboard"), "dashboard:index", {"leader", "admin"}),
    (_("Briefings"), "briefings:list", {"leader", "admin"}),
    (_("Enterprises"), "enterprises:list", {"staff", "leader", "admin"}),
    (_("Applications"), "applications:list", {"staff", "leader", "admin"}),
    (_("My review queue"), "applications:queue", {"staff", "admin"}),
    (_("Review board"), "applications:board", {"staff", "leader", "admin"}),
    (_("Publicity"), "applications:publicity-list", {"staff", "leader", "admin"}),
    (_("Roster imports"), "enterprises:roster-list", {"admin"}),
    (_("Ladders"), "tiers:ladders", {"staff", "leader", "admin"}),
    (_("Cultivation pool"), "tiers:pool", {"staff", "leader", "admin"}),
    (_("Task lists"), "tasks:policies", None),
    (_("My tasks"), "tasks:mine", {"liaison"}),
    (_("Target progress"), "tasks:targets", {"staff", "leader", "admin"}),
    (_("Service visits"), "tasks:visits", {"staff", "leader", "admin"}),
    (_("Rewards"), "incentives:list", {"staff", "leader", "admin"}),
    (_("Reward budget"), "incentives:budget", {"staff", "leader", "admin"}),
    (_("Audit log"), "audit-log", {"admin", "leader"}),
    (_("Administration"), "admin:index", {"admin"}),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    role = "admin" if user.is_admin else user.role
    items = []
    for label, url_name, roles in NAVIGATION:
        if roles is not None and role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"navigation": items}
