"""The bureau's division of work: the leading department acts, nobody reviews their own work, decisions are
recorded where they are taken, 公示 before 认定 where required; in services and through the API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from portal.exceptions import ActionRefused, ConcurrentEditError, ServiceError
from portal.models import AuditEvent, Notification
from portal.tests.factories import DepartmentFactory, UserFactory
from tiers.applications import permissions, selectors, services
from tiers.applications.models import (
    Application,
    ApplicationState,
    Attachment,
    Batch,
    DepartmentLine,
    Responsibility,
    ReviewChain,
    ReviewStep,
)
from tiers.applications.tests.factories import BatchFactory
from tiers.models import Level
from tiers.tests.factories import TierFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate()


@pytest.fixture
def office(region_tree, users):
    """中宁县 with its industry bureau (two staff), 中卫市 with its industry bureau and finance bureau."""
    zhongwei, zhongning = region_tree["zhongwei"], region_tree["zhongning"]
    county_bureau = DepartmentFactory(name="县工业和信息化局", region=zhongning)
    srdi = TierFactory(code="srdi-sme", name="专精特新中小企业", level=Level.PROVINCIAL, validity_years=3)
    services.load_responsibilities()
    enterprise = EnterpriseFactory(name="中宁枸杞智能装备有限公司", region=zhongning)
    AnnualIndicatorFactory(enterprise=enterprise, year=TODAY.year - 1)
    return {
        **users,
        "tier": srdi,
        "enterprise": enterprise,
        "batch": BatchFactory(tier=srdi, name="2026年第一批", region=zhongwei),
        "zn_entry": UserFactory(username="t_zn_entry", role="staff", region=zhongning, department=county_bureau),
        "zn_reviewer": UserFactory(username="t_zn_reviewer", role="staff", region=zhongning, department=county_bureau),
        "zw_finance": UserFactory(
            username="t_zw_finance",
            role="staff",
            region=zhongwei,
            department=DepartmentFactory(name="市财政局", region=zhongwei),
        ),
        "nx_staff": UserFactory(username="t_nx_staff", role="staff", region=region_tree["ningxia"]),
    }


def submitted(office) -> Application:
    application = services.create_application(
        actor=office["zn_entry"], enterprise=office["enterprise"], batch=office["batch"]
    )
    return services.submit_application(actor=office["zn_entry"], application=application)


def at_city(office) -> Application:
    return services.pass_application(actor=office["zn_reviewer"], application=submitted(office))


def recommended(office) -> Application:
    return services.recommend_application(actor=office["zw_staff"], application=at_city(office))


def act(client, user, application, **data):
    client.force_login(user)
    return client.post(
        reverse("api-application-actions", args=[application.pk]),
        {"expected_version": application.version, **data},
        content_type="application/json",
    )


# --- responsible department ---------------------------------------------------------------


def test_the_documents_lead_units_are_loaded_and_inferences_marked(office):
    rows = {row.level: row for row in Responsibility.objects.filter(tier=office["tier"])}
    assert {level: row.line for level, row in rows.items()} == dict.fromkeys(
        ("county", "city", "province"), DepartmentLine.INDUSTRY
    )
    assert not rows["city"].is_inferred and "任务8" in rows["city"].source
    assert rows["county"].is_inferred


@pytest.mark.usefixtures("english")
def test_a_finance_bureau_cannot_recommend_a_srdi_application(office):
    application = at_city(office)
    with pytest.raises(ActionRefused) as error:
        services.recommend_application(actor=office["zw_finance"], application=application)
    assert error.value.message == (
        "专精特新中小企业 is handled at 中卫市 by 市工业和信息化局; "
        "other departments may give a countersigned opinion (会签)."
    )
    assert services.recommend_application(actor=office["zw_staff"], application=application).state == "recommended"


def test_a_finance_bureau_cannot_pass_a_srdi_application_through_the_api(client, office):
    """403, the shared error shape, a Chinese message naming who handles it."""
    application = at_city(office)
    response = act(client, office["zw_finance"], application, action="recommend")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["message"] == "专精特新中小企业在中卫市由市工业和信息化局办理；其他部门可出具会签意见（会签）。"
    assert Application.objects.get(pk=application.pk).state == ApplicationState.IN_REVIEW


def test_county_staff_outside_the_leading_bureau_cannot_act(office):
    """Where the county has the leading bureau, a county user without it is refused."""
    application = submitted(office)
    assert permissions.review_refusal(office["zn_staff"], application)
    assert permissions.review_refusal(office["zn_reviewer"], application) is None


def test_another_department_gives_a_countersigned_opinion_that_decides_nothing(office):
    application = at_city(office)
    opinion = services.record_opinion(actor=office["zw_finance"], application=application, text="资金安排无异议")
    application.refresh_from_db()
    assert (opinion.department.name, application.state, application.current_step.level) == (
        "市财政局",
        ApplicationState.IN_REVIEW,
        "city",
    )
    assert AuditEvent.objects.filter(object_type="tiers.opinion", object_id=str(opinion.pk)).exists()


def test_the_reviewers_ask_another_department_whose_staff_are_notified(
    client, office, django_capture_on_commit_callbacks
):
    application = at_city(office)
    finance = office["zw_finance"].department
    assert [d.name for d in services.opinion_departments(application)] == ["市科技局", "市财政局"]
    client.force_login(office["zw_staff"])
    url = reverse("api-application-opinion-requests", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"department": finance.pk}, content_type="application/json")
    assert response.status_code == 202 and response.json() == {"notified": 1}
    assert Notification.objects.get(recipient=office["zw_finance"]).url == f"/applications/{application.pk}/"
    client.force_login(office["zw_finance"])
    assert client.post(url, {"department": finance.pk}, content_type="application/json").status_code == 403
    with pytest.raises(ActionRefused):
        services.record_opinion(actor=office["zw_staff"], application=application, text="同意")


def test_an_administrator_edits_a_responsibility_audited_and_version_checked(office):
    row = Responsibility.objects.get(tier=office["tier"], level="county")
    updated = services.update_responsibility(
        actor=office["admin"],
        responsibility=row,
        line=DepartmentLine.SCIENCE,
        is_inferred=False,
        source="县政府分工文件",
        expected_version=1,
    )
    assert (updated.line, updated.version) == (DepartmentLine.SCIENCE, 2)
    event = AuditEvent.objects.get(object_type="tiers.responsibility", object_id=str(row.pk))
    assert event.changes["line"] == ["industry", "science"]
    with pytest.raises(ConcurrentEditError):
        services.update_responsibility(
            actor=office["admin"], responsibility=row, line="industry", is_inferred=True, source="", expected_version=1
        )
    services.load_responsibilities()
    assert Responsibility.objects.get(pk=row.pk).line == DepartmentLine.SCIENCE


def test_only_administrators_edit_responsibilities_through_the_api(client, office):
    row = Responsibility.objects.get(tier=office["tier"], level="city")
    url = reverse("api-responsibility", args=[row.pk])
    data = {"line": "science", "is_inferred": True, "source": "x", "expected_version": 1}
    client.force_login(office["zw_staff"])
    assert client.patch(url, data, content_type="application/json").status_code == 403
    client.force_login(office["admin"])
    assert client.patch(url, data, content_type="application/json").json()["line"] == "science"


# --- separation of duties -------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_the_submitter_cannot_pass_their_own_step(office):
    application = submitted(office)
    with pytest.raises(ActionRefused) as error:
        services.pass_application(actor=office["zn_entry"], application=application)
    assert error.value.message == (
        "You entered or submitted this application, so you cannot act on its review step; "
        "another colleague of your department must review it."
    )
    assert services.pass_application(actor=office["zn_reviewer"], application=application).current_step.level == "city"


def test_the_submitter_cannot_pass_their_own_step_through_the_api(client, office):
    application = submitted(office)
    response = act(client, office["zn_entry"], application, action="pass")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == ("您录入或报送了该申报，不能办理其审核环节，请由本部门其他同事审核。")


def test_a_chain_without_separation_lets_the_submitter_pass(office):
    application = submitted(office)
    ReviewChain.objects.filter(tier=office["tier"]).update(separates_duties=False)
    assert services.pass_application(actor=office["zn_entry"], application=application).current_step.level == "city"


@pytest.mark.usefixtures("english")
def test_bulk_review_applies_the_rule_item_by_item(office):
    own = submitted(office)
    other_enterprise = EnterpriseFactory(name="中宁新材料有限公司", region=office["enterprise"].region)
    others = services.submit_application(
        actor=office["zn_reviewer"],
        application=services.create_application(
            actor=office["zn_reviewer"], enterprise=other_enterprise, batch=office["batch"]
        ),
    )
    outcomes = services.bulk_review(
        actor=office["zn_entry"], applications=[(own, own.version), (others, others.version)], action="pass"
    )
    assert [outcome.is_ok for outcome in outcomes] == [False, True]
    assert outcomes[0].message.startswith("You entered or submitted this application")


def test_the_queue_holds_only_what_the_user_may_act_on(office):
    application = submitted(office)
    assert list(selectors.review_queue(office["zn_entry"])) == []
    assert list(selectors.review_queue(office["zn_reviewer"])) == [application]
    services.pass_application(actor=office["zn_reviewer"], application=application)
    assert list(selectors.review_queue(office["zw_finance"])) == []
    assert [a.pk for a in selectors.review_queue(office["zw_staff"])] == [application.pk]


# --- decisions where they are taken ---------------------------------------------------------


def test_the_citys_industry_bureau_records_a_provincial_decision_with_its_notice(client, office):
    application = recommended(office)
    client.force_login(office["zw_staff"])
    url = reverse("api-application-actions", args=[application.pk])
    notice = SimpleUploadedFile("认定通知.pdf", PDF, content_type="application/pdf")
    data = {
        "action": "grant",
        "expected_version": application.version,
        "document_no": "宁工信企业发〔2026〕31号",
        "recognized_on": "2026-11-20",
        "notice": notice,
    }
    response = client.post(url, data)
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.state == ApplicationState.GRANTED
    assert (application.decision_document_no, application.decided_on) == (
        "宁工信企业发〔2026〕31号",
        datetime.date(2026, 11, 20),
    )
    assert application.attachments.get(kind=Attachment.Kind.DECISION_NOTICE).file_name == "认定通知.pdf"
    assert application.actions.last().actor == office["zw_staff"]


def test_a_provincial_decision_needs_its_document_number(client, office):
    application = recommended(office)
    response = act(client, office["zw_staff"], application, action="grant")
    assert response.status_code == 400
    assert "文号" in response.json()["error"]["message"]


def test_administrators_and_other_bureaus_do_not_record_decisions(client, office):
    application = recommended(office)
    for user in (office["admin"], office["zw_finance"]):
        response = act(client, user, application, action="grant", document_no="第1号")
        assert response.status_code == 403, user
    assert act(client, office["zw_staff"], application, action="refuse", comment="未列入公告名单").status_code == 200
    assert Application.objects.get(pk=application.pk).state == ApplicationState.NOT_GRANTED


@pytest.fixture
def city_recommended(office, region_tree):
    city_tier = TierFactory(
        code="zw-city-srdi", name="市级专精特新中小企业", level=Level.CITY, issuing_region=region_tree["zhongwei"]
    )
    application = services.create_application(
        actor=office["zn_entry"], enterprise=office["enterprise"], batch=BatchFactory(tier=city_tier)
    )
    application = services.submit_application(actor=office["zn_entry"], application=application)
    application = services.pass_application(actor=office["zn_reviewer"], application=application)
    return services.recommend_application(actor=office["zw_staff"], application=application)


@pytest.mark.usefixtures("english")
def test_a_city_tier_is_not_granted_without_a_finished_publicity(office, city_recommended):
    assert ReviewChain.objects.get(tier=city_recommended.tier).requires_publicity
    with pytest.raises(ServiceError) as error:
        services.grant_application(actor=office["zw_staff"], application=city_recommended)
    assert error.value.message.startswith("市级专精特新中小企业 is granted only after publicity (公示)")
    services.create_publicity_list(
        actor=office["zw_staff"],
        region=office["zw_staff"].region,
        title="市级专精特新拟认定名单公示",
        starts_on=TODAY - datetime.timedelta(days=2),
        ends_on=TODAY + datetime.timedelta(days=3),
        applications=[city_recommended],
    )
    with pytest.raises(ServiceError):
        services.grant_application(actor=office["zw_staff"], application=city_recommended)


def test_a_city_tier_is_not_granted_without_publicity_through_the_api(client, office, city_recommended):
    response = act(client, office["zw_staff"], city_recommended, action="grant")
    assert response.status_code == 400
    assert "公示" in response.json()["error"]["message"]
    services.create_publicity_list(
        actor=office["zw_staff"],
        region=office["zw_staff"].region,
        title="市级专精特新拟认定名单公示",
        starts_on=TODAY - datetime.timedelta(days=8),
        ends_on=TODAY - datetime.timedelta(days=1),
        applications=[city_recommended],
    )
    city_recommended.refresh_from_db()
    assert act(client, office["zw_staff"], city_recommended, action="grant").status_code == 200


def test_an_open_objection_blocks_the_grant(office, city_recommended):
    publicity = services.create_publicity_list(
        actor=office["zw_staff"],
        region=office["zw_staff"].region,
        title="公示",
        starts_on=TODAY - datetime.timedelta(days=8),
        ends_on=TODAY - datetime.timedelta(days=1),
        applications=[city_recommended],
    )
    services.record_objection(
        actor=office["zw_staff"],
        publicity_list=publicity,
        application=city_recommended,
        text="研发人员数量不实",
        received_on=TODAY - datetime.timedelta(days=3),
    )
    with pytest.raises(ServiceError):
        services.grant_application(actor=office["zw_staff"], application=city_recommended)


def test_an_application_at_the_citys_step_goes_on_publicity_before_its_recommendation(office):
    application = at_city(office)
    publicity = services.create_publicity_list(
        actor=office["zw_staff"],
        region=office["zw_staff"].region,
        title="拟推荐名单公示",
        starts_on=TODAY - datetime.timedelta(days=8),
        ends_on=TODAY - datetime.timedelta(days=1),
        applications=[application],
    )
    assert list(publicity.applications.all()) == [application]


# --- batches ---------------------------------------------------------------------------------


def test_batches_are_opened_by_the_leading_bureau_of_a_city_through_the_api(client, office, region_tree):
    data = {
        "tier": office["tier"].pk,
        "year": TODAY.year,
        "name": "2026年第二批",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
    }
    for user in (office["zn_entry"], office["zw_finance"]):
        client.force_login(user)
        response = client.post(reverse("api-batches"), data, content_type="application/json")
        assert response.status_code == 403 and response.json()["error"]["message"]
    client.force_login(office["zw_staff"])
    response = client.post(reverse("api-batches"), data, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["region_name"] == "中卫市"
    assert Batch.objects.get(name="2026年第二批").created_by == office["zw_staff"]


@pytest.mark.usefixtures("english")
def test_a_citys_batch_takes_only_its_enterprises(office, region_tree):
    outsider = EnterpriseFactory(region=region_tree["xining"])
    with pytest.raises(ServiceError) as error:
        services.create_application(actor=office["admin"], enterprise=outsider, batch=office["batch"])
    assert (
        error.value.message == "Batch “2026年第一批” is run by 中卫市 and takes applications of its enterprises only."
    )


def test_batches_are_listed_for_the_users_chain(client, office, region_tree):
    BatchFactory(tier=office["tier"], name="西宁批次", region=region_tree["xining"])
    client.force_login(office["zn_entry"])
    names = {row["name"] for row in client.get(reverse("api-batches")).json()["results"]}
    assert names == {"2026年第一批"}
    every = {row["name"] for row in client.get(reverse("api-batches"), {"scope": "all"}).json()["results"]}
    assert every == {"2026年第一批", "西宁批次"}


# --- review depth ----------------------------------------------------------------------------

SCORE_SNAPSHOT = {
    "available": True,
    "details": [
        {
            "kind": "any_of",
            "code": "routes",
            "children": [
                {
                    "kind": "score_table",
                    "code": "score",
                    "items": [
                        {"code": "rd", "label": "研发投入", "max": 20, "points_min": 15, "points_max": 15},
                        {"code": "ip", "label": "知识产权", "max": 10, "points_min": 0, "points_max": 10},
                    ],
                }
            ],
        }
    ],
}


@pytest.mark.usefixtures("english")
def test_reviewers_confirm_or_adjust_score_items_and_the_recommendation_carries_the_total(office):
    application = at_city(office)
    Application.objects.filter(pk=application.pk).update(eligibility_snapshot=SCORE_SNAPSHOT)
    application.refresh_from_db()
    with pytest.raises(ServiceError) as error:
        services.review_score_item(actor=office["zw_staff"], application=application, item_code="rd", points=12)
    assert error.value.message == "“研发投入”: please give the reason for the points (computed: 15)."
    services.review_score_item(
        actor=office["zw_staff"], application=application, item_code="rd", points=12, reason="部分费用归集不规范"
    )
    with pytest.raises(ActionRefused):
        services.review_score_item(
            actor=office["zw_finance"], application=application, item_code="ip", points=8, reason="x"
        )
    services.review_score_item(
        actor=office["zw_staff"], application=application, item_code="ip", points=8, reason="发明专利2项"
    )
    application.refresh_from_db()
    result = services.recommend_application(actor=office["zw_staff"], application=application)
    assert result.reviewed_score == 20


def test_a_step_requiring_an_on_site_check_waits_for_it(office):
    application = submitted(office)
    ReviewStep.objects.filter(pk=application.current_step_id).update(requires_site_check=True)
    with pytest.raises(ServiceError) as error:
        services.pass_application(actor=office["zn_reviewer"], application=application)
    assert error.value.code == "site_check"
    check = services.record_site_check(
        actor=office["zn_reviewer"],
        application=application,
        checked_on=TODAY,
        people="张三、李四",
        findings="生产线运行正常，研发中心在用",
        conclusion="confirmed",
        files=[SimpleUploadedFile("核查记录.pdf", PDF, content_type="application/pdf")],
    )
    assert check.attachments.get().kind == Attachment.Kind.SITE_CHECK
    application.refresh_from_db()
    assert services.pass_application(actor=office["zn_reviewer"], application=application).current_step.level == "city"


# --- to-do list ------------------------------------------------------------------------------


def todo(client, user) -> dict:
    client.force_login(user)
    return {item.key: item for item in client.get(reverse("home")).context["todo"]}


def test_the_home_page_shows_what_waits_with_counts_and_links(client, office):
    submitted(office)
    items = todo(client, office["zn_reviewer"])
    assert (items["review"].count, items["review"].url) == (1, reverse("applications:queue"))
    assert items["batches"].count == 1
    assert todo(client, office["zn_entry"])["review"].count == 0


def test_an_empty_batch_list_says_whom_to_ask(client, office):
    Batch.objects.all().delete()
    item = todo(client, office["zn_entry"])["batches"]
    assert item.count == 0
    assert item.empty_hint == "暂无批次：请联系市工业和信息化局开设申报批次"
    html = client.get(reverse("home")).content.decode()
    assert "暂无批次：请联系市工业和信息化局开设申报批次" in html


def test_finance_and_leaders_get_their_own_to_do_items(client, office):
    assert set(todo(client, office["zw_finance"])) == {"to_approve", "to_pay"}
    assert "targets_behind" in todo(client, office["zw_leader"])
    assert set(todo(client, office["zw_liaison"])) == {"reports"}


def test_the_to_do_list_and_the_queue_read_a_fixed_number_of_queries(client, office, django_assert_max_num_queries):
    """More applications waiting do not mean more queries on the home page or the queue endpoint."""

    def add(count: int) -> None:
        for index in range(count):
            enterprise = EnterpriseFactory(name=f"中宁企业{index}{count}", region=office["enterprise"].region)
            services.submit_application(
                actor=office["zn_entry"],
                application=services.create_application(
                    actor=office["zn_entry"], enterprise=enterprise, batch=office["batch"]
                ),
            )

    client.force_login(office["zn_reviewer"])
    add(1)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("home"))
        client.get(reverse("api-application-queue"))
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
        response = client.get(reverse("api-application-queue"))
    assert response.json()["count"] == 7


def test_the_to_do_list_is_also_an_api(client, office):
    submitted(office)
    client.force_login(office["zn_reviewer"])
    items = {row["key"]: row for row in client.get(reverse("api-todo")).json()}
    assert (items["review"]["count"], items["review"]["label"]) == (1, "待我审核")


def test_the_batch_form_offers_the_tiers_the_users_department_leads(office):
    assert office["tier"] in selectors.tiers_user_opens(office["zw_staff"])
    assert office["tier"] not in selectors.tiers_user_opens(office["zw_finance"])
