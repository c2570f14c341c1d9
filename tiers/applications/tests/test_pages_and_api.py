"""Pages and API: scope, attachments, the board's query count, the shared error shape."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.tests.factories import EnterpriseFactory
from portal.exceptions import ServiceError
from tiers.applications import services
from tiers.applications.models import Attachment

pytestmark = pytest.mark.usefixtures("english")

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def draft(chain_users, enterprise, batch):
    return services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)


@pytest.fixture
def at_county(draft, chain_users):
    return services.submit_application(actor=chain_users["spt_staff"], application=draft)


def api_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_attachments_accept_pdf_and_images_checked_by_their_bytes(draft, chain_users):
    user = chain_users["spt_staff"]
    pdf = services.add_attachment(actor=user, application=draft, upload=SimpleUploadedFile("营业执照.pdf", PDF))
    png = services.add_attachment(actor=user, application=draft, upload=SimpleUploadedFile("现场.png", PNG))
    assert (pdf.file_type, png.file_type) == (Attachment.FileType.PDF, Attachment.FileType.PNG)
    assert pdf.file.name.startswith(f"applications/{draft.pk}/") and pdf.file.name.endswith(".pdf")
    with pytest.raises(ServiceError) as error:
        services.add_attachment(actor=user, application=draft, upload=SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00evil"))
    assert error.value.message == "“伪装.pdf” is not a PDF, PNG or JPEG file. Only these can be attached."


@override_settings(APPLICATION_ATTACHMENT_MAX_BYTES=1024)
def test_attachments_over_the_size_limit_are_refused(draft, chain_users):
    with pytest.raises(ServiceError) as error:
        services.add_attachment(
            actor=chain_users["spt_staff"], application=draft, upload=SimpleUploadedFile("大.pdf", PDF + b"0" * 2000)
        )
    assert error.value.message == "“大.pdf” is 0.0 MB; an attachment may be at most 0 MB."


def test_an_attachment_downloads_only_for_those_who_see_the_application(client, draft, chain_users):
    attachment = services.add_attachment(
        actor=chain_users["spt_staff"], application=draft, upload=SimpleUploadedFile("证明.pdf", PDF)
    )
    url = reverse("applications:attachment", args=[draft.pk, attachment.pk])
    client.force_login(chain_users["zw_staff"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(chain_users["zn_staff"])  # another county
    assert client.get(url).status_code == 404
    assert client.get(reverse("applications:detail", args=[draft.pk])).status_code == 404


def test_the_board_query_count_does_not_grow_with_applications(
    client, chain_users, batch, region_tree, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for _ in range(count):
            enterprise = EnterpriseFactory(region=region_tree["shapotou"])
            application = services.create_application(
                actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch
            )
            services.submit_application(actor=chain_users["spt_staff"], application=application)

    client.force_login(chain_users["zw_staff"])
    add(2)
    with django_assert_max_num_queries(10) as few:
        response = client.get(reverse("applications:board"))
    assert "沙坡头区" in response.content.decode()
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("applications:board"))
    assert response.context["rows"][0].waiting == 17


def test_the_queue_lists_what_waits_for_the_reviewer(client, at_county, chain_users, django_assert_max_num_queries):
    client.force_login(chain_users["spt_reviewer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("applications:queue"))
    assert at_county.enterprise.name in response.content.decode()
    client.force_login(chain_users["zw_staff"])
    assert at_county.enterprise.name not in client.get(reverse("applications:queue")).content.decode()


def test_the_page_refuses_the_wrong_reviewer_with_a_message(client, at_county, chain_users):
    client.force_login(chain_users["zw_staff"])
    response = client.post(
        reverse("applications:transition", args=[at_county.pk, "pass"]), {"version": at_county.version}, follow=True
    )
    assert "该申报的“县级审核”环节由沙坡头区业务科室人员办理。" in response.content.decode()
    at_county.refresh_from_db()
    assert at_county.state_label == "县级审核"


def test_api_review_action_and_its_refusals(at_county, chain_users):
    url = reverse("api-application-actions", args=[at_county.pk])
    refused = api_for(chain_users["zw_staff"]).post(url, {"action": "pass", "expected_version": at_county.version})
    assert refused.status_code == 403
    assert (
        refused.json()["error"]["message"] == "“County review” of this application is done by bureau staff of 沙坡头区."
    )
    reviewer = api_for(chain_users["spt_reviewer"])
    passed = reviewer.post(url, {"action": "pass", "expected_version": at_county.version, "comment": "同意"})
    assert passed.status_code == 200 and passed.json()["state_label"] == "City review"
    stale = reviewer.post(url, {"action": "return", "expected_version": at_county.version, "comment": "补充"})
    assert stale.status_code == 403  # no longer held by the county
    city = api_for(chain_users["zw_staff"])
    conflict = city.post(url, {"action": "return", "expected_version": at_county.version, "comment": "补充"})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["message"] == (
        "This application has already been handled by someone else (current state: City review). Please refresh and try again."
    )
    wrong_state = city.post(url, {"action": "grant", "expected_version": at_county.version + 1})
    assert wrong_state.status_code == 400
    assert wrong_state.json()["error"]["message"] == (
        "Only an application that passed every review step can be granted; this one is “City review”."
    )


def test_api_lists_are_scoped_and_outside_records_are_404(at_county, chain_users):
    other = api_for(chain_users["zn_staff"])
    assert other.get(reverse("api-applications")).json()["count"] == 0
    assert other.get(reverse("api-application", args=[at_county.pk])).status_code == 404
    assert api_for(chain_users["zw_leader"]).get(reverse("api-applications")).json()["count"] == 1
    assert api_for(chain_users["zw_liaison"]).get(reverse("api-applications")).status_code == 403


def test_api_creates_and_submits_an_application(chain_users, enterprise, batch):
    staff = api_for(chain_users["spt_staff"])
    created = staff.post(
        reverse("api-applications"), {"enterprise": enterprise.pk, "batch": batch.pk, "statements": "声明"}
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    submitted = staff.post(
        reverse("api-application-actions", args=[body["id"]]), {"action": "submit", "expected_version": body["version"]}
    )
    assert submitted.json()["state_label"] == "County review"


def test_api_revokes_a_recognition_with_a_reason(chain_users, enterprise):
    from tiers.tests.factories import RecognitionFactory

    recognition = RecognitionFactory(enterprise=enterprise)
    url = reverse("api-recognition-revoke", args=[recognition.pk])
    missing_reason = api_for(chain_users["spt_staff"]).post(url, {"reason": "", "expected_version": 1})
    assert missing_reason.status_code == 400
    revoked = api_for(chain_users["spt_staff"]).post(url, {"reason": "不再符合条件", "expected_version": 1})
    assert revoked.json()["status"] == "revoked"
    assert api_for(chain_users["zn_staff"]).post(url, {"reason": "x", "expected_version": 2}).status_code == 404


def test_the_schema_documents_the_endpoints(client, chain_users):
    client.force_login(chain_users["admin"])
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/v1/applications/{id}/actions/",
        "/api/v1/batches/",
        "/api/v1/recognitions/{id}/revoke/",
        "/api/v1/publicity-lists/",
    ):
        assert path in schema
