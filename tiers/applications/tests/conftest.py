import pytest
from django.utils import translation

from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from portal.tests.factories import UserFactory
from tiers.applications.tests.factories import BatchFactory
from tiers.models import Level
from tiers.tests.factories import TierFactory


@pytest.fixture
def english():
    """Refusal messages are English msgids until the translation pass writes the Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def chain_users(users, region_tree):
    """Reviewers at each level besides the shared users: a second county reviewer and provincial staff."""
    return {
        **users,
        "spt_reviewer": UserFactory(username="t_spt_reviewer", role="staff", region=region_tree["shapotou"]),
        "nx_staff": UserFactory(username="t_nx_staff", role="staff", region=region_tree["ningxia"]),
    }


@pytest.fixture
def national_tier(db):
    return TierFactory(code="little-giant", name="专精特新“小巨人”企业", level=Level.NATIONAL, validity_years=3)


@pytest.fixture
def city_tier(region_tree):
    return TierFactory(
        code="zw-city-srdi", name="市级专精特新中小企业", level=Level.CITY, issuing_region=region_tree["zhongwei"]
    )


@pytest.fixture
def batch(national_tier):
    return BatchFactory(tier=national_tier, name="2026年第一批")


@pytest.fixture
def enterprise(region_tree):
    enterprise = EnterpriseFactory(name="沙坡头精密机械有限公司", region=region_tree["shapotou"])
    AnnualIndicatorFactory(enterprise=enterprise, year=2025, rd_expense=300)
    return enterprise
