"""`generate_demo`: a register with valid credit codes, spread over the counties, the same for the same seed."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.credit_codes import parse
from enterprises.models import AnnualIndicator, Enterprise
from incentives.models import Entitlement, Payment
from portal.models import DashboardSnapshot, Region
from seed.demo import generate
from tasks.models import TaskReport
from tiers.models import Application, ApplicationState, EligibilityResult, PoolEntry, Recognition

# Each test generates a register (and most recompute its eligibility): left out of `make test-quick`.
pytestmark = pytest.mark.slow

AS_OF = datetime.date(2026, 6, 30)


def _generate(enterprises: int = 300, **options) -> str:
    out = io.StringIO()
    call_command(
        "generate_demo",
        enterprises=enterprises,
        seed=options.pop("seed", 7),
        as_of=AS_OF.isoformat(),
        skip_eligibility=options.pop("skip_eligibility", True),
        stdout=out,
        **options,
    )
    return out.getvalue()


def _fingerprint() -> dict[str, list]:
    """Every generated value a user sees, in a stable order."""
    return {
        "enterprises": list(
            Enterprise.objects.order_by("credit_code").values_list(
                "credit_code", "name", "region__code", "industry_code", "registered_on", "size_class", "is_listed"
            )
        ),
        "indicators": list(
            AnnualIndicator.objects.order_by("enterprise__credit_code", "year").values_list(
                "year", "operating_revenue", "rd_expense", "net_profit", "employees", "digital_level"
            )
        ),
        "recognitions": list(
            Recognition.objects.order_by("certificate_no").values_list(
                "certificate_no", "tier__code", "recognized_on", "valid_until", "status", "revoked_on"
            )
        ),
        "pool": list(
            PoolEntry.objects.order_by("enterprise__credit_code", "tier__code").values_list(
                "tier__code", "stage", "entered_at", "left_at"
            )
        ),
        "applications": list(
            Application.objects.order_by("enterprise__credit_code").values_list(
                "tier__code", "state", "submitted_at", "waiting_since", "due_at", "reviewing_region__code"
            )
        ),
        "payments": sorted(
            Payment.objects.values_list("share__entitlement__enterprise__credit_code", "amount", "paid_on")
        ),
    }


def test_generates_a_register_of_every_kind_of_row_with_valid_codes(db):
    """Enterprises in counties and parks, three years of figures each, and some of everything that hangs off them."""
    output = _generate()
    assert "done" in output
    enterprises = list(Enterprise.objects.select_related("region"))
    assert len(enterprises) == 300
    assert all(parse(enterprise.credit_code).has_valid_check for enterprise in enterprises)
    assert all(enterprise.credit_code[8:10] == "DM" for enterprise in enterprises)
    assert {enterprise.region.kind for enterprise in enterprises} <= {Region.Kind.COUNTY, Region.Kind.PARK}
    assert len({enterprise.region_id for enterprise in enterprises}) > 10
    assert AnnualIndicator.objects.count() == 900
    assert set(AnnualIndicator.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    statuses = set(Recognition.objects.values_list("status", flat=True))
    assert {Recognition.Status.VALID, Recognition.Status.EXPIRED} <= statuses
    assert 0.1 < Recognition.objects.values("enterprise").distinct().count() / 300 < 0.25
    assert PoolEntry.objects.exists() and Application.objects.values("state").distinct().count() >= 3
    assert Entitlement.objects.exists() and Payment.objects.exists()
    assert TaskReport.objects.filter(narrative__startswith="【演示数据】").exists()
    assert DashboardSnapshot.objects.filter(region__code="640000").count() == 13
    assert DashboardSnapshot.objects.filter(region__code="640500", taken_on=AS_OF).exists()


def test_eligibility_is_computed_for_every_generated_enterprise_unless_skipped(db):
    """Without --skip-eligibility the register leaves with every enterprise evaluated against the tiers."""
    output = _generate(enterprises=40, skip_eligibility=False)
    assert "eligibility results" in output
    evaluated = EligibilityResult.objects.filter(evaluated_on=AS_OF).values("enterprise").distinct().count()
    assert evaluated == 40


def test_rows_written_outside_the_orm_read_back_as_the_orm_would_have_written_them(db):
    """Columns the generator leaves out hold the model's defaults; blank text stays blank, not NULL."""
    _generate(enterprises=50)
    enterprise = Enterprise.objects.order_by("pk").first()
    assert (enterprise.contact_name, enterprise.version, enterprise.service_commissioner_id) == ("", 1, None)
    assert enterprise.created_at is not None and enterprise.updated_at is not None
    indicator = AnnualIndicator.objects.filter(enterprise=enterprise).first()
    assert indicator.sources == {"generated": True}
    assert indicator.main_product_revenue is None and indicator.operating_revenue > 0
    assert not Recognition.objects.filter(status=Recognition.Status.VALID).exclude(revoked_reason="").exists()
    application = Application.objects.first()
    assert (application.indicators_snapshot, application.kind) == ({}, Application.Kind.NEW)


