from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Every app's Celery tasks live in jobs.py; the web process needs them
        # registered too, to queue them by name.
        autodiscover_modules("jobs")
        for key, folder in getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}).items():
            if key.endswith("folder") or key.startswith("data_folder"):
                Path(folder).mkdir(parents=True, exist_ok=True)
        _forget_figures_on_change()
        from portal.api import strict_text
        from portal.dashboard import tallies

        strict_text.install()
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
