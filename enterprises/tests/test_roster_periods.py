"""规上 periods from rosters: 纳入规上日期 and 退库日期 shown in the dry run, written set-based, audited, hooked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from enterprises import scale_periods
from enterprises.models import AboveScalePeriod, Enterprise
from enterprises.roster import messages
from enterprises.roster import services as roster_services
from enterprises.roster.services import commit_roster, upload_roster
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.roster_files import HEADER, code, csv_bytes, report_rows, roster_rows, xlsx_bytes
from portal.models import AuditEvent

SCALE_HEADER = [*HEADER, "纳入规上日期", "退库日期"]
ENTERED = datetime.date(2023, 3, 1)
LEFT = datetime.date(2024, 6, 30)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def entered_hook(monkeypatch):
    """The ids ABOVE_SCALE_ENTERED_HOOKS hear, in place of the rewards' hook."""
    heard: list[int] = []
    monkeypatch.setattr(scale_periods, "ABOVE_SCALE_ENTERED_HOOKS", [heard.append])
    return heard


def scale_rows(periods: list[tuple], *, start: int = 1) -> list[list]:
    """One roster row per (entered, left) pair, enterprise `start` onwards."""
    base = roster_rows(len(periods), start=start)
    return [[*row, entered, left] for row, (entered, left) in zip(base, periods, strict=True)]


def upload(user, rows):
    return upload_roster(actor=user, file_name="名单.xlsx", data=xlsx_bytes(rows))


def commit(user, rows, capture):
    roster_import = upload(user, rows)
    with capture(execute=True):
        return commit_roster(actor=user, roster_import=roster_import)


def test_a_roster_with_an_entry_date_records_the_period_audited_and_hooked(
    users, django_capture_on_commit_callbacks, entered_hook
):
    """The dry run says 新增规上期间; the commit records it, sets 是否规上, audits it and tells the rewards."""
    roster_import = upload(users["admin"], [SCALE_HEADER, *scale_rows([(ENTERED, None)])])
    (row,) = report_rows(roster_import)
    assert row["action"] == "create"
    assert messages.render(row["scale"]) == "新增规上期间：2023-03-01 入库"

    with django_capture_on_commit_callbacks(execute=True):
        roster_import = commit_roster(actor=users["admin"], roster_import=roster_import)

    enterprise = Enterprise.objects.get(credit_code=code(1))
    period = AboveScalePeriod.objects.get(enterprise=enterprise)
    assert (period.entered_on, period.left_on) == (ENTERED, None)
    assert enterprise.is_above_scale
    assert entered_hook == [period.pk]
    event = AuditEvent.objects.get(object_type="enterprises.abovescaleperiod", object_id=str(period.pk))
    assert (event.action, event.origin, event.actor) == ("create", f"import:{roster_import.pk}", users["admin"])
    assert event.changes == {"entered_on": [None, "2023-03-01"]}
    assert event.region_id == enterprise.region_id


def test_a_later_roster_with_the_exit_date_closes_the_period(users, django_capture_on_commit_callbacks, entered_hook):
    """退库 closes the period (no new one, no hook); 是否规上 follows; the update is audited with the dates."""
    commit(users["admin"], [SCALE_HEADER, *scale_rows([(ENTERED, None)])], django_capture_on_commit_callbacks)
    period = AboveScalePeriod.objects.get()
    entered_hook.clear()

    roster_import = upload(users["admin"], [SCALE_HEADER, *scale_rows([(ENTERED, LEFT)])])
    (row,) = report_rows(roster_import)
    assert row["action"] == "update"
    assert messages.render(row["scale"]) == "规上期间（2023-03-01 入库）退库：2024-06-30"
    with django_capture_on_commit_callbacks(execute=True):
        commit_roster(actor=users["admin"], roster_import=roster_import)

    period.refresh_from_db()
    assert (period.left_on, period.version) == (LEFT, 2)
    assert AboveScalePeriod.objects.count() == 1
    assert not Enterprise.objects.get().is_above_scale
    assert entered_hook == []
    event = AuditEvent.objects.get(object_type="enterprises.abovescaleperiod", action="update")
    assert event.changes == {"left_on": [None, "2024-06-30"]}


def test_an_exit_date_alone_closes_the_open_period_and_a_re_entry_makes_a_second(
    users, django_capture_on_commit_callbacks, entered_hook
):
    """A 退库 list names only the exit date; a later entry after 退库 is a second period, heard by the hooks."""
    enterprise = EnterpriseFactory(credit_code=code(1))
    scale_periods.record_above_scale_period(actor=None, enterprise=enterprise, entered_on=ENTERED)
    exits = [[*HEADER, "退库日期"], [*roster_rows(1)[0], LEFT]]
    roster_import = commit(users["admin"], exits, django_capture_on_commit_callbacks)
    assert roster_import.status == "committed"
    assert list(AboveScalePeriod.objects.values_list("entered_on", "left_on")) == [(ENTERED, LEFT)]

    re_entry = datetime.date(2025, 2, 1)
    commit(users["admin"], [SCALE_HEADER, *scale_rows([(re_entry, None)])], django_capture_on_commit_callbacks)

    periods = list(AboveScalePeriod.objects.order_by("entered_on"))
    assert [(period.entered_on, period.left_on) for period in periods] == [(ENTERED, LEFT), (re_entry, None)]
    assert entered_hook == [periods[1].pk]
    assert Enterprise.objects.get().is_above_scale


