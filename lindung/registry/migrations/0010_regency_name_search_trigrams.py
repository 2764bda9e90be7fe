"""A regency's name search reads the trigrams of its own residents' names (PostgreSQL only).

The residents search matches any part of a name (`name_key LIKE '%…%'`). A regency's search
walked every name of the regency, so it grew with the regency. This GIN index keys each
person by the regency's code (`lindung.lib.fields.regency_code`, through btree_gin) and by the
trigrams of the name (pg_trgm): the search intersects the two and reads only the regency's
matching persons. Both extensions are trusted: the database's owner may create them. SQLite
has no such index and keeps the walk.
"""

from django.db import migrations

INDEX = "person_regency_name_trgm_idx"
# The expression of lindung.lib.fields.regency_code("village"), as PostgreSQL prints it, so the
# search's own condition matches it.
REGENCY = (
    "(CASE WHEN substr((village_id)::text, 6, 1) IN ('', '.') "
    "THEN substr((village_id)::text, 1, 5) END)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON registry_person USING gin ({REGENCY}, name_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    """The extensions stay: something else may use them."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_returnees_in_return_date_order")]

    operations = [migrations.RunPython(create_index, drop_index)]
