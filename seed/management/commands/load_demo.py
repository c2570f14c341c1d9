from django.core.management.base import BaseCommand

from overview.dashboard.tallies import tallies_changed
from portal.audit import audit_origin
from portal.cache import figures_changed
from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "Command"]


class Command(BaseCommand):
    help = "Load (idempotently) demo accounts, enterprises, yearly figures and recognitions."

    def handle(self, *args, **options) -> None:
        with audit_origin("command:load_demo"):
            counts = load_demo()
        figures_changed()  # the demo register is written in bulk, which sends no model signals
        tallies_changed()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