def test_re_importing_the_same_roster_changes_nothing(users, django_capture_on_commit_callbacks, entered_hook):
    """The second upload finds every period unchanged: nothing to commit, no audit row, no hook."""
    rows = [SCALE_HEADER, *scale_rows([(ENTERED, None), (ENTERED, LEFT)])]
    commit(users["admin"], rows, django_capture_on_commit_callbacks)
    events = AuditEvent.objects.exclude(object_type="enterprises.rosterimport").count()
    entered_hook.clear()

    second = upload(users["admin"], rows)

    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert not second.can_be_committed
    assert [messages.render(row["scale"]) for row in report_rows(second)] == [
        "规上期间（2023-03-01 入库）无变化",
        "规上期间（2023-03-01 入库，2024-06-30 退库）无变化",
    ]
    assert AuditEvent.objects.exclude(object_type="enterprises.rosterimport").count() == events
    assert AboveScalePeriod.objects.count() == 2
    assert entered_hook == []


def test_bad_dates_are_row_errors_naming_row_column_and_reason(users):
    """退库 before 入库, a date in the future and an overlap with a recorded period reject their rows only."""
    overlapped = EnterpriseFactory(credit_code=code(3))
    scale_periods.record_above_scale_period(
        actor=None, enterprise=overlapped, entered_on=datetime.date(2020, 1, 1), left_on=datetime.date(2023, 12, 31)
    )
    open_period = EnterpriseFactory(credit_code=code(4))
    scale_periods.record_above_scale_period(actor=None, enterprise=open_period, entered_on=datetime.date(2021, 5, 1))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    rows = [
        SCALE_HEADER,
        *scale_rows(
            [
                (LEFT, ENTERED),
                (ENTERED, tomorrow),
                (ENTERED, None),
                (datetime.date(2022, 1, 1), None),
                (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)),
            ]
        ),
    ]
    exits_only = [[*HEADER, "退出规上日期"], [*roster_rows(1, start=9)[0], LEFT]]

    roster_import = upload(users["admin"], rows)
    without_period = upload(users["admin"], exits_only)

    rendered = {
        row["row"]: [messages.render(error) for error in row.get("errors", [])] for row in report_rows(roster_import)
    }
    assert rendered[2] == ["第 2 行「退库日期」：退库日期 2023-03-01 早于入库日期 2024-06-30"]
    assert rendered[3] == [f"第 3 行「退库日期」：日期 {tomorrow.isoformat()} 晚于今天"]
    assert rendered[4] == ["第 4 行「纳入规上日期」：与已登记的规上期间（2020-01-01 入库，2023-12-31 退库）重叠"]
    assert rendered[5] == ["第 5 行「纳入规上日期」：与已登记的规上期间（2021-05-01 入库，尚未退库）重叠"]
    assert rendered[6] == []
    assert (roster_import.rejected_count, roster_import.created_count) == (4, 1)
    (row,) = report_rows(without_period)
    assert [messages.render(error) for error in row["errors"]] == [
        "第 2 行「退出规上日期」：填写了退库日期 2024-06-30，但该企业没有尚未退库的规上期间；请同时填写入库日期"
    ]


def test_a_roster_without_the_columns_never_reads_the_periods(users):
    """The hot path stays as it was: no query touches the 规上 periods when the columns are absent."""
    with CaptureQueriesContext(connection) as queries:
        roster_import = upload_roster(
            actor=users["admin"], file_name="名单.csv", data=csv_bytes([HEADER, *roster_rows(50)])
        )
        commit_roster(actor=users["admin"], roster_import=roster_import)
    table = AboveScalePeriod._meta.db_table
    assert roster_import.created_count == 50
    assert not [query for query in queries if table in query["sql"]]


def test_period_statements_do_not_grow_from_500_to_2000_rows(users, monkeypatch, entered_hook):
    """Dry run and commit of rosters with periods take as many statements for 2,000 rows as for 500."""
    monkeypatch.setattr(roster_services, "INLINE_ROW_LIMIT", 10**6)

    def queries_for(count, start):
        rows = [SCALE_HEADER, *scale_rows([(ENTERED, None)] * count, start=start)]
        with CaptureQueriesContext(connection) as queries:
            roster_import = upload_roster(actor=users["admin"], file_name="名单.csv", data=csv_bytes(rows))
            roster_import = commit_roster(actor=users["admin"], roster_import=roster_import)
        assert roster_import.status == "committed"
        return len(queries)

    small = queries_for(500, start=1)
    large = queries_for(2000, start=10_001)

    assert large <= small
    assert AboveScalePeriod.objects.filter(entered_on=ENTERED).count() == 2500


def test_the_dry_run_page_and_api_show_each_rows_period(client, users):
    """The administrator reads the period change beside the row, on the page and in the API report."""
    roster_import = upload(users["admin"], [SCALE_HEADER, *scale_rows([(ENTERED, LEFT)])])
    client.force_login(users["admin"])

    page = client.get(reverse("enterprises:roster-detail", args=[roster_import.pk])).content.decode()
    report = client.get(f"/api/v1/rosters/{roster_import.pk}/").json()

    assert "新增规上期间：2023-03-01 入库，2024-06-30 退库" in page
    assert "纳入规上日期" in page and "退库日期" in page
    assert report["rows"][0]["scale"] == "新增规上期间：2023-03-01 入库，2024-06-30 退库"
