from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedConfig(AppConfig):
    """Loading what the portal starts with: the five policies (load_policies) and the demo (load_demo, generate_demo)."""

    name = "seed"
    verbose_name = _("Policies and demo data")
