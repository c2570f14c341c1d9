"""`generate_demo`: a register with valid credit codes, spread over the counties, the same for the same seed."""

from django.core.management import call_command

from enterprises.credit_codes import parse
from enterprises.models import AnnualIndicator, Enterprise
from portal.models import DashboardSnapshot, Region
from tiers.models import Application, PoolEntry, Recognition


def _generate(**options) -> str:
    import io

    out = io.StringIO()
    call_command(
        "generate_demo", enterprises=300, seed=7, as_of="2026-06-30", skip_eligibility=True, stdout=out, **options
    )
    return out.getvalue()


def test_generates_a_register_of_every_kind_of_row_with_valid_codes(db):
    output = _generate()
    assert "done" in output
    enterprises = list(Enterprise.objects.select_related("region"))
    assert len(enterprises) == 300
    assert all(parse(enterprise.credit_code).has_valid_check for enterprise in enterprises)
    assert {enterprise.region.kind for enterprise in enterprises} <= {Region.Kind.COUNTY, Region.Kind.PARK}
    assert len({enterprise.region_id for enterprise in enterprises}) > 10
    assert AnnualIndicator.objects.count() == 900
    assert set(AnnualIndicator.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    statuses = set(Recognition.objects.values_list("status", flat=True))
    assert {Recognition.Status.VALID, Recognition.Status.EXPIRED} <= statuses
    assert PoolEntry.objects.exists() and Application.objects.values("state").distinct().count() >= 3
    assert DashboardSnapshot.objects.filter(region__code="640000").count() == 13


def test_the_same_seed_gives_the_same_data_and_a_second_run_adds_nothing(db):
    _generate()
    first = list(Enterprise.objects.order_by("credit_code").values_list("credit_code", "name", "region__code"))
    assert "already present" in _generate()
    assert Enterprise.objects.count() == 300
    _generate(reset=True)
    assert list(Enterprise.objects.order_by("credit_code").values_list("credit_code", "name", "region__code")) == first
