"""Querysets run as their SQL, straight through the database driver, with Django's conversions of the values.

For the hottest reads (the API's token, the enterprise list) a statement is compiled once per
process and run again with a new value in place of a stand-in: building a queryset's SQL cost
more than running it. For large reads (a province's holdings) the rows are taken as the driver
returns them, without the queryset's per-row machinery. Either way each value is what the
queryset would have given (SQLite's timestamps are text until converted, JSON is text).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_NOTHING = object()


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple
    # (column position, (converter functions, expression)) for the columns Django converts.
    converters: tuple
    columns: int
    alias: str

    @classmethod
    def of(cls, queryset: QuerySet) -> "Statement":
        """The queryset's statement; raises EmptyResultSet if it can hold nothing (Django does not run those)."""
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        selected = [column for column, _sql, _alias in compiler.select]
        converters = tuple(compiler.get_converters(selected).items())
        return cls(sql, tuple(params), converters, len(selected), queryset.db)

    def rows(self, stand_in: Any = _NOTHING, value: Any = None) -> Sequence[Sequence[Any]]:
        """The rows, with `value` in place of every parameter equal to `stand_in`."""
        params = self.params if stand_in is _NOTHING else [value if p == stand_in else p for p in self.params]
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            values = list(row)
            for position, (functions, expression) in self.converters:
                for function in functions:
                    values[position] = function(values[position], expression, connection)
            converted.append(values)
        return converted
