"""update_audited: the one door for an audited change to a versioned record."""

import pytest

from enterprises.tests.factories import EnterpriseFactory
from portal.audit import update_audited
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db

FIELDS = ("name", "main_products")


def events_of(instance) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(instance.pk)).order_by("pk"))


def test_a_change_bumps_the_version_saves_and_records_before_and_after(users, region_tree):
    enterprise = EnterpriseFactory(name="甲公司", main_products="枸杞", region=region_tree["shapotou"])
    changes = update_audited(
        enterprise,
        actor=users["spt_staff"],
        values={"main_products": "枸杞酒"},
        fields=FIELDS,
        region=enterprise.region,
        note="更正",
    )
    enterprise.refresh_from_db()
    assert changes == {"main_products": ["枸杞", "枸杞酒"]}
    assert (enterprise.main_products, enterprise.version) == ("枸杞酒", 2)
    [event] = events_of(enterprise)
    assert (event.action, event.changes, event.note, event.region) == (
        AuditEvent.Action.UPDATE,
        changes,
        "更正",
        region_tree["shapotou"],
    )


def test_setting_the_same_values_saves_and_records_nothing(users):
    enterprise = EnterpriseFactory(name="甲公司")
    changes = update_audited(enterprise, actor=users["spt_staff"], values={"name": "甲公司"}, fields=FIELDS)
    enterprise.refresh_from_db()
    assert changes == {} and enterprise.version == 1 and events_of(enterprise) == []


def test_an_unchanged_record_is_saved_when_asked_and_the_callers_words_are_recorded(users):
    """A transition words its own changes (labels, not codes), and is saved whether or not a field differs."""
    enterprise = EnterpriseFactory(name="甲公司")
    seen = []
    update_audited(
        enterprise,
        actor=users["spt_staff"],
        values={},
        changes={"state": ["草稿", "审核中"]},
        action=AuditEvent.Action.TRANSITION,
        update_fields=("name",),
        before_save=seen.append,
    )
    enterprise.refresh_from_db()
    assert enterprise.version == 2 and seen == [{"state": ["草稿", "审核中"]}]
    assert [(event.action, event.changes) for event in events_of(enterprise)] == [
        (AuditEvent.Action.TRANSITION, {"state": ["草稿", "审核中"]})
    ]
