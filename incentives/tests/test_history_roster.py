"""西宁 升规 from 规上 periods imported with rosters (纳入规上日期, 退库日期), not entered by hand.

宁政办〔2023〕32号 (from 2023-06-16): 升规 20 万元 to the county, "不包含已退库再次入库企业".
The roster's commit fires the same hooks as the hand entry, so the rule reads the same history.
"""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import AboveScalePeriod, Enterprise
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.tests.roster_files import HEADER, code, roster_rows, xlsx_bytes
from incentives.models import Entitlement
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCALE_HEADER = [*HEADER, "纳入规上日期", "退库日期"]


@pytest.fixture
def import_periods(regions, django_capture_on_commit_callbacks):
    """Upload and commit a roster of 城东区 enterprises with their 规上 dates; after-commit hooks run."""
    admin = UserFactory(username="t_roster_admin", role="admin", region=None, is_superuser=True, is_staff=True)

    def _import(periods: list[tuple[int, datetime.date, datetime.date | None]]):
        rows = [SCALE_HEADER]
        for number, entered_on, left_on in periods:
            rows.append([*roster_rows(1, region="城东区", start=number)[0], entered_on, left_on])
        roster_import = upload_roster(actor=admin, file_name="规上企业名单.xlsx", data=xlsx_bytes(rows))
        assert roster_import.rejected_count == 0
        with django_capture_on_commit_callbacks(execute=True):
            return commit_roster(actor=admin, roster_import=roster_import)

    return _import


def owed(number: int) -> list[Decimal]:
    return list(
        Entitlement.objects.filter(
            enterprise__credit_code=code(number), rule__code="xn-above-scale-province"
        ).values_list("amount", flat=True)
    )


def test_an_entry_imported_after_the_policy_owes_the_county_20(reward_rules, import_periods):
    import_periods([(1, datetime.date(2024, 3, 1), None)])

    assert owed(1) == [Decimal("20")]
    assert Enterprise.objects.get(credit_code=code(1)).is_above_scale


@pytest.mark.parametrize(
    "earlier",
    [
        (datetime.date(2019, 1, 1), datetime.date(2021, 12, 31)),  # left before the policy began
        (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31)),  # left after it began
    ],
)
def test_a_re_entry_imported_after_exit_is_not_owed_again(reward_rules, import_periods, earlier):
    """The first roster records the period and its 退库; the second the re-entry: a second period, no new 升规."""
    import_periods([(1, *earlier)])
    before = owed(1)
    assert before == ([Decimal("20")] if earlier[0] >= datetime.date(2023, 6, 16) else [])

    import_periods([(1, datetime.date(2024, 9, 1), None)])

    assert AboveScalePeriod.objects.filter(enterprise__credit_code=code(1)).count() == 2
    assert owed(1) == before
    assert Enterprise.objects.get(credit_code=code(1)).is_above_scale


def test_entry_then_exit_by_two_rosters_owes_once(reward_rules, import_periods):
    """Closing the period by a later roster does not owe or cancel anything."""
    import_periods([(1, datetime.date(2024, 3, 1), None)])
    import_periods([(1, datetime.date(2024, 3, 1), datetime.date(2025, 6, 30))])

    assert owed(1) == [Decimal("20")]
    assert not Enterprise.objects.get(credit_code=code(1)).is_above_scale
