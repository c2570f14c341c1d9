"""Test settings: the same stack as production, on whatever DATABASE_URL/REDIS_URL say."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")

from portal.settings.base import *  # noqa: F403
from portal.settings.base import REST_FRAMEWORK, STATIC_ROOT, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "100000/min", "token": "10000/min"},
}
LOGIN_ATTEMPT_LIMIT = 5
JOB_RETRY_BACKOFF_SECONDS = 0.01
# Tests sign in with passwords; portal/tests/test_two_factor.py turns the requirement on.
TWO_FACTOR_REQUIRED = False
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# A file, not memory, so that a real Celery worker started by a test can open
# the same test database (tests/test_worker.py), and so that `make test` can keep it
# between runs (--reuse-db). pytest-xdist gives each worker its own copy (…_gw0, …_gw1).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-portal.sqlite3")}  # noqa: F405

# Each test process keeps its own cache entries: the test database's name is now the same
# from run to run, and rate limits or sign-in counters of one process must not reach another.
# A server started on these settings by the bench names one prefix for all its workers
# (PORTAL_CACHE_KEY_PREFIX), so that they share the cache as production's workers do.
for _cache in CACHES.values():  # noqa: F405
    _cache["KEY_PREFIX"] = os.environ.get("PORTAL_CACHE_KEY_PREFIX") or f"test-{os.getpid()}"

# Without Redis, each test process gets its own filesystem broker folder, so a
# real worker started by one test run never takes another run's messages.
TEST_VAR_DIR = VAR_DIR / f"test-{os.getpid()}"
if not REDIS_URL:  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(TEST_VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(TEST_VAR_DIR / "broker" / "queue"),
        "control_folder": str(TEST_VAR_DIR / "broker" / "control"),
        "processed_folder": str(TEST_VAR_DIR / "broker" / "processed"),
    }
