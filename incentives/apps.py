from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = _("Incentives")

    def ready(self) -> None:
        from enterprises import scale_periods
        from enterprises import services as enterprise_services
        from incentives import services
        from tiers import services as tier_services

        def register(hooks: list, hook) -> None:
            if hook not in hooks:
                hooks.append(hook)

        # One call per grant or roster import, whatever the number of recognitions.
        register(tier_services.RECOGNITION_BATCH_GRANTED_HOOKS, services.on_recognitions_granted)
        register(tier_services.RECOGNITION_REVOKED_HOOKS, services.on_recognition_revoked)
        register(scale_periods.ABOVE_SCALE_ENTERED_HOOKS, services.on_above_scale_entered)
        # Figures entered may settle a cap that waits for them (“不高于企业三年累计缴税总额”).
        register(enterprise_services.ENTERPRISE_CHANGE_HOOKS, services.on_enterprises_changed)
