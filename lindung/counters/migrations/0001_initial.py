"""The counters and their versions, moved from the reports app in state only.

Their tables keep the names the reports app gave them (`reports_counter`,
`reports_counterversion`), with their rows, indexes and the version triggers of reports
migrations 0003–0006: nothing is created, renamed or rebuilt in the database (on SQLite a
rebuilt table would lose its triggers). Reports migration 0010 removes the models from the
reports app's state after this one. Their content types follow them, so a database migrated
before keeps one row per model.
"""

import lindung.lib.fields
from django.db import migrations, models

MODELS = ("counter", "counterversion")


def content_types_follow(apps, schema_editor, source="reports", target="counters"):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not content_type.objects.using(db).filter(app_label=target, model=model).exists():
            content_type.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target
            )


def content_types_back(apps, schema_editor):
    content_types_follow(apps, schema_editor, source="counters", target="reports")


STATE = [
    migrations.CreateModel(
        name="Counter",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("village", lindung.lib.fields.AreaCodeField(max_length=13)),
            ("level", models.PositiveSmallIntegerField(default=4)),
            (
                "metric",
                models.CharField(
                    choices=[
                        ("resident", "resident"),
                        ("departure", "departure"),
                        ("return", "return"),
                    ],
                    max_length=10,
                ),
            ),
            ("phase", models.CharField(blank=True, max_length=10)),
            ("country", models.CharField(blank=True, max_length=2)),
            ("sex", models.CharField(blank=True, max_length=1)),
            ("job", models.CharField(blank=True, max_length=20)),
            ("procedural", models.CharField(blank=True, max_length=1)),
            ("month", models.CharField(blank=True, max_length=7)),
            ("n", models.IntegerField(default=0)),
        ],
        options={
            "db_table": "reports_counter",
            "indexes": [
                models.Index(fields=["metric", "village"], name="reports_cou_metric_787ecf_idx"),
                models.Index(fields=["level", "metric", "village"], name="counter_level_idx"),
                models.Index(
                    fields=["level", "metric", "procedural", "month"], name="counter_month_idx"
                ),
            ],
            "constraints": [
                models.UniqueConstraint(
                    fields=(
                        "village",
                        "metric",
                        "phase",
                        "country",
                        "sex",
                        "job",
                        "procedural",
                        "month",
                    ),
                    name="counter_dimensions_unique",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="CounterVersion",
        fields=[
            (
                "area",
                lindung.lib.fields.AreaCodeField(max_length=13, primary_key=True, serialize=False),
            ),
            ("n", models.BigIntegerField(default=0)),
            ("token", models.BigIntegerField(default=0)),
            ("tx", models.BigIntegerField(null=True)),
        ],
        options={"db_table": "reports_counterversion"},
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables, their indexes and triggers as the reports app left them.
        ("reports", "0009_counter_month_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[]),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
