"""The index on (level, metric, procedural, month) served the rising villages, summed from six
months of village counters on every view. They are kept in `counters.VillageTrend` now
(0003), and the monthly roll reads the village departure rows through (level, metric,
village): the index only cost every counter write and every rebuild."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("counters", "0003_village_trends"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="counter",
            name="counter_month_idx",
        ),
    ]
