from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TiersConfig(AppConfig):
    name = "tiers"
    verbose_name = _("Tiers")

    def ready(self) -> None:
        # Eligibility depends on an enterprise's figures and recognitions: recompute it when they change.
        from enterprises import holdings
        from enterprises import services as enterprise_services
        from tiers import services
        from tiers.holdings import PROVIDER

        # The register reads and records titles through tiers, never by importing it.
        holdings.provide(PROVIDER)

        # Both hooks take whole batches: a roster of 50,000 rows marks 50,000 enterprises in one statement.
        if services.mark_for_recompute not in enterprise_services.ENTERPRISE_CHANGE_HOOKS:
            enterprise_services.ENTERPRISE_CHANGE_HOOKS.append(services.mark_for_recompute)
        if services.schedule_recognitions_recompute not in services.RECOGNITION_BATCH_GRANTED_HOOKS:
            services.RECOGNITION_BATCH_GRANTED_HOOKS.append(services.schedule_recognitions_recompute)
