"""The set-based recompute: same answers as the per-enterprise path, flat query count, history, hooks."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.models import AnnualIndicator
from enterprises.services import save_indicators
from enterprises.tests.factories import EnterpriseFactory
from portal.models import Job
from tests.properties import examples
from tiers.criteria.describe import gap_lines
from tiers.eligibility import CriteriaBook, evaluate_enterprise, recompute_eligibility
from tiers.eligibility.live import gaps_for_results
from tiers.models import CriteriaSet, EligibilityChange, EligibilityResult, Tier, Verdict
from tiers.tests.factories import RecognitionFactory
from tiers.tests.helpers import ON


def make_register(count: int, region, seed: int = 0) -> list:
    enterprises = EnterpriseFactory.create_batch(count, region=region)
    rows = []
    for index, enterprise in enumerate(enterprises):
        for year in (2023, 2024, 2025):
            k = (index + seed) % 7
            rows.append(
                AnnualIndicator(
                    enterprise=enterprise,
                    year=year,
                    operating_revenue=1000 + 300 * k + 100 * (year - 2023),
                    main_business_revenue=900 + 280 * k + 90 * (year - 2023),
                    rd_expense=20 + 15 * k,
                    total_assets=2000,
                    total_liabilities=600 + 100 * k,
                    net_profit=50 + 10 * k,
                    employees=80,
                    tech_staff=8 + k,
                    rd_staff=5 + k,
                    ip_class1_count=k % 2,
                    ip_class2_count=k,
                    high_value_patents=k % 3 == 0,
                )
            )
    AnnualIndicator.objects.bulk_create(rows)
    return enterprises


def stored(enterprise_id: int) -> dict:
    return {
        r.tier_id: (
            r.criteria_set_id,
            r.verdict,
            None if r.score is None else float(r.score),
            r.missing_count,
        )
        for r in EligibilityResult.objects.filter(enterprise_id=enterprise_id)
    }


def straightforward(enterprise, book) -> dict:
    """The per-enterprise evaluation, as much of it as a stored result keeps."""
    return {
        item.tier_id: (
            item.criteria_set.id,
            item.evaluation.verdict,
            None if item.evaluation.score is None else round(item.evaluation.score, 2),
            item.evaluation.missing_count,
        )
        for item in evaluate_enterprise(enterprise, on=ON, book=book)
    }


def test_recompute_stores_one_result_per_enterprise_and_tier_with_criteria(criteria, region_tree):
    enterprises = make_register(3, region_tree["shapotou"])
    summary = recompute_eligibility(on=ON)
    tiers_with_sets = CriteriaSet.objects.values("tier").distinct().count()
    assert summary.enterprises == 3
    assert EligibilityResult.objects.count() == 3 * tiers_with_sets == summary.results
    book = CriteriaBook.load()
    for enterprise in enterprises:
        assert stored(enterprise.pk) == straightforward(enterprise, book)


def test_recompute_query_count_does_not_grow_with_the_register(criteria, region_tree):
    make_register(10, region_tree["shapotou"])
    with CaptureQueriesContext(connection) as small:
        recompute_eligibility(on=ON)
    make_register(90, region_tree["zhongning"], seed=3)
    with CaptureQueriesContext(connection) as large:
        recompute_eligibility(on=ON)
    assert EligibilityResult.objects.values("enterprise").distinct().count() == 100
    assert len(large.captured_queries) == len(small.captured_queries)


def test_running_twice_changes_nothing_and_writes_no_history(criteria, region_tree):
    make_register(5, region_tree["shapotou"])
    recompute_eligibility(on=ON)
    first = list(
        EligibilityResult.objects.order_by("pk").values_list("verdict", "score", "missing_count", "computed_at")
    )
    changes = EligibilityChange.objects.count()
    summary = recompute_eligibility(on=ON)
    assert summary.changes == 0
    assert EligibilityChange.objects.count() == changes
    assert (
        list(EligibilityResult.objects.order_by("pk").values_list("verdict", "score", "missing_count", "computed_at"))
        == first
    )


def test_history_records_when_an_enterprise_becomes_eligible(criteria, region_tree, users):
    enterprise = EnterpriseFactory(region=region_tree["shapotou"], industry_code="C3911")
    save_indicators(
        actor=users["zw_staff"], enterprise=enterprise, year=2025, values={"main_business_revenue": Decimal("1999")}
    )
    above_scale = Tier.objects.get(code="above-scale")
    recompute_eligibility(on=ON)
    result = EligibilityResult.objects.get(enterprise=enterprise, tier=above_scale)
    assert result.verdict == Verdict.MISSES
    assert not EligibilityChange.objects.filter(tier=above_scale).exists()
    save_indicators(
        actor=users["zw_staff"], enterprise=enterprise, year=2025, values={"main_business_revenue": Decimal("2000")}
    )
    recompute_eligibility(on=ON, enterprise_ids=[enterprise.pk])
    change = EligibilityChange.objects.get(tier=above_scale)
    assert (change.from_verdict, change.to_verdict) == (Verdict.MISSES, Verdict.MEETS)
    from tiers.selectors import newly_eligible_count

    assert (
        newly_eligible_count(users["zw_leader"], tier=above_scale, since=change.at - datetime.timedelta(seconds=1)) == 1
    )
    assert (
        newly_eligible_count(users["zn_staff"], tier=above_scale, since=change.at - datetime.timedelta(seconds=1)) == 0
    )


def test_saving_figures_recomputes_that_enterprise_through_a_job(
    criteria, region_tree, users, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory(region=region_tree["shapotou"], industry_code="C3911")
    with django_capture_on_commit_callbacks(execute=True):
        save_indicators(
            actor=users["zw_staff"], enterprise=enterprise, year=2025, values={"main_business_revenue": Decimal("2500")}
        )
    job = Job.objects.get(kind="tiers.jobs.recompute_pending")
    assert job.status == Job.Status.SUCCEEDED and job.result["enterprises"] == 1
    result = EligibilityResult.objects.get(enterprise=enterprise, tier__code="above-scale")
    # The figures are for 2025, so this holds while “上年度” is 2025, i.e. during 2026.
    assert result.verdict in (Verdict.MEETS, Verdict.INSUFFICIENT_DATA)


def test_criteria_set_is_chosen_by_date_and_purpose(criteria):
    book = CriteriaBook.load()
    srdi = Tier.objects.get(code="srdi-sme")
    assert book.set_for(srdi.pk, on=datetime.date(2026, 3, 31), purpose="new").code == "srdi-sme-2022"
    assert book.set_for(srdi.pk, on=datetime.date(2026, 4, 1), purpose="new").code == "srdi-sme-2026"
    assert book.set_for(srdi.pk, on=datetime.date(2026, 4, 1), purpose="review").code == "srdi-sme-2022"
    giant = Tier.objects.get(code="little-giant")
    assert book.set_for(giant.pk, on=datetime.date(2026, 6, 1), purpose="review").code == "little-giant-2022"
    assert book.set_for(giant.pk, on=datetime.date(2022, 5, 31), purpose="new") is None


def test_a_holder_is_evaluated_as_for_a_re_review(criteria, region_tree):
    enterprise = make_register(1, region_tree["shapotou"])[0]
    RecognitionFactory(
        enterprise=enterprise,
        tier=Tier.objects.get(code="srdi-sme"),
        recognized_on=datetime.date(2024, 6, 1),
        valid_until=datetime.date(2027, 5, 31),
    )
    recompute_eligibility(on=ON)
    result = EligibilityResult.objects.get(enterprise=enterprise, tier__code="srdi-sme")
    assert (result.purpose, result.criteria_set.code) == ("review", "srdi-sme-2022")
    assert (
        EligibilityResult.objects.get(enterprise=enterprise, tier__code="little-giant").criteria_set.code
        == "little-giant-2026"
    )


def test_removing_a_criteria_set_removes_its_results_and_the_next_run_uses_the_set_left(criteria, region_tree):
    """Results keep no database-level key to criteria sets: the ORM's cascade and the recompute keep them right."""
    make_register(2, region_tree["shapotou"])
    recompute_eligibility(on=ON)
    newest = CriteriaSet.objects.get(code="srdi-sme-2026")
    assert EligibilityResult.objects.filter(criteria_set=newest).count() == 2
    newest.delete()
    assert not EligibilityResult.objects.filter(criteria_set_id=newest.pk).exists()
    recompute_eligibility(on=ON)
    assert set(
        EligibilityResult.objects.filter(tier__code="srdi-sme").values_list("criteria_set__code", flat=True)
    ) == {"srdi-sme-2022"}


