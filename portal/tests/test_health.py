"""/healthz: the database, the broker and the workers' last heartbeat, as JSON."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from portal.models import WorkerHeartbeat
from portal.services import record_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_ready():
    """What the worker does at start on the embedded stack: create the filesystem broker's folders."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]).mkdir(parents=True, exist_ok=True)


def test_healthy_stack_with_a_live_worker(client, broker_ready):
    record_heartbeat(hostname="worker@portal-1")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {
        "ok": True,
        "vendor": "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite",
    }
    expected_transport = "redis" if settings.REDIS_URL else "filesystem"
    assert body["broker"] == {"ok": True, "transport": expected_transport}
    assert body["worker"]["ok"] is True and body["worker"]["hostname"] == "worker@portal-1"
    assert body["worker"]["last_heartbeat"].endswith("+08:00")  # Beijing time


def test_a_quiet_worker_degrades_but_the_site_still_answers(client, broker_ready):
    WorkerHeartbeat.objects.create(hostname="worker@old", seen_at=timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"]["ok"] is False


def test_no_heartbeat_ever(client, broker_ready):
    body = client.get("/healthz").json()
    assert body["worker"] == {"ok": False, "last_heartbeat": None, "hostname": None}


def test_an_unreachable_redis_broker_is_reported_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["broker"]["ok"] is False and body["broker"]["transport"] == "redis" and body["broker"]["error"]


def test_a_missing_filesystem_broker_folder_is_reported_down(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_healthz_needs_no_login_and_is_never_cached(client, broker_ready):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
