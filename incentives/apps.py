from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = _("Incentives")

    def ready(self) -> None:
        from incentives import services
        from tiers import services as tier_services

        # One call per grant or roster import, whatever the number of recognitions.
        if services.on_recognitions_granted not in tier_services.RECOGNITION_BATCH_GRANTED_HOOKS:
            tier_services.RECOGNITION_BATCH_GRANTED_HOOKS.append(services.on_recognitions_granted)
        # Revocation hooks arrive with the applications issue; until then the nightly job catches up.
        revoked_hooks = getattr(tier_services, "RECOGNITION_REVOKED_HOOKS", None)
        if revoked_hooks is not None and services.on_recognition_revoked not in revoked_hooks:
            revoked_hooks.append(services.on_recognition_revoked)
