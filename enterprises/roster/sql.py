"""Writing many rows in a handful of statements, without model instances.

Django's bulk_update writes `SET f = CASE WHEN id=1 THEN … WHEN id=2 THEN … END`
for every field, which grows quadratically slow, and bulk_create prepares every
value through the field. Here values are adapted once per column, and a page of
up to PAGE_ROWS rows is one statement (PostgreSQL) or one executemany (SQLite),
so the number of statements stays flat as a roster grows.
"""

import datetime
import io
import re
from typing import Any

from django.db import connection, models


def update_from_values(
    model: type[models.Model],
    *,
    fields: list[str],
    rows: list[tuple[Any, ...]],
    increment_version: bool = True,
    merge_json: tuple[str, ...] = (),
) -> int:
    """Set `fields` of the rows whose primary key is the first value of each tuple.

    A JSON field named in `merge_json` is given JSON text of an object whose keys
    replace the stored object's keys (the others stay), merged in the database so
    the stored objects are never read into Python.

    PostgreSQL: one `UPDATE … FROM (VALUES …)` per PAGE_ROWS rows, the values
    adapted by psycopg2 in C. SQLite: one prepared UPDATE run for every row by
    executemany (no parameter limit, no statement text growing with the rows).
    """
    if not rows:
        return 0
    opts = model._meta
    table = connection.ops.quote_name(opts.db_table)
    model_fields = [opts.get_field(name) for name in fields]
    quoted = [connection.ops.quote_name(field.column) for field in model_fields]
    pk_column = connection.ops.quote_name(opts.pk.column)
    is_postgres = connection.vendor == "postgresql"
    converters = [None if field.name in merge_json else _converter(field, connection.vendor) for field in model_fields]
    records = [
        (
            *[
                value if convert is None or value is None else convert(value)
                for convert, value in zip(converters, row[1:], strict=True)
            ],
            row[0],
        )
        for row in rows
    ]

    def assignment(index: int, name: str, field: models.Field) -> str:
        value = f"v.c{index}" if is_postgres else "%s"
        if field.name in merge_json:
            if is_postgres:
                return f"{name} = COALESCE({table}.{name}, '{{}}'::jsonb) || CAST({value} AS jsonb)"
            # json_patch merges nested objects too: first null the replaced keys, then set them.
            nulls = f"(SELECT json_group_object(key, json('null')) FROM json_each({value}))"
            return f"{name} = json_patch(json_patch(COALESCE({name}, '{{}}'), {nulls}), {value})"
        return f"{name} = CAST({value} AS {field.db_type(connection)})" if is_postgres else f"{name} = {value}"

    assignments = [
        assignment(index, name, field) for index, (name, field) in enumerate(zip(quoted, model_fields, strict=True))
    ]
    if increment_version:
        assignments.append(f'"version" = {table}."version" + 1')
    with connection.cursor() as cursor:
        if not is_postgres:
            sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {pk_column} = %s"
            # A JSON merge names its value twice.
            if merge_json:
                positions = [
                    index
                    for index, field in enumerate(model_fields)
                    for _ in range(2 if field.name in merge_json else 1)
                ]
                records = [(*[record[index] for index in positions], record[-1]) for record in records]
            cursor.executemany(sql, records)
            return len(records)
        names = ", ".join([*[f"c{index}" for index in range(len(model_fields))], "pk"])
        updated = 0
        for page in _pages(records):
            sql = (
                f"UPDATE {table} SET {', '.join(assignments)} "
                f"FROM (VALUES {_mogrified(cursor, page)}) AS v({names}) WHERE {table}.{pk_column} = v.pk"
            )
            cursor.execute(sql)
            updated += cursor.rowcount
        return updated


# Rows per statement on PostgreSQL: a few megabytes of SQL, one round trip per page.
PAGE_ROWS = 5000


def _pages(records: list):
    for start in range(0, len(records), PAGE_ROWS):
        yield records[start : start + PAGE_ROWS]


def _mogrified(cursor, records: list[tuple]) -> str:
    """`(…), (…)` with every value quoted by psycopg2 (what execute_values does), as one string.

    Run through Django's cursor afterwards, so the statement shows in query logs and counts.
    """
    raw = cursor.cursor
    template = "(" + ", ".join(["%s"] * len(records[0])) + ")"
    return b", ".join(raw.mogrify(template, record) for record in records).decode()


