import pytest
from django.urls import reverse

from portal.models import Notification
from portal.notifications import notify

pytestmark = pytest.mark.django_db


def test_a_reminder_with_the_same_key_is_sent_once(users):
    """Reminder jobs may run many times a day; the user is told once."""
    first = notify(
        recipient=users["spt_staff"], kind="reminder", message="申报待审核超过 5 天", dedupe_key="app:1:day:1"
    )
    again = notify(
        recipient=users["spt_staff"], kind="reminder", message="申报待审核超过 5 天", dedupe_key="app:1:day:1"
    )
    assert first is not None and again is None
    assert Notification.objects.filter(recipient=users["spt_staff"]).count() == 1


def test_the_header_shows_the_unread_count_and_the_inbox_lists_only_mine(client, users):
    notify(recipient=users["spt_staff"], kind="reminder", message="请报送第三季度进展", url="/tasks/")
    notify(recipient=users["zn_staff"], kind="reminder", message="中宁县的提醒")
    client.force_login(users["spt_staff"])
    html = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-count">1<' in html
    assert "请报送第三季度进展" in html
    assert "中宁县的提醒" not in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, users):
    mine = notify(recipient=users["spt_staff"], kind="reminder", message="请报送", url="/tasks/")
    other = notify(recipient=users["zn_staff"], kind="reminder", message="别人的", url="/tasks/")
    client.force_login(users["spt_staff"])
    assert client.get(reverse("notification-open", args=[other.pk])).status_code == 404
    response = client.get(reverse("notification-open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/tasks/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    client.post(reverse("notifications"))
    other.refresh_from_db()
    assert other.read_at is None


def test_the_e_mail_is_sent_by_a_job_with_an_absolute_link(
    users, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The request only records the notification; a job sends the mail, linking to the configured site address."""
    from portal.models import Job
    from portal.notifications import notify
    from portal.services import send_notification_email

    settings.PORTAL_SITE_URL = "https://portal.example.gov.cn"
    person = users["spt_staff"]
    person.email = "spt@example.cn"
    person.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(recipient=person, kind="reminder", message="请报送季度进展", url="/tasks/measures/3/")
    assert mailoutbox == []
    job = Job.objects.get(kind="portal.jobs.send_notification_email")
    assert job.params == {"notification_id": notification.pk}

    for callback in callbacks:
        callback()

    (mail,) = mailoutbox
    assert mail.to == ["spt@example.cn"]
    assert "https://portal.example.gov.cn/tasks/measures/3/" in mail.body
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    # A second run of the job (a redelivery) sends nothing more.
    assert send_notification_email(notification_id=notification.pk) == {"sent": False}
    assert len(mailoutbox) == 1
