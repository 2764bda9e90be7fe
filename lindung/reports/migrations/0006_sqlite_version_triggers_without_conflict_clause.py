"""SQLite: the counters-version triggers create a regency's row without a conflict clause.

Their `INSERT OR IGNORE` made an upsert into the counters table impossible (SQLite applies
the outer statement's conflict handling to the trigger's statements, so `ON CONFLICT DO
UPDATE` turned the ignored insert into a constraint error); bulk writers had to read every
existing counter key of a chunk first. An `INSERT … WHERE NOT EXISTS` needs no conflict
clause. Same condition as before (village rows only), and the trigger on an updated row's
old village fires only when the row moved: an update almost always adds to `n` in place, and
the new row's trigger already bumps that regency.
"""

from importlib import import_module

from django.db import migrations

VILLAGE = "length({row}.village) = 13"
TRIGGERS = {
    "insert": ("INSERT", "NEW", VILLAGE.format(row="NEW")),
    "update": ("UPDATE", "NEW", VILLAGE.format(row="NEW")),
    "update_old": (
        "UPDATE",
        "OLD",
        f"{VILLAGE.format(row='OLD')} AND OLD.village <> NEW.village",
    ),
    "delete": ("DELETE", "OLD", VILLAGE.format(row="OLD")),
}


def _trigger(name: str, event: str, row: str, when: str) -> str:
    area = f"substr({row}.village, 1, 5)"
    return f"""
    CREATE TRIGGER reports_counter_version_{name} AFTER {event} ON reports_counter
    WHEN {when}
    BEGIN
        INSERT INTO reports_counterversion (area, n, token)
        SELECT {area}, 0, abs(random() % 1000000000)
        WHERE NOT EXISTS (SELECT 1 FROM reports_counterversion WHERE area = {area});
        UPDATE reports_counterversion SET n = n + 1 WHERE area = {area};
    END
    """  # noqa: S608 (fixed names, no input)


def _drop() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS reports_counter_version_{name}" for name in TRIGGERS]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in [*_drop(), *(_trigger(name, *spec) for name, spec in TRIGGERS.items())]:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    before = import_module("lindung.reports.migrations.0004_version_triggers_on_village_rows")
    for sql in [*_drop(), *before.SQLITE_TRIGGERS]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_version_trigger_per_statement_on_postgresql"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
