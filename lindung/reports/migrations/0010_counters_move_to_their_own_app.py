"""The counters and their versions leave the reports app's state for lindung.counters.

State only: the tables `reports_counter` and `reports_counterversion` stay as they are, with
their rows and triggers; counters migration 0001 has taken the models over (same tables).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_counter_month_index"),
        ("counters", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Counter"),
                migrations.DeleteModel(name="CounterVersion"),
            ],
            database_operations=[],
        ),
    ]