money = st.one_of(st.none(), st.decimals(min_value=0, max_value=60000, places=2))
counts = st.one_of(st.none(), st.integers(min_value=0, max_value=1200))
figures = st.fixed_dictionaries(
    {
        "operating_revenue": money,
        "main_business_revenue": money,
        "rd_expense": money,
        "total_assets": money,
        "total_liabilities": money,
        "net_profit": money,
        "high_tech_product_revenue": money,
        "main_product_revenue": money,
        "equity_financing": money,
        "employees": counts,
        "tech_staff": counts,
        "rd_staff": counts,
        "ip_class1_count": st.one_of(st.none(), st.integers(0, 6)),
        "ip_class2_count": st.one_of(st.none(), st.integers(0, 8)),
        "high_value_patents": st.one_of(st.none(), st.integers(0, 2)),
        "invention_patents": st.one_of(st.none(), st.integers(0, 3)),
        "digital_level": st.one_of(st.none(), st.integers(1, 4)),
    }
)
register = st.lists(
    st.tuples(
        st.sampled_from(["C3911", "C1610", "F5110", "I6510", "D4411", ""]),
        st.sampled_from(["", "micro", "small", "medium", "large"]),
        st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2026, 5, 1))),
        st.lists(figures, min_size=0, max_size=4),
        st.sets(st.sampled_from(["high-tech", "srdi-sme", "innovative-sme", "tech-sme"]), max_size=2),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=register)
