"""One UPDATE for many rows with different values.

Django's bulk_update writes `SET f = CASE WHEN id=1 THEN … WHEN id=2 THEN … END`
for every field, which grows quadratically slow. Both PostgreSQL and SQLite
(3.33+) accept `WITH v(…) AS (VALUES …) UPDATE t SET f = v.f FROM v WHERE t.id = v.id`.
"""

from typing import Any

from django.db import connection, models

# SQLite allows 32,766 bound parameters per statement; stay well below.
MAX_PARAMETERS = 30_000


def update_from_values(
    model: type[models.Model], *, fields: list[str], rows: list[tuple[Any, ...]], increment_version: bool = True
) -> int:
    """Set `fields` of the rows whose primary key is the first value of each tuple."""
    if not rows:
        return 0
    opts = model._meta
    table = connection.ops.quote_name(opts.db_table)
    model_fields = [opts.get_field(name) for name in fields]
    columns = [field.column for field in model_fields]
    quoted = [connection.ops.quote_name(column) for column in columns]
    is_postgres = connection.vendor == "postgresql"

    def cast(field: models.Field, expression: str) -> str:
        return f"CAST({expression} AS {field.db_type(connection)})" if is_postgres else expression

    pk_column = connection.ops.quote_name(opts.pk.column)
    assignments = [
        f"{name} = {cast(field, 'v.' + connection.ops.quote_name('c' + str(index)))}"
        for index, (name, field) in enumerate(zip(quoted, model_fields, strict=True))
    ]
    if increment_version:
        assignments.append('"version" = ' + table + '."version" + 1')
    value_names = ", ".join(["pk"] + [connection.ops.quote_name(f"c{index}") for index in range(len(columns))])
    per_row = len(columns) + 1
    chunk_size = max(1, min(2000, MAX_PARAMETERS // per_row))
    converters = [_converter(field, connection.vendor) for field in model_fields]
    updated = 0
    pk_cast = "CAST(%s AS bigint)" if is_postgres else "%s"
    placeholder = "(" + ", ".join([pk_cast] + ["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk_size):
            chunk = rows[start : start + chunk_size]
            params: list[Any] = []
            for row in chunk:
                params.append(row[0])
                params.extend(
                    value if convert is None or value is None else convert(value)
                    for convert, value in zip(converters, row[1:], strict=True)
                )
            sql = (
                f"WITH v({value_names}) AS (VALUES {', '.join([placeholder] * len(chunk))}) "
                f"UPDATE {table} SET {', '.join(assignments)} FROM v WHERE {table}.{pk_column} = v.pk"
            )
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated


def _converter(field: models.Field, vendor: str):
    """A cheap per-value adaptation chosen once per column (Django's per-value preparation dominates bulk_create)."""
    import datetime
    import json

    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
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
    columns_of = list(enumerate(zip(fields, converters, strict=True)))
    values = []
    for row in rows:
        record = list(converted_defaults)
        for index, (field, convert) in columns_of:
            if field.attname in row:
                value = row[field.attname]
                record[index] = convert(value) if convert else value
        values.append(record)
    table = connection.ops.quote_name(opts.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            casts = ["%s::jsonb" if isinstance(field, models.JSONField) else "%s" for field in fields]
            with connection.wrap_database_errors:
                execute_values(
                    cursor.cursor,
                    f"INSERT INTO {table} ({columns}) VALUES %s",
                    values,
                    template="(" + ", ".join(casts) + ")",
                    page_size=1000,
                )
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)
