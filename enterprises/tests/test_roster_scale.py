"""Large rosters: hooks are told once per import, and the commit's statements do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from enterprises import services as enterprise_services
from enterprises.models import AnnualIndicator, Enterprise
from enterprises.roster import services as roster_services
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import HEADER, code, csv_bytes, roster_rows
from tiers.models import Recognition
from tiers.reference import load_tiers_and_ladders
from tiers.services import recognitions as tier_services

TITLE = ["2023年第五批专精特新“小巨人”企业名单"]


@pytest.fixture(autouse=True)
def inline_and_chinese(monkeypatch):
    """Run dry run and commit inside the test, whatever the size, with no other app's hooks."""
    monkeypatch.setattr(roster_services, "INLINE_ROW_LIMIT", 10**6)
    monkeypatch.setattr(enterprise_services, "ENTERPRISE_CHANGE_HOOKS", [])
    monkeypatch.setattr(tier_services, "RECOGNITION_GRANTED_HOOKS", [])
    monkeypatch.setattr(tier_services, "RECOGNITION_BATCH_GRANTED_HOOKS", [])
    with translation.override("zh-hans"):
        yield


def import_roster(user, rows):
    roster_import = upload_roster(actor=user, file_name="名单.csv", data=csv_bytes(rows))
    return commit_roster(actor=user, roster_import=roster_import)


def test_a_2000_row_import_calls_each_batch_hook_once_with_every_id(
    users, region_tree, django_capture_on_commit_callbacks
):
    """One call per batch hook for the whole roster; a hook still on the one-id contract hears every id."""
    load_tiers_and_ladders()
    changed_batches, recognition_batches, one_by_one = [], [], []

    def on_changed(*, enterprise_ids):
        changed_batches.append(enterprise_ids)

    def on_granted(*, recognition_ids):
        recognition_batches.append(recognition_ids)

    enterprise_services.ENTERPRISE_CHANGE_HOOKS.append(on_changed)
    tier_services.RECOGNITION_BATCH_GRANTED_HOOKS.append(on_granted)
    tier_services.RECOGNITION_GRANTED_HOOKS.extend([on_granted, one_by_one.append])

    with django_capture_on_commit_callbacks(execute=True):
        roster_import = import_roster(users["admin"], [TITLE, HEADER, *roster_rows(2000)])

    assert (roster_import.created_count, roster_import.recognition_count) == (2000, 2000)
    assert len(changed_batches) == 1
    assert sorted(changed_batches[0]) == sorted(Enterprise.objects.values_list("pk", flat=True))
    assert len(recognition_batches) == 1
    assert sorted(recognition_batches[0]) == sorted(Recognition.objects.values_list("pk", flat=True))
    assert sorted(one_by_one) == sorted(recognition_batches[0])


def test_edits_in_one_transaction_are_announced_together(users, region_tree, django_capture_on_commit_callbacks):
    """Several single edits committed together reach a batch hook as one list."""
    batches = []
    enterprise_services.ENTERPRISE_CHANGE_HOOKS.append(lambda *, enterprise_ids: batches.append(enterprise_ids))
    first, second = EnterpriseFactory(region=region_tree["shapotou"]), EnterpriseFactory(region=region_tree["shapotou"])

    with django_capture_on_commit_callbacks(execute=True):
        for enterprise in (first, second, first):
            enterprise_services.save_indicators(
                actor=users["admin"], enterprise=enterprise, year=2024, values={"employees": enterprise.pk + 5}
            )

    assert batches == [[first.pk, second.pk]]


@pytest.mark.parametrize("kind", ["insert", "update"])
def test_commit_statements_do_not_grow_from_500_to_2000_rows(users, region_tree, kind):
    """Inserting or updating 2,000 rows takes as many statements as 500 rows."""

    def commit_queries(count, start):
        rows = [HEADER, *roster_rows(count, start=start)]
        if kind == "update":
            import_roster(users["admin"], rows)
            rows = [HEADER, *roster_rows(count, start=start, revenue=5000)]
        roster_import = upload_roster(actor=users["admin"], file_name="名单.csv", data=csv_bytes(rows))
        with CaptureQueriesContext(connection) as queries:
            roster_import = commit_roster(actor=users["admin"], roster_import=roster_import)
        assert roster_import.status == "committed"
        return len(queries)

    small = commit_queries(500, start=1)
    large = commit_queries(2000, start=10_001)

    assert large <= small
    assert AnnualIndicator.objects.filter(enterprise__credit_code=code(12_000)).get().operating_revenue == (
        13_000 if kind == "insert" else 17_000
    )


def test_an_update_keeps_the_sources_of_figures_it_does_not_change(users, region_tree):
    """Only the changed figures are stamped with the roster; a manual figure's source stays."""
    import_roster(users["admin"], [HEADER, *roster_rows(1)])
    enterprise = Enterprise.objects.get()
    enterprise_services.save_indicators(
        actor=users["admin"],
        enterprise=enterprise,
        year=AnnualIndicator.objects.get().year,
        values={"rd_staff": 7},
    )

    roster_import = import_roster(users["admin"], [HEADER, *roster_rows(1, revenue=3000)])

    indicator = AnnualIndicator.objects.get()
    assert indicator.operating_revenue == 3001
    assert indicator.sources["operating_revenue"]["import"] == roster_import.pk
    assert indicator.sources["rd_staff"]["source"] == "manual"
    assert "import" not in indicator.sources["rd_staff"]
    assert indicator.sources["employees"]["import"] != roster_import.pk
