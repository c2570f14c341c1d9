"""What /healthz reports: the database, the broker, the workers' last heartbeat."""

import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.models import WorkerHeartbeat

HEARTBEAT_FRESH = datetime.timedelta(minutes=2)


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "vendor": connection.vendor, "error": str(error)[:200]}


def _broker() -> dict:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return {"ok": folder.is_dir(), "transport": "filesystem"}
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return {"ok": True, "transport": "redis"}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "transport": "redis", "error": str(error)[:200]}


def _worker() -> dict:
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except Exception:  # noqa: BLE001
        last = None
    fresh = last is not None and timezone.now() - last < HEARTBEAT_FRESH
    return {"ok": fresh, "last_heartbeat": last.isoformat() if last else None}


def check() -> dict:
    report = {"database": _database(), "broker": _broker(), "worker": _worker()}
    report["status"] = "ok" if all(part["ok"] for part in report.values()) else "degraded"
    return report