def test_an_enterprise_added_afterwards_gets_a_new_id(db):
    """Generated enterprises are written with their ids; the database hands out the next ones after them."""
    _generate(enterprises=20)
    last = Enterprise.objects.order_by("-pk").first()
    added = Enterprise.objects.create(credit_code="91640500MA00000001", name="后来企业", region=last.region)
    assert added.pk > last.pk


def test_everything_happened_before_the_day_the_data_is_generated_for(db):
    """Submissions, reviews and pool moves are dated from --as-of, not from the clock."""
    _generate()
    midnight = timezone.make_aware(datetime.datetime.combine(AS_OF, datetime.time()))
    submitted = Application.objects.exclude(submitted_at=None).values_list("submitted_at", flat=True)
    assert submitted and max(submitted) < midnight
    assert not Application.objects.filter(waiting_since__gte=midnight).exists()
    in_review = Application.objects.filter(state=ApplicationState.IN_REVIEW)
    assert in_review.exists() and not in_review.filter(reviewing_region=None).exists()
    assert not PoolEntry.objects.filter(left_at__gte=midnight).exists()
    assert not PoolEntry.objects.filter(left_at=None).exclude(left_reason="").exists()
    assert not Payment.objects.filter(paid_on__gt=AS_OF).exists()


def test_the_same_seed_gives_the_same_data_and_a_second_run_adds_nothing(db):
    _generate()
    first = _fingerprint()
    assert "already present" in _generate()
    assert Enterprise.objects.count() == 300
    _generate(reset=True)
    assert _fingerprint() == first
    _generate(reset=True, seed=8)
    assert _fingerprint()["enterprises"] != first["enterprises"]


def test_a_seed_gives_the_same_province_on_every_database(db):
    """Nothing depends on the database: these values are the same on SQLite and PostgreSQL."""
    _generate(enterprises=20)
    enterprise = Enterprise.objects.order_by("pk").values_list("credit_code", "name", "region__code").first()
    assert enterprise == GOLDEN_ENTERPRISE
    revenues = AnnualIndicator.objects.filter(enterprise__credit_code=GOLDEN_ENTERPRISE[0]).order_by("year")
    assert [str(value) for value in revenues.values_list("operating_revenue", flat=True)] == GOLDEN_REVENUES


def test_reset_removes_the_generated_rows_and_nothing_else(db):
    """A register someone entered by hand survives --reset; the generated one is replaced in full."""
    _generate(enterprises=100)
    own = Enterprise.objects.create(
        credit_code="91640500MA00000001", name="真实企业", region=Region.objects.get(code="640502")
    )
    AnnualIndicator.objects.create(enterprise=own, year=2025, operating_revenue=100)
    output = _generate(enterprises=100, reset=True)
    assert "removed generated rows" in output
    assert Enterprise.objects.count() == 101
    assert AnnualIndicator.objects.filter(enterprise=own).count() == 1
    assert AnnualIndicator.objects.count() == 301


def test_the_register_is_written_with_the_same_statements_for_more_enterprises(db):
    """Set-based: the statement count depends on the batches of 5,000, not on the enterprises in them."""
    _generate(enterprises=10)

    def statements(total: int) -> int:
        planner = generate.prepare_planner(generator=random.Random(1), today=AS_OF)
        with CaptureQueriesContext(connection) as queries:
            counts = generate.write_register(planner, total=total)
        assert counts["enterprises"] == total and counts["indicators"] == 3 * total
        return len(queries.captured_queries)

    assert statements(100) == statements(1000)


# Seed 7, 2026-06-30, 20 enterprises: the first one and its operating revenue (万元) in 2023–2025.
GOLDEN_ENTERPRISE = ("91630100DM0000001F", "东川中天肉食品有限公司", "630100-P02")
GOLDEN_REVENUES = ["2739.21", "2790.90", "2621.38"]
