"""Production settings pass Django's deployment checklist given the documented environment,
and refuse to start without a secret key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The environment the README documents for production.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://portal.example.gov.cn",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Start from a clean environment so that nothing from the test run (or a developer's
    # shell) leaks in; keep only what Python itself needs.
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "PORTAL_VAR_DIR": str(ROOT / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif((ROOT / ".env").exists(), reason="a local .env file would supply settings")
def test_check_deploy_is_clean_with_the_documented_environment():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.skipif((ROOT / ".env").exists(), reason="a local .env file would supply settings")
def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


@pytest.mark.skipif((ROOT / ".env").exists(), reason="a local .env file would supply settings")
def test_production_refuses_to_start_without_allowed_hosts():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", env={**env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.skipif((ROOT / ".env").exists(), reason="a local .env file would supply settings")
def test_a_short_or_default_looking_secret_key_fails_the_check():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "too-short"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
