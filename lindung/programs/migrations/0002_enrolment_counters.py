"""Count the enrolments already recorded in the counters, which programme services keep from
now on (the dashboard's programme panel reads them instead of counting every enrolment)."""

from collections import Counter as Tally

from django.db import migrations

METRICS = ("enrolment", "certified")


def count_enrolments(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    enrollment = apps.get_model("programs", "Enrollment")
    db = schema_editor.connection.alias
    counter.objects.using(db).filter(metric__in=METRICS).delete()
    tally = Tally()
    live = enrollment.objects.using(db).filter(archived_at__isnull=True)
    for village, status, certificate_number, certificate_date in live.values_list(
        "village_id", "status", "certificate_number", "certificate_date"
    ).iterator(chunk_size=10_000):
        keys = [("enrolment", status)]
        if certificate_number and certificate_date is not None:
            keys.append(("certified", ""))
        parts = village.split(".")
        areas = [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]
        for area in areas:
            for metric, phase in keys:
                tally[(area, metric, phase)] += 1
    counter.objects.using(db).bulk_create(
        [
            counter(
                village=area,
                level=area.count(".") + 1 if area else 0,
                metric=metric,
                phase=phase,
                n=n,
            )
            for (area, metric, phase), n in sorted(tally.items())
        ],
        batch_size=1000,
    )


def forget_enrolments(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    counter.objects.using(schema_editor.connection.alias).filter(metric__in=METRICS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("counters", "0002_enrolment_metrics"),
    ]

    operations = [migrations.RunPython(count_enrolments, forget_enrolments)]
