"""A national level of counters, and a version per regency that triggers bump on every change.

The national rows (village "", level 0) are summed from the province rows, so no rebuild is
needed. The triggers fire for every counter row at regency level or below (each change is
counted there too) and bump that regency's CounterVersion in the same transaction; on
PostgreSQL at most once per transaction (a bulk import upserts thousands of counter rows, and
repeated updates of one row in one transaction pile up row versions).
"""

import lindung.lib.fields
from django.db import migrations, models

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER reports_counter_version_{name} AFTER {event} ON reports_counter
    WHEN length({row}.village) >= 5
    BEGIN
        INSERT OR IGNORE INTO reports_counterversion (area, n, token)
        VALUES (substr({row}.village, 1, 5), 0, abs(random() % 1000000000));
        UPDATE reports_counterversion SET n = n + 1 WHERE area = substr({row}.village, 1, 5);
    END
    """
    for name, event, row in (
        ("insert", "INSERT", "NEW"),
        ("update", "UPDATE", "NEW"),
        ("update_old", "UPDATE", "OLD"),
        ("delete", "DELETE", "OLD"),
    )
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS reports_counter_version_{name}"
    for name in ("insert", "update", "update_old", "delete")
]

POSTGRESQL_TRIGGER = [
    """
    CREATE OR REPLACE FUNCTION reports_counter_touched() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        code text;
    BEGIN
        FOREACH code IN ARRAY CASE TG_OP
            WHEN 'INSERT' THEN ARRAY[NEW.village::text]
            WHEN 'DELETE' THEN ARRAY[OLD.village::text]
            ELSE ARRAY[NEW.village::text, OLD.village::text] END
        LOOP
            IF length(code) >= 5 THEN
                INSERT INTO reports_counterversion AS v (area, n, token, tx)
                VALUES (substr(code, 1, 5), 1, (random() * 1e9)::bigint, txid_current())
                ON CONFLICT (area) DO UPDATE SET n = v.n + 1, tx = excluded.tx
                WHERE v.tx IS DISTINCT FROM excluded.tx;
            END IF;
        END LOOP;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER reports_counter_version AFTER INSERT OR UPDATE OR DELETE ON reports_counter
    FOR EACH ROW EXECUTE FUNCTION reports_counter_touched()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS reports_counter_version ON reports_counter",
    "DROP FUNCTION IF EXISTS reports_counter_touched()",
]

NATIONAL_ROWS = """
    INSERT INTO reports_counter (village, level, metric, phase, country, sex, job, procedural,
                                 month, n)
    SELECT '', 0, metric, phase, country, sex, job, procedural, month, SUM(n)
    FROM reports_counter WHERE level = 1 AND village <> ''
    GROUP BY metric, phase, country, sex, job, procedural, month
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGER}[vendor]
    schema_editor.execute(NATIONAL_ROWS)
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}[vendor]:
        schema_editor.execute(sql)
    schema_editor.execute("DELETE FROM reports_counter WHERE village = ''")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_counter_levels"),
    ]

    operations = [
        migrations.CreateModel(
            name="CounterVersion",
            fields=[
                (
                    "area",
                    lindung.lib.fields.AreaCodeField(
                        max_length=13, primary_key=True, serialize=False
                    ),
                ),
                ("n", models.BigIntegerField(default=0)),
                ("token", models.BigIntegerField(default=0)),
                ("tx", models.BigIntegerField(null=True)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
