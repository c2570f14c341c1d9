"""`python manage.py generate_demo --enterprises 100000`: a province-sized register for trying the portal at scale.

The register (enterprises, three years of figures, recognitions, pool entries,
applications) is planned from one seeded random generator and written straight
into its tables — COPY on PostgreSQL, executemany elsewhere — with no per-row
save, signal or audit row (seed.demo.generate). Then the real
set-based services compute what is derived: rewards owed
(incentives.services.compute_entitlements_for_rules), eligibility and the pool
(tiers.eligibility.recompute_eligibility) and the dashboard's monthly
snapshots. The same seed and date give the same data.

Generated enterprises are recognisable by "DM" in positions 9–10 of their credit
code (the organisation-code part); a second run leaves them alone unless
`--reset` removes them and everything hanging off them first.
"""

import datetime
import random
import time
from collections import Counter

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from overview.dashboard.tallies import tallies_changed
from portal.audit import audit_origin
from portal.cache import figures_changed
from portal.models import Region
from seed.demo import generate
from tiers.models import Tier


class Command(BaseCommand):
    help = "Generate a province-sized demo register (enterprises, figures, recognitions, pool, applications, rewards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--as-of", dest="as_of", default="", help="The day the data is generated for (YYYY-MM-DD)")
        parser.add_argument(
            "--province", default="", help="Place every enterprise in this province (region code, e.g. 640000)"
        )
        parser.add_argument("--reset", action="store_true", help="Remove previously generated data first")
        parser.add_argument("--skip-eligibility", action="store_true", help="Do not run the eligibility recompute")
        parser.add_argument(
            "--workers", type=int, default=1, help="Processes evaluating eligibility (on a machine with spare cores)"
        )

    def handle(self, *args, **options) -> None:
        self.started = time.perf_counter()
        generator = random.Random(options["seed"])
        today = datetime.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        with audit_origin("command:generate_demo"):
            if not Region.objects.filter(kind=Region.Kind.COUNTY).exists() or not Tier.objects.exists():
                call_command("load_policies", stdout=self.stdout)
            existing = generate.generated_enterprises().count()
            if existing and not options["reset"]:
                self.stdout.write(f"{existing} generated enterprises already present; use --reset to generate again.")
                return
            if existing:
                self.step("removed generated rows:", generate.remove_generated())
            self.generate(options["enterprises"], generator=generator, today=today, province=options["province"])
            if not options["skip_eligibility"]:
                self.recompute_eligibility(today=today, workers=options["workers"])
            self.step("snapshots", generate.record_snapshots(today=today))
        figures_changed()  # the register is written in SQL, which sends no model signals
        tallies_changed()
        self.step("done")

    def step(self, label: str, count: int | str = "") -> None:
        self.stdout.write(f"[{time.perf_counter() - self.started:7.1f}s] {label} {count}".rstrip())

    def generate(self, total: int, *, generator: random.Random, today: datetime.date, province: str = "") -> None:
        planner = generate.prepare_planner(generator=generator, today=today, province=province)

        def progress(counts: Counter) -> None:
            self.step("enterprises", counts["enterprises"])

        counts = generate.write_register(planner, total=total, progress=progress)
        self.step("written:", ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items()))
        self.step("task reports", generate.write_task_reports(generator=generator, today=today))
        self.step("entitlements", generate.owe_rewards())
        self.step("payments", generate.pay_some_rewards(generator=generator, today=today))

    def recompute_eligibility(self, *, today: datetime.date, workers: int) -> None:
        from tiers.eligibility import recompute_eligibility

        summary = recompute_eligibility(on=today, workers=workers)
        self.step("eligibility results", summary.results)
