import sys
import time

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from portal.audit import audit_origin
from tiers.eligibility import recompute_eligibility


class Command(BaseCommand):
    help = "Recompute every enterprise's eligibility for every tier (what the nightly job does)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enterprise", type=int, action="append", dest="enterprises", help="Only this enterprise id (repeatable)"
        )
        parser.add_argument("--on", help="Evaluation date, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--workers", type=int, default=1, help="Processes that read and evaluate (default 1; the writing stays one)"
        )

    def handle(self, *args, enterprises=None, on=None, workers=1, **options) -> None:
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            line = f"{done}/{total} enterprises · {rate:,.0f}/s"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
            else:
                self.stdout.write(line)

        with audit_origin("command:recompute"):
            summary = recompute_eligibility(
                enterprise_ids=enterprises,
                on=parse_date(on) if on else None,
                progress=progress,
                progress_every=1000,
                workers=workers,
            )
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.enterprises} enterprises, {summary.results} results ({summary.written} changed and written), "
                f"{summary.changes} verdict changes, "
                f"{summary.pool_entered} entered and {summary.pool_left} left the pool in {time.monotonic() - started:.1f} s"
            )
        )
