"""Roster uploads, commits and refusals each leave a row in the audit log."""

import pytest
from django.utils import translation

from enterprises.models import RosterImport
from enterprises.roster.errors import RosterRefused
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.tests.roster_files import HEADER, roster_rows, xlsx_bytes
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def roster_events():
    return list(AuditEvent.objects.filter(object_type="enterprises.rosterimport").order_by("id"))


def test_an_upload_and_its_commit_are_audited(users):
    roster_import = upload_roster(
        actor=users["zw_staff"], file_name="名单.xlsx", data=xlsx_bytes([HEADER, *roster_rows(2)])
    )
    commit_roster(actor=users["zw_staff"], roster_import=roster_import)
    upload, commit = roster_events()
    assert (upload.action, upload.actor, upload.object_id) == ("create", users["zw_staff"], str(roster_import.pk))
    assert (
        upload.changes["file_name"] == "名单.xlsx" and upload.changes["rows"] == 3
    )  # the header row and two enterprises
    assert (commit.action, commit.note, commit.region) == ("transition", "commit", users["zw_staff"].region)


def test_a_refused_upload_is_audited_with_the_reason(users):
    with pytest.raises(RosterRefused) as refused:
        upload_roster(actor=users["zw_staff"], file_name="setup.exe", data=b"MZ\x90\x00" + b"\x00" * 200)
    (event,) = roster_events()
    assert event.action == "refuse"
    assert event.actor == users["zw_staff"]
    assert event.note == refused.value.message
    assert event.changes["file_name"] == "setup.exe"
    assert not RosterImport.objects.exists()


def test_a_refused_commit_is_audited(users):
    roster_import = upload_roster(
        actor=users["zw_staff"], file_name="名单.xlsx", data=xlsx_bytes([HEADER, *roster_rows(1)])
    )
    commit_roster(actor=users["zw_staff"], roster_import=roster_import)
    with pytest.raises(RosterRefused):
        commit_roster(actor=users["zw_staff"], roster_import=roster_import)
    assert [event.action for event in roster_events()] == ["create", "transition", "refuse"]
