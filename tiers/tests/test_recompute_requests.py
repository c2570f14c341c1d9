"""The dirty set: changes mark enterprises, one drain job recomputes them in set-based batches."""

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from enterprises.services import save_indicators
from portal.models import Job
from tiers import services
from tiers.eligibility import pending
from tiers.models import EligibilityResult, RecomputeDrain, RecomputeRequest, Tier
from tiers.tests.test_recompute import make_register

DRAIN = "tiers.jobs.recompute_pending"


def test_many_changes_in_one_transaction_queue_one_job(
    criteria, region_tree, users, django_capture_on_commit_callbacks
):
    """Thirty figure changes to ten enterprises in one transaction: ten requests, one job, every result."""
    enterprises = make_register(10, region_tree["shapotou"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for enterprise in enterprises:
            for year in (2023, 2024, 2025):
                save_indicators(actor=users["zw_staff"], enterprise=enterprise, year=year, values={"employees": 90})
        assert RecomputeRequest.objects.count() == 0  # the hooks run after commit
    assert Job.objects.filter(kind=DRAIN).count() == 1
    job = Job.objects.get(kind=DRAIN)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["enterprises"] == 10
    assert not RecomputeRequest.objects.exists()
    assert EligibilityResult.objects.values("enterprise").distinct().count() == 10
    assert RecomputeDrain.objects.get().job is None


def test_a_queued_drain_job_is_not_queued_again(criteria, region_tree, django_capture_on_commit_callbacks):
    """While the drain job waits in the queue, further changes only add requests."""
    first, second = make_register(2, region_tree["shapotou"])
    waiting = Job.objects.create(kind=DRAIN)
    RecomputeDrain.objects.update_or_create(pk=1, defaults={"job": waiting})
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_for_recompute(enterprise_ids=[first.pk])
        services.mark_for_recompute(enterprise_ids=[second.pk, first.pk])
    assert list(Job.objects.filter(kind=DRAIN)) == [waiting]
    assert set(RecomputeRequest.objects.values_list("enterprise_id", flat=True)) == {first.pk, second.pk}
    # A failed job does not count as coming: the next change queues a fresh one.
    Job.objects.filter(pk=waiting.pk).update(status=Job.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_for_recompute(enterprise_ids=[first.pk])
    assert Job.objects.filter(kind=DRAIN).count() == 2
    assert not RecomputeRequest.objects.exists()


def test_the_drain_processes_all_pending_and_keeps_a_request_added_meanwhile(criteria, region_tree, monkeypatch):
    """A change arriving while a batch is recomputed survives to the next run; the processed ones are gone."""
    enterprises = make_register(5, region_tree["shapotou"])
    late = make_register(1, region_tree["zhongning"])[0]
    pending.add_requests([e.pk for e in enterprises])
    real = pending.recompute_eligibility
    calls = []

    def recompute_while_someone_edits(**kwargs):
        summary = real(**kwargs)
        if not calls:
            # Marked again while the first batch runs (a new time), and a new enterprise marked.
            pending.add_requests([enterprises[0].pk, late.pk])
        calls.append(summary.enterprises)
        return summary

    monkeypatch.setattr(pending, "recompute_eligibility", recompute_while_someone_edits)
    summary = pending.drain_recompute_requests(batch_size=100)
    # First batch: the five; the job then finds the two new requests before it stops.
    assert calls == [5, 2]
    assert summary.enterprises == 7
    assert not RecomputeRequest.objects.exists()
    assert EligibilityResult.objects.values("enterprise").distinct().count() == 6


def test_a_request_marked_again_during_the_batch_is_not_deleted(criteria, region_tree, monkeypatch):
    """Only the requests read are deleted: one refreshed meanwhile stays for the next run."""
    enterprise = make_register(1, region_tree["shapotou"])[0]
    pending.add_requests([enterprise.pk])
    taken = list(RecomputeRequest.objects.values_list("enterprise_id", "requested_at"))
    RecomputeRequest.objects.update(requested_at=taken[0][1] + datetime.timedelta(seconds=1))
    pending._delete_taken(taken)
    assert RecomputeRequest.objects.filter(enterprise=enterprise).exists()
    pending._delete_taken(list(RecomputeRequest.objects.values_list("enterprise_id", "requested_at")))
    assert not RecomputeRequest.objects.exists()


def test_a_roster_sized_batch_takes_as_many_queries_as_a_small_one(criteria, region_tree):
    """Marking and draining 500 enterprises costs the same statements as 50 (one batch each)."""
    # A first drain fills what the process keeps between drains (whatever tests ran before in it).
    warm = make_register(1, region_tree["shapotou"], seed=3)
    services.mark_for_recompute(enterprise_ids=[warm[0].pk])
    pending.drain_recompute_requests()
    small = make_register(50, region_tree["shapotou"])
    services.mark_for_recompute(enterprise_ids=[e.pk for e in small])
    with CaptureQueriesContext(connection) as few:
        summary = pending.drain_recompute_requests()
    assert summary.enterprises == 50
    large = make_register(500, region_tree["zhongning"], seed=2)
    services.mark_for_recompute(enterprise_ids=[e.pk for e in large])
    with CaptureQueriesContext(connection) as many:
        summary = pending.drain_recompute_requests()
    assert summary.enterprises == 500
    assert not RecomputeRequest.objects.exists()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_granted_recognition_marks_its_enterprise(criteria, region_tree, users):
    """Granting a recognition puts the enterprise in the dirty set, through the batch grant hook."""
    enterprise = make_register(1, region_tree["shapotou"])[0]
    assert services.schedule_recognitions_recompute in services.RECOGNITION_BATCH_GRANTED_HOOKS
    recognition, _created = services.grant_recognition(
        actor=users["zw_staff"],
        enterprise=enterprise,
        tier=Tier.objects.get(code="tech-sme"),
        recognized_on=datetime.date(2026, 3, 1),
    )
    RecomputeRequest.objects.all().delete()
    services.schedule_recognitions_recompute(recognition_ids=[recognition.pk])
    assert list(RecomputeRequest.objects.values_list("enterprise_id", flat=True)) == [enterprise.pk]


def test_a_staff_judgement_marks_its_enterprise_with_the_change(criteria, region_tree, users):
    """The request is written in the same transaction as the judgement, so neither exists without the other."""
    enterprise = make_register(1, region_tree["shapotou"])[0]
    services.record_manual_assessment(
        actor=users["zw_staff"], enterprise=enterprise, key="niche-years", evidence="年报", value=Decimal("3")
    )
    assert RecomputeRequest.objects.filter(enterprise=enterprise).exists()
