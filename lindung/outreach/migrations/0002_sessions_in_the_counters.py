"""Count the information sessions already recorded in the counters, which the outreach
services keep from now on (decision record 23: the outreach panel and the reach pages read
them instead of summing every session in the area)."""

from collections import Counter as Tally

from django.db import migrations
from django.db.models import Count, Sum

METRICS = ("outreach", "reached")


def count_sessions(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    session = apps.get_model("outreach", "OutreachSession")
    db = schema_editor.connection.alias
    counter.objects.using(db).filter(metric__in=METRICS).delete()
    tally = Tally()
    live = session.objects.using(db).filter(archived_at__isnull=True).order_by()
    sums = live.values("area_id").annotate(
        sessions=Count("id"), men=Sum("attendees_male"), women=Sum("attendees_female")
    )
    for row in sums:
        # As counters.keeping.session_keys wrote them when this migration was made, at the
        # session's area and every area above it.
        parts = row["area_id"].split(".")
        for area in [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]:
            tally[(area, "outreach", "")] += row["sessions"]
            for sex, n in (("M", row["men"] or 0), ("F", row["women"] or 0)):
                if n:
                    tally[(area, "reached", sex)] += n
    counter.objects.using(db).bulk_create(
        [
            counter(
                village=area,
                level=area.count(".") + 1 if area else 0,
                metric=metric,
                sex=sex,
                n=n,
            )
            for (area, metric, sex), n in sorted(tally.items())
        ],
        batch_size=1000,
    )


def forget_sessions(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    counter.objects.using(schema_editor.connection.alias).filter(metric__in=METRICS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("counters", "0005_counter_job_holds_case_categories"),
    ]

    operations = [migrations.RunPython(count_sessions, forget_sessions)]
