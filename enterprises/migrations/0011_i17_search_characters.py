"""A GIN index of each enterprise's characters, for searches too short for a trigram.

"宁" or "科技" give pg_trgm nothing to look up, so such a search read the whole scope. This index
holds enterprise_characters(name, credit_code): the characters of UPPER(name) and of credit_code,
which enterprises.search asks for with the same function. An expression index, not a column:
PostgreSQL keeps it right on every write, whatever path the write takes. No extension is needed.

The function is PL/pgSQL so that the planner keeps it whole and weighs its COST (computing a row's
characters costs about ten times a substring check): inlined, its built-in parts looked nearly
free, and plans read thousands of rows to compute their characters where walking the name index
found a page's 50 matches first. SQLite searches by a scan and gets neither.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION enterprise_characters(name text, credit_code text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 25 AS $$
BEGIN
    RETURN string_to_array(upper(name), NULL) || string_to_array(credit_code, NULL);
END
$$
"""
INDEX = "enterprise_characters"


def create_characters_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON enterprises_enterprise USING gin "
        "(enterprise_characters(name, credit_code))"
    )


def drop_characters_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS enterprise_characters(text, text)")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0010_merge_20261207_2143")]

    operations = [migrations.RunPython(create_characters_index, drop_characters_index, elidable=False)]
