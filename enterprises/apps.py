from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        # The enterprise list's cached counts change with any enterprise and with the region
        # tree; writers that bypass these signals (the roster importer) forget them themselves.
        from django.db.models.signals import post_delete, post_save

        from enterprises.models import Enterprise
        from enterprises.selectors import forget_enterprise_counts
        from portal.models import Region

        for model in (Enterprise, Region):
            post_save.connect(
                forget_enterprise_counts, sender=model, dispatch_uid=f"enterprise-counts-{model.__name__}"
            )
            post_delete.connect(
                forget_enterprise_counts, sender=model, dispatch_uid=f"enterprise-counts-{model.__name__}"
            )
