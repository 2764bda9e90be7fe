"""SQLite: the update trigger for a counter row's old village fires only when the row moved.

An UPDATE of a counter row almost always adds to `n` and keeps its village; then the trigger
on the new row already bumps that regency, and the one on the old row did the same work again
(two statements per updated row in a bulk import). PostgreSQL's function already handles both
rows in one call.
"""

from importlib import import_module

from django.db import migrations

PREVIOUS = "lindung.reports.migrations.0004_version_triggers_on_village_rows"

UPDATE_OLD = """
    CREATE TRIGGER reports_counter_version_update_old AFTER UPDATE ON reports_counter
    WHEN length(OLD.village) = 13 AND OLD.village <> NEW.village
    BEGIN
        INSERT OR IGNORE INTO reports_counterversion (area, n, token)
        VALUES (substr(OLD.village, 1, 5), 0, abs(random() % 1000000000));
        UPDATE reports_counterversion SET n = n + 1 WHERE area = substr(OLD.village, 1, 5);
    END
"""
DROP = "DROP TRIGGER IF EXISTS reports_counter_version_update_old"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)
        schema_editor.execute(UPDATE_OLD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        previous = import_module(PREVIOUS)
        schema_editor.execute(DROP)
        index = previous.SQLITE_NAMES.index("update_old")
        schema_editor.execute(previous.SQLITE_TRIGGERS[index])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_version_triggers_on_village_rows"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
