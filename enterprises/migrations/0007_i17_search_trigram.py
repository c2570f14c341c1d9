"""Name and credit-code substring search served by trigram indexes on PostgreSQL.

The list's `q` filter is `UPPER(name) LIKE UPPER('%…%') OR credit_code LIKE '%…%'`:
a GIN index of pg_trgm trigrams on each expression lets PostgreSQL find the rows
holding any substring of three characters or more (Chinese included: the database's
UTF-8 ctype counts CJK characters as letters) instead of reading the whole table.

Creating the extension needs a role allowed to (PostgreSQL 13+: the database owner,
as pg_trgm is a trusted extension). Where it is refused the indexes are skipped and
search works as before, by a scan; SQLite always searches by a scan.
"""

from django.db import migrations, transaction

INDEXES = {
    "enterprise_name_trgm": "UPPER(name) gin_trgm_ops",
    "enterprise_code_trgm": "credit_code gin_trgm_ops",
}


def create_trigram_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 — no right to create it: search keeps working by a scan
            return
        for name, expression in INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON enterprises_enterprise USING gin ({expression})")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0006_i17_roster_rows")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False)]
