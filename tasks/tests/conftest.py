import pytest

from portal.models import Region
from portal.reference import load_regions_and_departments
from tasks.policies import load_policies
from tiers.models import Tier
from tiers.reference import TIERS


@pytest.fixture
def loaded(db):
    """The five documents loaded over the reference regions, departments and tiers.

    Only the tiers themselves are created here (not the criteria the tiers app also loads),
    so these tests depend on nothing but the tier codes.
    """
    load_regions_and_departments()
    regions = {region.code: region for region in Region.objects.all()}
    for code, name, level, region_code, validity, is_manual in TIERS:
        Tier.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "issuing_region": regions.get(region_code),
                      "validity_years": validity, "is_manual": is_manual},
        )  # fmt: skip
    return load_policies()
