"""What the demo needs so that a new user can start at once: county departments, and a batch open for each main tier.

County departments: the reference data has none below the cities (the documents name none), so the
demo gives 中宁县 an industry bureau; its two staff members can then enter and pass each other's work.
Batches: each demo city's responsible department opens this year's batch of the main tiers of its ladders,
through the same service and audit as a person would.
"""

import datetime

from django.utils import timezone

from portal.audit import record_event
from portal.models import AuditEvent, Department, Region, User
from tiers.applications.models import Batch
from tiers.applications.permissions import batch_refusal
from tiers.applications.services import create_batch
from tiers.models import Tier

# region code, department name, aliases
COUNTY_DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("640521", "县工业和信息化局", ("中宁县工业和信息化局", "中宁县工信局", "县工信局")),
)

# city region code -> tiers whose batch its responsible department opens (the main rungs of the city's ladders)
CITY_BATCHES: dict[str, tuple[str, ...]] = {
    "640500": ("tech-sme", "high-tech", "nx-fledgling", "nx-gazelle", "innovative-sme", "srdi-sme", "little-giant"),
    "630100": ("tech-sme", "high-tech", "qh-tech-enterprise", "xn-city-tech-enterprise", "srdi-sme", "xn-backbone"),
    "150600": ("innovative-sme", "eeds-city-innovative-sme", "eeds-city-srdi", "srdi-sme", "little-giant"),
    "652700": ("innovative-sme", "srdi-sme", "little-giant"),
}
OPEN_DAYS_BEFORE, OPEN_DAYS_AFTER = 30, 90


def load_county_departments(regions: dict[str, Region]) -> int:
    """Create the demo's county departments that do not exist yet; audited."""
    created = 0
    for region_code, name, aliases in COUNTY_DEPARTMENTS:
        region = regions.get(region_code)
        if region is None:
            continue
        department, is_new = Department.objects.get_or_create(
            region=region, name=name, defaults={"kind": Department.Kind.BUREAU, "aliases": list(aliases)}
        )
        if is_new:
            record_event(
                actor=None,
                action=AuditEvent.Action.CREATE,
                instance=department,
                region=region,
                changes={"name": [None, name]},
                note="demo department",
            )
            created += 1
    return created


def open_demo_batches(regions: dict[str, Region], today: datetime.date | None = None) -> int:
    """This year's batch of each main tier, opened by a staff member of the city's responsible department."""
    today = today or timezone.localdate()
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    created = 0
    for city_code, tier_codes in CITY_BATCHES.items():
        city = regions.get(city_code)
        if city is None:
            continue
        staff = list(User.objects.filter(region=city, role="staff", is_active=True).select_related("department"))
        for code in tier_codes:
            tier = tiers.get(code)
            name = f"{today.year}年第一批"
            if tier is None or Batch.objects.filter(tier=tier, year=today.year, name=name, region=city).exists():
                continue
            opener = next((user for user in staff if batch_refusal(user, tier) is None), None)
            create_batch(
                actor=opener,
                tier=tier,
                year=today.year,
                name=name,
                opens_on=today - datetime.timedelta(days=OPEN_DAYS_BEFORE),
                closes_on=today + datetime.timedelta(days=OPEN_DAYS_AFTER),
                region=city,
            )
            created += 1
    return created