def _converter(field: models.Field, vendor: str):
    """A cheap per-value adaptation chosen once per column (Django's per-value preparation dominates bulk_create)."""
    import json

    if isinstance(field, models.JSONField):
        # Rows often share one object (the same source stamps): encode each object once per call.
        # The object is kept with its text, so its id cannot be reused by another during the call.
        encoded: dict[int, tuple[Any, str]] = {}

        def encode(value: Any) -> str | None:
            if value is None:
                return None
            known = encoded.get(id(value))
            if known is None:
                known = encoded[id(value)] = (value, json.dumps(value, ensure_ascii=False))
            return known[1]

        return encode
    if vendor == "postgresql":
        return None
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else str(value)
    if isinstance(field, models.DateTimeField):
        return lambda value: (
            None if value is None else value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        )
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return None


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES) if COPY_SPECIAL.search(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _copy_writer(field: models.Field, convert):
    """value → COPY text for one column: None is \\N, text is escaped, numbers and dates as str()."""
    if convert is not None or isinstance(field, (models.CharField, models.TextField)):

        def write_text(value: Any) -> str:
            if value is None:
                return "\\N"
            text = convert(value) if convert is not None else value
            return (
                _copy_text(text)
                if text.__class__ is not str
                else (text.translate(COPY_ESCAPES) if COPY_SPECIAL.search(text) else text)
            )

        return write_text
    if isinstance(field, models.BooleanField):
        return lambda value: "\\N" if value is None else ("t" if value else "f")
    return lambda value: (
        "\\N" if value is None else (value.isoformat() if isinstance(value, datetime.date) else str(value))
    )


def insert_rows(model: type[models.Model], *, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows with one statement per chunk, bypassing model instances.

    `rows` are dicts of attribute names (region_id, not region); every other
    concrete column gets the field's default. Callers read ids back by natural key.
    """
    if not rows:
        return
    opts = model._meta
    fields = [field for field in opts.concrete_fields if not field.primary_key]
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            from django.utils import timezone

            defaults[field.attname] = timezone.now()
        else:
            defaults[field.attname] = field.get_default()
    converters = [_converter(field, connection.vendor) for field in fields]
    # Defaults are converted once; only the values a row supplies are converted per row.
    converted_defaults = [
        convert(defaults[field.attname]) if convert else defaults[field.attname]
        for field, convert in zip(fields, converters, strict=True)
    ]
    position = {
        field.attname: (index, convert) for index, (field, convert) in enumerate(zip(fields, converters, strict=True))
    }
    is_postgres = connection.vendor == "postgresql"
    if is_postgres:
        # COPY takes text: the defaults are written once, each supplied value once, through one
        # function per column chosen here (no per-value type dispatch).
        converted_defaults = [_copy_text(value) for value in converted_defaults]
        position = {
            field.attname: (index, _copy_writer(field, convert))
            for index, (field, convert) in enumerate(zip(fields, converters, strict=True))
        }
        values = []
        for row in rows:
            record = list(converted_defaults)
            for name, value in row.items():
                index, write = position[name]
                record[index] = write(value)
            values.append(record)
    else:
        values = []
        for row in rows:
            record = list(converted_defaults)
            for name, value in row.items():
                index, convert = position[name]
                record[index] = convert(value) if convert is not None and value is not None else value
            values.append(record)
    table = connection.ops.quote_name(opts.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if is_postgres:
            # COPY: the fastest way in, one stream per call (what the setup notes measured at ~1 s
            # for 50,000 parsed rows), instead of quoting every value into SQL text.
            data = io.StringIO("".join("\t".join(record) + "\n" for record in values))
            with connection.wrap_database_errors:
                cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", data, size=1 << 20)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)


def read_rows(qs: models.QuerySet, names: tuple[str, ...]):
    """`qs.values(*names)` as dicts, each column converted by one cheap function.

    Django's per-value converters (on SQLite: a Decimal through a 15-digit context,
    then quantize, in a generator per row) cost more than the comparison itself.
    Values come out as Django would give them: Decimal quantized to the field's
    places, date, bool.
    """
    sql, params = qs.values_list(*names).query.get_compiler(using=qs.db).as_sql()
    readers = []
    if connection.vendor == "sqlite":
        for index, name in enumerate(names):
            reader = _sqlite_reader(_lookup_field(qs.model, name))
            if reader is not None:
                readers.append((index, reader))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            if readers:
                row = list(row)
                for index, reader in readers:
                    if row[index] is not None:
                        row[index] = reader(row[index])
            yield dict(zip(names, row, strict=True))


def _lookup_field(model: type[models.Model], name: str) -> models.Field:
    *path, last = name.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(last)


def _sqlite_reader(field: models.Field):
    from decimal import Decimal

    if isinstance(field, models.DecimalField):
        places = Decimal(1).scaleb(-field.decimal_places)
        return lambda value: (Decimal(repr(value)) if value.__class__ is float else Decimal(value)).quantize(places)
    if isinstance(field, models.DateTimeField):
        return None  # not read by the importer's comparisons
    if isinstance(field, models.DateField):
        return lambda value: value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    if isinstance(field, models.BooleanField):
        return bool
    return None
