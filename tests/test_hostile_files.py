"""Hostile roster files through the import API, each in a process with a 1 GiB address-space ceiling:
refused with a message the clerk can act on, or imported correctly — never a crash, never memory blown.
Each .xlsx goes through both readers: calamine whole, and a slice at a time as a large file is read."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from enterprises.models import Enterprise, RosterImport
from tests.hostile_files import HOSTILE_FILES, HostileFile

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
CEILING_MIB = 1024
# Python, Django and the parser loaded with nothing read yet take about 150 MiB resident.
RESIDENT_LIMIT_MIB = 400
TIMEOUT_SECONDS = 120


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _feed(path: Path, username: str, reader: str = "whole") -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": _database_url()}
    result = subprocess.run(
        [sys.executable, "-m", "tests.hostile_files.feed", str(path), username, str(CEILING_MIB), reader],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )  # fmt: skip
    assert result.returncode == 0, f"the importing process died:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


READINGS = [
    pytest.param(hostile, reader, id=f"{hostile.name}-{reader}")
    for hostile in HOSTILE_FILES
    for reader in (("whole", "sliced") if hostile.name.endswith(".xlsx") else ("whole",))
]


@pytest.mark.parametrize(("hostile", "reader"), READINGS)
def test_a_hostile_file_is_refused_with_a_message_or_imported_correctly(
    hostile: HostileFile, reader: str, users, tmp_path
):
    from tiers.reference import load_tiers_and_ladders

    load_tiers_and_ladders()
    outcome = _feed(hostile.write(tmp_path), users["admin"].username, reader)

    assert not outcome.get("memory_error"), outcome
    assert outcome["max_rss_mib"] < RESIDENT_LIMIT_MIB, outcome
    upload = outcome["upload"]
    if hostile.refused_with:
        message = upload["body"].get("refusal") or json.dumps(upload["body"], ensure_ascii=False)
        assert hostile.refused_with.lower() in message.lower(), upload
        assert upload["status"] in (201, 400), upload
        assert Enterprise.objects.count() == 0
        return
    assert upload["status"] == 201, upload
    rejected = [row for row in upload["body"]["rows"] if row["action"] == "reject"]
    if hostile.rejects:
        assert len(rejected) == 1 and hostile.rejects in rejected[0]["errors"][0], rejected
    else:
        assert rejected == [], rejected
    assert outcome["commit"]["status"] == 200, outcome["commit"]
    assert RosterImport.objects.get().status == RosterImport.Status.COMMITTED
    assert Enterprise.objects.count() == hostile.creates
    if hostile.warning:
        assert any(hostile.warning in warning for warning in upload["body"]["warnings"]), upload["body"]["warnings"]


def test_a_formula_is_stored_as_inert_text(users, tmp_path):
    """A CSV cell that looks like a formula becomes the enterprise's name as typed, never evaluated."""
    hostile = next(hostile for hostile in HOSTILE_FILES if hostile.name == "formulas.csv")
    outcome = _feed(hostile.write(tmp_path), users["admin"].username)
    assert outcome["commit"]["status"] == 200, outcome
    assert Enterprise.objects.filter(name__startswith="=HYPERLINK(").count() == 1
