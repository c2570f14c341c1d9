from django.core.management.base import BaseCommand
from django.db import transaction

from incentives.services.rule_loader import load_reward_rules
from portal.audit import audit_origin
from portal.reference import load_regions_and_departments
from tasks.policies import load_policies
from tiers.reference import load_tiers_and_ladders


class Command(BaseCommand):
    help = "Load (idempotently) the reference data of the five policy documents."

    def handle(self, *args, **options) -> None:
        with audit_origin("command:load_policies"), transaction.atomic():
            counts = load_regions_and_departments()
            counts |= load_tiers_and_ladders()
            counts |= load_policies()
            counts |= load_reward_rules()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
        if counts.get("target_conflicts"):
            self.stdout.write(
                f"{counts['target_conflicts']} target conflict(s): two statements of one policy document that "
                "cannot both hold. This is expected with the published documents; the policy's page shows them."
            )
