"""`job` also holds a case's category (cases' dashboard panel, counters.keeping.case_keys), the
longest of which has 22 characters.

PostgreSQL widens the column in place (a longer varchar needs no rewrite of the table or its
indexes). SQLite does not enforce a varchar's length, and rebuilding its table would drop the
counters-version triggers defined on it (reports migrations 0003-0006), so there only
Django's record of the field changes.
"""

from django.db import migrations, models


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE "reports_counter" ALTER COLUMN "job" TYPE varchar(24)'
        )


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE "reports_counter" ALTER COLUMN "job" TYPE varchar(20)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("counters", "0004_counter_month_index_dropped"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="counter",
                    name="job",
                    field=models.CharField(blank=True, max_length=24),
                ),
            ],
            database_operations=[migrations.RunPython(widen, narrow)],
        ),
    ]
