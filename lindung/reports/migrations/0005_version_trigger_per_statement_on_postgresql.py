"""PostgreSQL: the counters-version triggers run once per statement, not once per row.

A bulk import upserts some 15,000 village counter rows per chunk in one statement; a row
trigger called the PL/pgSQL function for each of them (about half of the import's counter
time). Statement triggers see the rows through transition tables and bump every regency the
statement touched in one upsert, still at most once per transaction. PostgreSQL allows a
transition table on a trigger of one event only, hence one trigger and function per event.
SQLite has no statement triggers and keeps its row triggers (migrations 0004 and 0006).
"""

from django.db import migrations

# Which transition tables each event has.
EVENTS = {
    "insert": ("INSERT", "REFERENCING NEW TABLE AS touched_new", ["touched_new"]),
    "update": (
        "UPDATE",
        "REFERENCING OLD TABLE AS touched_old NEW TABLE AS touched_new",
        ["touched_new", "touched_old"],
    ),
    "delete": ("DELETE", "REFERENCING OLD TABLE AS touched_old", ["touched_old"]),
}


def _function(name: str, tables: list[str]) -> str:
    rows = " UNION ALL ".join(f"SELECT village FROM {table}" for table in tables)  # noqa: S608
    return f"""
    CREATE OR REPLACE FUNCTION reports_counter_{name}_touched() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO reports_counterversion AS v (area, n, token, tx)
        SELECT area, 1, (random() * 1e9)::bigint, txid_current()
        FROM (
            SELECT DISTINCT substr(village::text, 1, 5) AS area
            FROM ({rows}) AS touched
            WHERE length(village::text) = 13
        ) AS areas
        ORDER BY area
        ON CONFLICT (area) DO UPDATE SET n = v.n + 1, tx = excluded.tx
        WHERE v.tx IS DISTINCT FROM excluded.tx;
        RETURN NULL;
    END
    $$
    """  # noqa: S608 (fixed names, no input)


FORWARDS = [
    *(
        f"DROP TRIGGER IF EXISTS reports_counter_version_{name} ON reports_counter"
        for name in EVENTS
    ),
    *(_function(name, tables) for name, (_event, _ref, tables) in EVENTS.items()),
    *(
        f"""
        CREATE TRIGGER reports_counter_version_{name} AFTER {event} ON reports_counter
        {referencing} FOR EACH STATEMENT EXECUTE FUNCTION reports_counter_{name}_touched()
        """
        for name, (event, referencing, _tables) in EVENTS.items()
    ),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from importlib import import_module

    previous = import_module("lindung.reports.migrations.0004_version_triggers_on_village_rows")
    for name in EVENTS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS reports_counter_version_{name} ON reports_counter"
        )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS reports_counter_{name}_touched()")
    for sql in previous.POSTGRESQL_TRIGGERS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_version_triggers_on_village_rows"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
