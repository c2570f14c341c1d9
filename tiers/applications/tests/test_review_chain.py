"""The review chain: every transition, and every refusal with the message the user reads."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent
from tiers.applications import permissions, selectors, services, transitions
from tiers.applications.models import Application, ApplicationState, ReviewAction
from tiers.applications.tests.factories import BatchFactory
from tiers.models import Recognition

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def draft(chain_users, enterprise, batch):
    return services.create_application(
        actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch, statements="研发投入持续增长。"
    )


@pytest.fixture
def at_county(draft, chain_users):
    return services.submit_application(actor=chain_users["spt_staff"], application=draft)


@pytest.fixture
def at_city(at_county, chain_users):
    return services.pass_application(actor=chain_users["spt_reviewer"], application=at_county, comment="材料齐全")


@pytest.fixture
def recommended(at_city, chain_users):
    return services.recommend_application(actor=chain_users["zw_staff"], application=at_city, comment="同意推荐")


def test_a_national_tier_goes_county_city_then_is_recommended_to_the_province(recommended, region_tree):
    """The default chain of a national tier: county, city, then the province records the result."""
    steps = [(action.action, action.from_state, action.to_state) for action in recommended.actions.all()]
    assert steps == [
        ("create", "", "Draft"),
        ("submit", "Draft", "County review"),
        ("pass", "County review", "City review"),
        ("recommend", "City review", "Recommended, awaiting decision"),
    ]
    assert recommended.reviewing_region == region_tree["ningxia"]


def test_every_step_records_who_when_comment_and_audit(at_city, chain_users):
    """Each transition appends a review action and an audit event; review actions are never edited."""
    action = at_city.actions.get(action=ReviewAction.Action.PASS)
    assert action.actor == chain_users["spt_reviewer"] and action.comment == "材料齐全" and action.at
    assert AuditEvent.objects.filter(object_id=str(at_city.pk), action=AuditEvent.Action.TRANSITION).count() == 2
    with pytest.raises(ValueError):
        action.save()


def test_submission_snapshots_indicators_and_eligibility(at_county):
    """The figures the application relies on are frozen at submission."""
    assert at_county.indicators_snapshot["year"] == 2025
    assert at_county.indicators_snapshot["values"]["rd_expense"] == "300"
    assert at_county.eligibility_snapshot["purpose"] == "new"
    assert "available" in at_county.eligibility_snapshot


def test_a_city_tier_ends_at_the_city_which_decides(chain_users, enterprise, city_tier, region_tree):
    """A 市级 tier has no provincial step: after the city review the city's staff decide."""
    batch = BatchFactory(tier=city_tier)
    application = services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)
    application = services.submit_application(actor=chain_users["spt_staff"], application=application)
    application = services.pass_application(actor=chain_users["spt_reviewer"], application=application)
    application = services.recommend_application(actor=chain_users["zw_staff"], application=application)
    assert application.reviewing_region == region_tree["zhongwei"]
    assert permissions.review_refusal(chain_users["zw_staff"], application) is None
    today = timezone.localdate()
    services.create_publicity_list(
        actor=chain_users["zw_staff"],
        region=region_tree["zhongwei"],
        title="市级专精特新认定公示",
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today - datetime.timedelta(days=1),
        applications=[application],
    )
    application = services.grant_application(actor=chain_users["zw_staff"], application=application)
    assert application.state == ApplicationState.GRANTED


def test_returned_application_is_corrected_and_resubmitted_showing_the_changes(at_county, chain_users, enterprise):
    """Returned applications can be edited again; the resubmission records what changed since the return."""
    returned = services.return_application(
        actor=chain_users["spt_reviewer"], application=at_county, comment="请补充研发费用说明"
    )
    assert returned.state == ApplicationState.RETURNED and returned.returned_from_step.level == "county"
    edited = services.update_application(
        actor=chain_users["spt_staff"], application=returned, statements="研发费用已补充说明。"
    )
    enterprise.indicators.filter(year=2025).update(rd_expense=350)
    resubmitted = services.resubmit_application(actor=chain_users["spt_staff"], application=edited)
    assert resubmitted.state_label == "County review"
    changes = resubmitted.actions.get(action=ReviewAction.Action.RESUBMIT).changes
    assert changes["statements"] == ["研发投入持续增长。", "研发费用已补充说明。"]
    assert changes["indicators.rd_expense"] == ["300", "350"]


def test_grant_creates_the_recognition_with_batch_and_validity(recommended, chain_users):
    """The final grant goes through tiers.services.grant_recognition: batch, certificate, valid until."""
    granted = services.grant_application(
        actor=chain_users["nx_staff"],
        application=recommended,
        recognized_on=datetime.date(2026, 7, 1),
        certificate_no="GJ-2026-001",
        document_no="工信部企业函〔2026〕88号",
    )
    recognition = granted.recognition
    assert (recognition.batch, recognition.certificate_no, recognition.source) == (
        "2026年第一批",
        "GJ-2026-001",
        Recognition.Source.APPLICATION,
    )
    assert recognition.valid_until == datetime.date(2029, 6, 30)


