"""The roster section's steps, each run in its own process: set up a register, import as the portal does (upload,
dry run, commit, and the dry-run pages timed), the physical floor (calamine and COPY), and django-import-export."""

import logging
import time
from pathlib import Path

from bench.roster.data import INDICATOR_YEAR, REGIONS, RESOURCE_NAMES

ADMIN = "bench_admin"


class _Messages(logging.Handler):
    """What a logger says while a step runs: the roster reading names the reader that read the sheet."""

    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def step_setup() -> dict:
    from django.core.management import call_command

    from portal.models import Region, User

    call_command("migrate", verbosity=0, interactive=False)
    ningxia = Region.objects.create(name="宁夏回族自治区", code="640000", kind="province")
    zhongwei = Region.objects.create(name="中卫市", code="640500", kind="city", parent=ningxia)
    for index, name in enumerate(REGIONS):
        Region.objects.create(name=name, code=f"64059{index}", kind="county", parent=zhongwei)
    User.objects.create_user(username=ADMIN, password="bench-only", role="admin", region=ningxia)
    return {}


def step_fast(path: str, pages: str = "") -> dict:
    """Upload as an administrator does; the dry run and the commit run as their jobs (eagerly, here)."""
    from enterprises.models import RosterImport
    from enterprises.roster import services
    from portal.models import User

    actor = User.objects.get(username=ADMIN)
    reading = _Messages()
    logging.getLogger("enterprises.roster.reading").addHandler(reading)
    started = time.perf_counter()
    data = Path(path).read_bytes()
    roster_import = services.upload_roster(actor=actor, file_name=Path(path).name, data=data)
    uploaded = time.perf_counter()
    roster_import = RosterImport.objects.get(pk=roster_import.pk)
    assert roster_import.status == "analysed", (roster_import.status, roster_import.error)
    analysed = time.perf_counter()
    result = f"{roster_import.created_count} new, {roster_import.updated_count} changed, {roster_import.rejected_count} rejected"
    timed_pages = _time_pages(actor, roster_import) if pages else {}
    committing = time.perf_counter()
    if roster_import.created_count or roster_import.updated_count:
        roster_import = services.commit_roster(actor=actor, roster_import=roster_import)
        roster_import = RosterImport.objects.get(pk=roster_import.pk)
        assert roster_import.status == "committed", roster_import.status
    finished = time.perf_counter()
    return {
        "seconds": (analysed - started) + (finished - committing),
        "upload": uploaded - started,
        "dry_run": analysed - uploaded,
        "commit": finished - committing,
        "result": result,
        "pages": timed_pages,
        "reader": reading.messages[-1].rsplit(" by ", 1)[-1],
    }


def _time_pages(actor, roster_import) -> dict[str, float]:
    """Server time of the dry-run page: first, middle and last page of all rows, last page of each outcome."""
    from django.test import Client
    from django.urls import reverse

    client = Client(SERVER_NAME="localhost")
    client.force_login(actor)
    url = reverse("enterprises:roster-detail", args=[roster_import.pk])
    last = max(1, -(-roster_import.total_rows // 50))
    opened = {"first": "", "middle": f"?page={last // 2 or 1}", "last": f"?page={last}"}
    for action, count in (("create", roster_import.created_count), ("update", roster_import.updated_count)):
        if count:
            opened[f"{action}, last"] = f"?action={action}&page={max(1, -(-count // 50))}"
    opened["with warnings"] = "?action=warning"
    client.get(url)  # templates and translations loaded before the clock starts
    timed = {}
    for name, query in opened.items():
        began = time.perf_counter()
        response = client.get(url + query)
        timed[name] = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, response.status_code
    return timed


def step_floor(path: str) -> dict:
    """The physical floor: calamine parses the sheet, every row goes into a staging table by COPY."""
    import io

    import python_calamine
    from django.db import connection

    started = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(Path(path).read_bytes())).get_sheet_by_index(0)
    rows = sheet.iter_rows()
    header = next(rows)
    columns = ", ".join(f"c{index} text" for index in range(len(header)))
    loaded = 0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS roster_staging")
        cursor.execute(f"CREATE TABLE roster_staging ({columns})")
        if connection.vendor == "postgresql":
            text = io.StringIO()
            for row in rows:
                text.write("\t".join("\\N" if value in (None, "") else str(value) for value in row) + "\n")
                loaded += 1
            text.seek(0)
            cursor.cursor.copy_expert("COPY roster_staging FROM STDIN", text, size=1 << 20)
        else:
            placeholders = ", ".join(["%s"] * len(header))
            values = [[None if value == "" else str(value) for value in row] for row in rows]
            loaded = len(values)
            cursor.executemany(f"INSERT INTO roster_staging VALUES ({placeholders})", values)
    finished = time.perf_counter()
    return {"seconds": finished - started, "result": f"{loaded} rows staged"}


def step_import_export(path: str, configuration: str) -> dict:
    import tablib
    from import_export.formats.base_formats import XLSX
    from import_export.instance_loaders import CachedInstanceLoader

    from enterprises.resources import AnnualIndicatorResource, EnterpriseResource

    resources = (EnterpriseResource, AnnualIndicatorResource)
    if configuration == "bulk":

        class Tuned:
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            instance_loader_class = CachedInstanceLoader

        resources = tuple(
            type(f"Bulk{base.__name__}", (base,), {"Meta": type("Meta", (Tuned, base.Meta), {})}) for base in resources
        )
    started = time.perf_counter()
    dataset = XLSX().create_dataset(Path(path).read_bytes())
    dataset.headers = [RESOURCE_NAMES.get(header, header) for header in dataset.headers]
    enterprise_columns = [
        "credit_code",
        "name",
        "region",
        "industry_code",
        "registered_on",
        "size_class",
        "is_above_scale",
    ]
    indicator_columns = [name for name in RESOURCE_NAMES.values() if name not in enterprise_columns]
    enterprises = tablib.Dataset(headers=enterprise_columns)
    indicators = tablib.Dataset(headers=["credit_code", "year", *indicator_columns])
    for row in dataset.dict:
        enterprises.append([row[name] for name in enterprise_columns])
        indicators.append([row["credit_code"], INDICATOR_YEAR, *[row[name] for name in indicator_columns]])
    first = resources[0]().import_data(enterprises, dry_run=False)
    second = resources[1]().import_data(indicators, dry_run=False)
    finished = time.perf_counter()
    totals = first.totals
    errors = len(first.row_errors()) + len(second.row_errors()) + len(first.invalid_rows) + len(second.invalid_rows)
    # skip_diff leaves nothing to tell a changed row from an unchanged one: both count as updates.
    result = f"{totals['new']} new, {totals['update']} changed, {errors} errors"
    return {"seconds": finished - started, "result": result}
