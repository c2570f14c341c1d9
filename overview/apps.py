from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The top layer that reads across every domain app: dashboards, briefings, the home worklist, access.

    The domain apps never import it; it keeps its derived figures current through the
    signals and hooks it connects here.
    """

    name = "overview"
    verbose_name = _("Overview")

    def ready(self) -> None:
        from overview.dashboard import tallies

        _forget_figures_on_change()
        tallies.connect()


# The business data the dashboard's figures are computed from; bookkeeping models that
# change on every request or job (requests to recompute, import progress) are left out.
FIGURE_SOURCES = ("enterprises", "tiers", "incentives", "tasks")
NOT_FIGURES = {"RecomputeRequest", "RecomputeDrain", "RosterImport"}


def _forget_figures_on_change() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from portal.cache import figures_changed
    from portal.models import DashboardSnapshot, Region

    models = [model for label in FIGURE_SOURCES for model in apps.get_app_config(label).get_models()]
    for model in [*models, Region, DashboardSnapshot]:
        if model.__name__ in NOT_FIGURES:
            continue
        uid = f"figures-{model._meta.label}"
        post_save.connect(figures_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(figures_changed, sender=model, dispatch_uid=uid)