# --- refusals: wrong state -----------------------------------------------------------------


def test_a_draft_cannot_be_passed(draft, chain_users):
    with pytest.raises(ServiceError) as error:
        services.pass_application(actor=chain_users["spt_reviewer"], application=draft)
    assert error.value.message == "Only an application under review can be passed; this one is “Draft”."


def test_a_submitted_application_cannot_be_submitted_again(at_county, chain_users):
    with pytest.raises(ServiceError) as error:
        services.submit_application(actor=chain_users["spt_staff"], application=at_county)
    assert error.value.message == "Only a draft can be submitted; this application is “County review”."


def test_an_application_under_review_cannot_be_granted(at_city, chain_users):
    with pytest.raises(ServiceError) as error:
        services.grant_application(actor=chain_users["admin"], application=at_city)
    assert error.value.message == (
        "Only an application that passed every review step can be granted; this one is “City review”."
    )


def test_an_application_under_review_cannot_be_resubmitted(at_county, chain_users):
    with pytest.raises(ServiceError) as error:
        services.resubmit_application(actor=chain_users["spt_staff"], application=at_county)
    assert error.value.message == (
        "Only an application returned for changes can be resubmitted; this one is “County review”."
    )


def test_a_rejected_application_cannot_be_returned_or_edited(at_county, chain_users):
    rejected = services.reject_application(
        actor=chain_users["spt_reviewer"], application=at_county, comment="不符合条件"
    )
    with pytest.raises(ServiceError) as error:
        services.return_application(actor=chain_users["spt_reviewer"], application=rejected, comment="再看看")
    assert error.value.message == (
        "Only an application under review can be returned for changes; this one is “Rejected”."
    )
    with pytest.raises(ServiceError) as error:
        services.update_application(actor=chain_users["spt_staff"], application=rejected, statements="x")
    assert error.value.message == (
        "Only a draft or an application returned for changes can be edited; this one is “Rejected”."
    )


def test_a_granted_application_cannot_be_refused(recommended, chain_users):
    granted = services.grant_application(actor=chain_users["nx_staff"], application=recommended, document_no="第1号")
    with pytest.raises(ServiceError) as error:
        services.refuse_application(actor=chain_users["nx_staff"], application=granted, comment="撤回")
    assert error.value.message == (
        "Only an application that passed every review step can be refused; this one is “Granted”."
    )


def test_passing_at_the_last_step_asks_for_a_recommendation(at_city, chain_users):
    with pytest.raises(ServiceError) as error:
        services.pass_application(actor=chain_users["zw_staff"], application=at_city)
    assert (
        error.value.message
        == "“City review” is the last review step: recommend the application instead of passing it on."
    )


def test_recommending_before_the_last_step_is_refused(at_county, chain_users):
    with pytest.raises(ServiceError) as error:
        services.recommend_application(actor=chain_users["spt_reviewer"], application=at_county)
    assert (
        error.value.message == "“County review” is not the last review step: pass the application on to the next step."
    )


@pytest.mark.parametrize("service", ["return_application", "reject_application"])
def test_returning_or_rejecting_needs_a_reason(at_county, chain_users, service):
    with pytest.raises(ServiceError) as error:
        getattr(services, service)(actor=chain_users["spt_reviewer"], application=at_county, comment="  ")
    assert error.value.message == "Please give a reason."


def test_a_transition_leads_to_the_state_the_transition_table_names(at_county, chain_users, monkeypatch):
    """The services read their target state from the transition table, not from a copy of their own."""
    reject = transitions.TRANSITIONS[ReviewAction.Action.REJECT]
    monkeypatch.setitem(
        transitions.TRANSITIONS,
        ReviewAction.Action.REJECT,
        dataclasses.replace(reject, target=ApplicationState.RETURNED),
    )
    application = services.reject_application(
        actor=chain_users["spt_reviewer"], application=at_county, comment="不符合条件"
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_every_transition_with_a_fixed_target_names_it_and_the_chain_decides_the_others():
    """Submitting and resubmitting go wherever the review chain starts; every other action has one target."""
    chain_decides = {action for action, row in transitions.TRANSITIONS.items() if row.target is None}
    assert chain_decides == {ReviewAction.Action.SUBMIT, ReviewAction.Action.RESUBMIT}
    with pytest.raises(ValueError, match="depends on the review chain"):
        transitions.TRANSITIONS[ReviewAction.Action.SUBMIT].fixed_target()
    assert set(services.TRANSITION_SERVICES) == set(transitions.TRANSITIONS)


def test_applications_are_only_created_while_the_batch_is_open(chain_users, enterprise, national_tier):
    today = timezone.localdate()
    closed = BatchFactory(
        tier=national_tier,
        name="2025年批次",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30),
    )
    with pytest.raises(ServiceError) as error:
        services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=closed)
    assert error.value.message == (
        f"Batch “2025年批次” accepts applications from {closed.opens_on} to {closed.closes_on}; today is {today}."
    )


