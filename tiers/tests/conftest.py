import datetime

import pytest

from tiers.reference import load_criteria_sets, load_tiers_and_ladders

ON = datetime.date(2026, 6, 1)


@pytest.fixture
def criteria(db, region_tree):
    """Every tier, ladder and official criteria set, as `load_policies` loads them."""
    load_tiers_and_ladders()
    return load_criteria_sets()
