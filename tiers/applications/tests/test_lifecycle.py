"""Publicity with objections, the grant, expiry, expiring notices, revocation, reminders."""

import datetime

import pytest
from django.utils import timezone

from enterprises.tests.factories import EnterpriseFactory
from portal.exceptions import ServiceError
from portal.models import AuditEvent, Notification
from tiers import services as tier_services
from tiers.applications import jobs, services
from tiers.applications.models import Application, ApplicationState, Objection
from tiers.models import Recognition
from tiers.tests.factories import RecognitionFactory

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def recommended(chain_users, enterprise, batch):
    application = services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)
    application = services.submit_application(actor=chain_users["spt_staff"], application=application)
    application = services.pass_application(actor=chain_users["spt_reviewer"], application=application)
    return services.recommend_application(actor=chain_users["zw_staff"], application=application)


def test_publicity_objections_must_be_resolved_before_the_grant_is_final(recommended, chain_users):
    """The grant waits for the end of publicity and for every objection to be resolved."""
    today = timezone.localdate()
    publicity = services.create_publicity_list(
        actor=chain_users["zw_staff"],
        region=chain_users["zw_staff"].region,
        title="2026年小巨人推荐名单公示",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=4),
        applications=[recommended],
    )
    objection = services.record_objection(
        actor=chain_users["zw_staff"],
        publicity_list=publicity,
        application=recommended,
        text="研发费用存疑",
        objector="匿名",
    )
    with pytest.raises(ServiceError) as error:
        services.grant_application(actor=chain_users["nx_staff"], application=recommended)
    assert error.value.message == (
        f"The publicity period “2026年小巨人推荐名单公示” runs until {publicity.ends_on}; "
        "the grant can become final after it ends."
    )
    PublicityListDates = type(publicity).objects.filter(pk=publicity.pk)
    PublicityListDates.update(starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=1))
    recommended.refresh_from_db()
    with pytest.raises(ServiceError) as error:
        services.grant_application(actor=chain_users["nx_staff"], application=recommended)
    assert error.value.message == "1 objection(s) raised during publicity are still open; resolve them before granting."
    services.resolve_objection(
        actor=chain_users["zw_staff"], objection=objection, status=Objection.Status.DISMISSED, resolution="经核实无误"
    )
    granted = services.grant_application(
        actor=chain_users["nx_staff"], application=recommended, document_no="宁工信发〔2026〕12号"
    )
    assert granted.state == ApplicationState.GRANTED and granted.recognition.source == Recognition.Source.APPLICATION


def test_an_upheld_objection_blocks_the_grant(recommended, chain_users):
    today = timezone.localdate()
    publicity = services.create_publicity_list(
        actor=chain_users["zw_staff"],
        region=chain_users["zw_staff"].region,
        title="公示",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today,
        applications=[recommended],
    )
    objection = services.record_objection(
        actor=chain_users["zw_staff"], publicity_list=publicity, application=recommended, text="数据造假"
    )
    services.resolve_objection(
        actor=chain_users["zw_staff"], objection=objection, status=Objection.Status.UPHELD, resolution="查证属实"
    )
    type(publicity).objects.filter(pk=publicity.pk).update(ends_on=today - datetime.timedelta(days=1))
    with pytest.raises(ServiceError) as error:
        services.grant_application(actor=chain_users["nx_staff"], application=recommended)
    assert error.value.message == "An objection against this application was upheld; it cannot be granted."


def test_objections_are_only_received_during_publicity(recommended, chain_users):
    today = timezone.localdate()
    publicity = services.create_publicity_list(
        actor=chain_users["zw_staff"],
        region=chain_users["zw_staff"].region,
        title="公示",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=5),
        applications=[recommended],
    )
    late = today + datetime.timedelta(days=6)
    with pytest.raises(ServiceError) as error:
        services.record_objection(
            actor=chain_users["zw_staff"], publicity_list=publicity, application=recommended, text="x", received_on=late
        )
    assert error.value.message == (
        f"Objections are received from {today} to {publicity.ends_on}; {late} lies outside the publicity period."
    )


def test_only_applications_that_passed_review_go_on_publicity(chain_users, enterprise, batch):
    draft = services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)
    with pytest.raises(ServiceError) as error:
        services.create_publicity_list(
            actor=chain_users["zw_staff"],
            region=chain_users["zw_staff"].region,
            title="公示",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            applications=[draft],
        )
    assert error.value.message.endswith(
        "is “Draft”; only applications at their last review step or awaiting the decision go on publicity."
    )


def test_the_nightly_job_marks_expired_recognitions(region_tree):
    today = timezone.localdate()
    ended = RecognitionFactory(valid_until=today - datetime.timedelta(days=1))
    current = RecognitionFactory(valid_until=today + datetime.timedelta(days=30))
    assert jobs.expire_recognitions.delay().get() == 1
    ended.refresh_from_db()
    current.refresh_from_db()
    assert (ended.status, current.status) == (Recognition.Status.EXPIRED, Recognition.Status.VALID)
    assert AuditEvent.objects.filter(object_id=str(ended.pk), action=AuditEvent.Action.TRANSITION).exists()
    assert tier_services.expire_recognitions() == 0


def test_expiring_recognitions_are_notified_once_to_the_regions_staff(chain_users, region_tree, settings):
    settings.RECOGNITION_EXPIRY_NOTICE_DAYS = 180
    today = timezone.localdate()
    enterprise = EnterpriseFactory(region=region_tree["shapotou"], name="即将到期有限公司")
    RecognitionFactory(enterprise=enterprise, valid_until=today + datetime.timedelta(days=100))
    RecognitionFactory(
        enterprise=enterprise, valid_until=today + datetime.timedelta(days=400), recognized_on=datetime.date(2025, 1, 1)
    )
    assert services.notify_expiring_recognitions() == 2  # two staff of 沙坡头区, one recognition
    assert services.notify_expiring_recognitions() == 0
    notification = Notification.objects.filter(recipient=chain_users["spt_staff"]).get()
    assert notification.message.startswith("“测试层级")
    assert "即将到期有限公司" in notification.message


def test_revocation_needs_a_reason_and_is_audited(chain_users):
    recognition = RecognitionFactory()
    with pytest.raises(ServiceError) as error:
        tier_services.revoke_recognition(actor=chain_users["admin"], recognition=recognition, reason=" ")
    assert error.value.message == "A recognition can only be revoked with a reason."
    revoked = tier_services.revoke_recognition(actor=chain_users["admin"], recognition=recognition, reason="弄虚作假")
    assert (revoked.status, revoked.revoked_reason) == (Recognition.Status.REVOKED, "弄虚作假")
    event = AuditEvent.objects.get(object_id=str(recognition.pk), action=AuditEvent.Action.TRANSITION)
    assert event.note == "弄虚作假" and event.actor == chain_users["admin"]


def test_overdue_reviews_are_reminded_once_a_day(chain_users, enterprise, batch):
    application = services.submit_application(
        actor=chain_users["spt_staff"],
        application=services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch),
    )
    Notification.objects.all().delete()
    assert services.remind_overdue_reviews() == 0
    Application.objects.filter(pk=application.pk).update(
        waiting_since=timezone.now() - datetime.timedelta(days=12), due_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert services.remind_overdue_reviews() == 2
    assert services.remind_overdue_reviews() == 0
    message = Notification.objects.filter(recipient=chain_users["spt_reviewer"]).get().message
    assert message.endswith("has waited 12 days at County review (limit 10 days).")
