"""What /healthz reports: the database, the broker, the workers' last heartbeat."""

import datetime
import os
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
        ok = folder.is_dir() and os.access(folder, os.W_OK)
        report = {"ok": ok, "transport": "filesystem"}
        return report if ok else {**report, "error": f"{folder} is missing or not writable"}
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return {"ok": True, "transport": "redis"}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "transport": "redis", "error": str(error)[:200]}


def _worker() -> dict:
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values("hostname", "seen_at").first()
    except Exception:  # noqa: BLE001
        last = None
    if last is None:
        return {"ok": False, "last_heartbeat": None, "hostname": None}
    return {
        "ok": timezone.now() - last["seen_at"] < HEARTBEAT_FRESH,
        "last_heartbeat": timezone.localtime(last["seen_at"]).isoformat(),
        "hostname": last["hostname"],
    }


def check() -> dict:
    """ "ok" when all three are fine; "degraded" when only the worker is quiet (jobs wait,
    pages work); "down" when the database or the broker fails (the site cannot serve or queue)."""
    report = {"database": _database(), "broker": _broker(), "worker": _worker()}
    if not (report["database"]["ok"] and report["broker"]["ok"]):
        report["status"] = "down"
    else:
        report["status"] = "ok" if report["worker"]["ok"] else "degraded"
    return report