def test_set_based_recompute_agrees_with_the_per_enterprise_evaluation(criteria, region_tree, rows):
    """On random registers, stored results equal the straightforward evaluation, enterprise by enterprise."""
    EligibilityResult.objects.all().delete()
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    enterprises = []
    for industry, size, registered_on, years, held in rows:
        enterprise = EnterpriseFactory(
            region=region_tree["shapotou"], industry_code=industry, size_class=size, registered_on=registered_on
        )
        for offset, values in enumerate(years):
            AnnualIndicator.objects.create(enterprise=enterprise, year=2025 - offset, **values)
        for code in held:
            RecognitionFactory(
                enterprise=enterprise,
                tier=tiers[code],
                recognized_on=datetime.date(2025, 1, 1),
                valid_until=datetime.date(2027, 12, 31),
            )
        enterprises.append(enterprise)
    recompute_eligibility(on=ON, enterprise_ids=[e.pk for e in enterprises])
    book = CriteriaBook.load()
    for enterprise in enterprises:
        assert stored(enterprise.pk) == straightforward(enterprise, book)
        # The gap sentences shown beside stored results are those of the full evaluation.
        full = {item.tier_id: item.evaluation.details for item in evaluate_enterprise(enterprise, on=ON, book=book)}
        results = list(EligibilityResult.objects.filter(enterprise=enterprise))
        shown = gaps_for_results(results, on=ON)
        for result in results:
            assert shown[result.pk] == gap_lines(full[result.tier_id])


@pytest.mark.django_db(transaction=True)
def test_a_recompute_spread_over_two_processes_stores_what_one_process_stores(region_tree):
    """Worker processes read committed data and send back rows; the stored results are the same."""
    from tiers.reference import load_criteria_sets, load_tiers_and_ladders

    load_tiers_and_ladders()
    load_criteria_sets()
    enterprises = make_register(12, region_tree["shapotou"])
    summary = recompute_eligibility(on=ON, workers=2)
    assert (summary.enterprises, summary.written) == (12, EligibilityResult.objects.count())
    assert summary.worker_queries > 0
    book = CriteriaBook.load()
    for enterprise in enterprises:
        assert stored(enterprise.pk) == straightforward(enterprise, book)
    assert recompute_eligibility(on=ON, workers=2).written == 0


def test_a_criterion_lacking_the_size_class_names_it_in_the_gap():
    """“Data missing (size class)”, not an error, when neither the size class nor the figures to derive it exist."""
    from django.utils import translation

    from tiers.criteria.describe import gap_lines
    from tiers.tests.helpers import evaluate, make_facts

    facts = make_facts(size_class="", industry_code="")
    evaluation = evaluate([{"kind": "size_class", "code": "sme", "label": "中小企业"}], facts)
    with translation.override("en"):
        assert [line["text"] for line in gap_lines(evaluation.details)] == ["中小企业: data missing (size class)"]