def test_one_live_application_per_enterprise_and_batch_until_refused(at_county, chain_users, enterprise, batch):
    with pytest.raises(ServiceError) as error:
        services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)
    assert error.value.message == (
        "沙坡头精密机械有限公司 already has an application in batch “2026年第一批” (state: County review)."
    )
    services.reject_application(actor=chain_users["spt_reviewer"], application=at_county, comment="材料不实")
    again = services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)
    assert again.state == ApplicationState.DRAFT


def test_a_re_review_needs_a_recognition_of_the_tier(chain_users, enterprise, batch):
    with pytest.raises(ServiceError) as error:
        services.create_application(
            actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch, kind=Application.Kind.RE_REVIEW
        )
    assert error.value.message == (
        "A re-review (复核) is for an enterprise that holds “专精特新“小巨人”企业”; 沙坡头精密机械有限公司 has no such recognition."
    )


def test_a_re_review_is_judged_by_the_re_review_criteria(chain_users, enterprise, batch, national_tier):
    Recognition.objects.create(
        enterprise=enterprise, tier=national_tier, recognized_on=datetime.date(2023, 7, 1), year=2023
    )
    application = services.create_application(
        actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch, kind=Application.Kind.RE_REVIEW
    )
    application = services.submit_application(actor=chain_users["spt_staff"], application=application)
    assert application.eligibility_snapshot["purpose"] == "review"


# --- refusals: wrong role, wrong region --------------------------------------------------


def test_leaders_and_liaisons_cannot_review(at_county, chain_users):
    for name in ("zw_leader", "zw_liaison"):
        assert permissions.review_refusal(chain_users[name], at_county) == "Only bureau staff review applications."


def test_city_staff_cannot_act_at_the_county_step(at_county, chain_users):
    assert permissions.review_refusal(chain_users["zw_staff"], at_county) == (
        "“County review” of this application is done by bureau staff of 沙坡头区."
    )


def test_another_countys_staff_cannot_act_or_even_see_it(at_county, chain_users):
    assert selectors.application_detail(chain_users["zn_staff"], at_county.pk) is None
    assert permissions.review_refusal(chain_users["zn_staff"], at_county) == (
        "“County review” of this application is done by bureau staff of 沙坡头区."
    )


def test_county_staff_and_administrators_cannot_record_the_final_decision(recommended, chain_users):
    """The province decides; its staff, or the recommending city's, record the outcome; administrators do not."""
    assert permissions.review_refusal(chain_users["spt_reviewer"], recommended) == (
        "The final decision on this application is recorded by bureau staff of 宁夏回族自治区、中卫市."
    )
    assert permissions.review_refusal(chain_users["admin"], recommended) == (
        "The outcome is recorded by the responsible department of the deciding level, "
        "not by administrators or other roles."
    )
    assert permissions.review_refusal(chain_users["nx_staff"], recommended) is None
    assert permissions.review_refusal(chain_users["zw_staff"], recommended) is None


def test_leaders_cannot_edit_applications(draft, chain_users):
    assert (
        permissions.edit_refusal(chain_users["zw_leader"], draft) == "Only bureau staff enter and submit applications."
    )
    assert permissions.edit_refusal(chain_users["zn_staff"], draft) == (
        "This application belongs to 沙坡头区, outside your region."
    )


# --- conflicts -----------------------------------------------------------------------------


def test_a_stale_decision_is_refused_with_the_current_state(at_county, chain_users):
    """The second reviewer acted on a page loaded before the first one's decision."""
    stale = Application.objects.get(pk=at_county.pk)
    services.pass_application(actor=chain_users["spt_reviewer"], application=at_county)
    with pytest.raises(ConcurrentEditError) as error:
        services.return_application(actor=chain_users["spt_staff"], application=stale, comment="补充材料")
    assert error.value.message == (
        "This application has already been handled by someone else (current state: City review). "
        "Please refresh and try again."
    )
    assert Application.objects.get(pk=at_county.pk).state_label == "City review"


def test_bulk_review_reports_each_item(at_county, chain_users, enterprise, national_tier):
    """Each item is its own transaction: a stale item fails alone and says why."""
    other = services.submit_application(
        actor=chain_users["spt_staff"],
        application=services.create_application(
            actor=chain_users["spt_staff"], enterprise=enterprise, batch=BatchFactory(tier=national_tier)
        ),
    )
    outcomes = services.bulk_review(
        actor=chain_users["spt_reviewer"],
        applications=[(at_county, at_county.version), (other, other.version - 1)],
        action="pass",
        comment="同意",
    )
    assert [(o.is_ok, o.message) for o in outcomes] == [
        (True, "Now: City review"),
        (
            False,
            "This application has already been handled by someone else (current state: County review). "
            "Please refresh and try again.",
        ),
    ]
