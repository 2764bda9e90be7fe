"""The villages' trends of non-procedural departures (`counters.VillageTrend`) and the window
they are summed for (`counters.TrendWindow`). Left empty: the scheduler's `trends_roll`, a
rebuild of the counters or the first reader of the rising villages fills them in one
statement from the village counters."""

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("counters", "0002_enrolment_metrics"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrendWindow",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("month", models.CharField(max_length=7)),
            ],
        ),
        migrations.CreateModel(
            name="VillageTrend",
            fields=[
                (
                    "village",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="regions.area",
                    ),
                ),
                ("recent", models.IntegerField(default=0)),
                ("before", models.IntegerField(default=0)),
                (
                    "rise",
                    models.GeneratedField(
                        db_persist=True,
                        expression=django.db.models.expressions.CombinedExpression(
                            models.F("recent"), "-", models.F("before")
                        ),
                        output_field=models.IntegerField(),
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["-rise", "village"], name="trend_rise_idx")],
            },
        ),
    ]
