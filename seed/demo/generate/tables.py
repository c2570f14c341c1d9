"""Appending many generated rows to one table at the speed the database itself offers.

bulk_create builds a model instance per row and prepares every value through
its field, which for a province's 300,000 rows of yearly figures costs several
times what the database spends storing them. Generated rows are plain values
already, so they go as they are: with COPY … FROM STDIN on PostgreSQL, and with
one prepared INSERT run for every row (executemany) elsewhere. The columns a
row leaves out get what bulk_create would have put there: the model's default,
the time for auto_now fields, NULL. No signals and no audit rows: this is
generated data, not a change anyone made.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

NOT_GIVEN = object()


class TableWriter:
    """Writes rows of `columns` (field names, in order) into `model`'s table."""

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        *,
        now: datetime.datetime,
        constants: dict[str, Any] | None = None,
    ) -> None:
        meta = model._meta
        given = [meta.get_field(name) for name in columns]
        constants = constants or {}
        filled = [
            field
            for field in meta.concrete_fields
            if field not in given and not field.primary_key and not field.has_db_default()
        ]
        self.model = model
        self.fields = given + filled
        self.extra = tuple(_to_database(field, _filling(field, now, constants.get(field.name, NOT_GIVEN)))
                           for field in filled)  # fmt: skip
        adapters = [_adapter(field) for field in given]
        self.adapters = adapters if any(adapters) else None
        self.is_postgresql = connection.vendor == "postgresql"

    def write(self, rows: Iterable[tuple]) -> int:
        extra, adapters = self.extra, self.adapters
        if adapters:
            rows = [_adapted(row, adapters) + extra for row in rows]
        else:
            rows = [row + extra for row in rows]
        if not rows:
            return 0
        if self.is_postgresql:
            self._copy(rows)
        else:
            self._insert(rows)
        return len(rows)

    def _copy(self, rows: list[tuple]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        buffer.seek(0)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        # Python's csv writes '' and None alike, and COPY reads an unquoted empty value as NULL:
        # FORCE_NOT_NULL keeps the empty strings of the text columns that may not be NULL.
        texts = [quote(field.column) for field in self.fields if _is_text(field) and not field.null]
        options = f", FORCE_NOT_NULL ({', '.join(texts)})" if texts else ""
        sql = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv{options})"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)

    def _insert(self, rows: list[tuple]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES ({placeholders})", rows
            )


def reset_sequence(model: type[models.Model]) -> None:
    """After rows were written with their primary keys: the next id the database hands out comes after them."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def analyze(models_written: list[type[models.Model]]) -> None:
    """Fresh statistics for tables that just grew by a province: without them PostgreSQL plans for empty tables
    (sorting a whole region to show one page) until autovacuum gets round to them, if it is on at all."""
    with connection.cursor() as cursor:
        for model in models_written:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _filling(field: models.Field, now: datetime.datetime, constant: Any) -> Any:
    if constant is not NOT_GIVEN:
        return constant
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    # As for a model instance: the default, else '' for text and None for the rest.
    value = field.get_default()
    if value is not None or field.null:
        return value
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value: it has no default and may not be NULL.")


def _to_database(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=field.encoder)
    adapter = _adapter(field)
    return adapter(value) if adapter else value


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """What a value of this field needs before the database takes it, beyond its plain text."""
    if connection.vendor == "postgresql":
        return None  # COPY reads str(date) and str(aware datetime) as they are.
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _adapted(row: tuple, adapters: list) -> tuple:
    return tuple(
        adapter(value) if adapter and value is not None else value for value, adapter in zip(row, adapters, strict=True)
    )


def _is_text(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField)
