"""The metric is one of `counters.models.Metric`, no longer declared as the column's choices:
the programme enrolments, the certified and the Quick Win are metrics too (programs 0002 and
0003 count them), and a new metric needs no migration. No SQL: choices live in Python only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("counters", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="counter",
            name="metric",
            field=models.CharField(max_length=10),
        ),
    ]
