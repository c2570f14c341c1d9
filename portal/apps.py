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
        from portal.api import strict_text

        strict_text.install()
