"""The trail's order, (at, id), indexed; the index on `at` alone, which it covers, dropped.

Dropping that index is done by its own statement, not by altering the field: on SQLite, Django
alters a field by rebuilding the table, and the rebuild would take away the append-only
triggers of migration 0003 with it.
"""

import django.utils.timezone
from django.db import migrations, models


def _indexes_on_at_alone(schema_editor, table: str) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, c in constraints.items()
        if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] == ["at"]
    ]


def drop_index_on_at(apps, schema_editor):
    table = apps.get_model("audit", "AuditEvent")._meta.db_table
    for name in _indexes_on_at_alone(schema_editor, table):
        schema_editor.execute(
            schema_editor.sql_delete_index
            % {"table": schema_editor.quote_name(table), "name": schema_editor.quote_name(name)}
        )


def create_index_on_at(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field("at")]))


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only_in_the_database'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['at', 'id'], name='audit_at_id_idx'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='auditevent',
                    name='at',
                    field=models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name='when (UTC)'
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index_on_at, create_index_on_at)],
        ),
    ]
