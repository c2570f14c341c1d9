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
