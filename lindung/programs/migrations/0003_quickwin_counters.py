"""Count the Quick Win in the counters (each person once a year, at the village of their first
procedural formal-sector departure after a certified vocational training), which the services
keep from now on: the dashboards and the Quick Win page read them instead of counting episodes."""

from collections import Counter as Tally

from django.db import migrations
from django.db.models import Exists, OuterRef


def count_quickwin(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    placement = apps.get_model("placements", "Placement")
    enrollment = apps.get_model("programs", "Enrollment")
    db = schema_editor.connection.alias
    counter.objects.using(db).filter(metric="quickwin").delete()
    certified = enrollment.objects.using(db).filter(
        person=OuterRef("person"),
        archived_at__isnull=True,
        status="completed",
        program__kind="vocational_training",
        program__archived_at__isnull=True,
        certificate_date__isnull=False,
        certificate_date__lte=OuterRef("departed_on"),
    ).exclude(certificate_number="")
    qualifying = (
        placement.objects.using(db)
        .filter(
            archived_at__isnull=True,
            person__archived_at__isnull=True,
            procedural=True,
            sector="formal",
            departed_on__isnull=False,
        )
        .filter(Exists(certified))
        .order_by("person_id", "departed_on", "id")
        .values_list("person_id", "departed_on", "village_id")
    )
    seen, tally = set(), Tally()
    for person_id, departed_on, village in qualifying.iterator(chunk_size=10_000):
        if (person_id, departed_on.year) in seen:
            continue
        seen.add((person_id, departed_on.year))
        parts = village.split(".")
        for area in [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]:
            tally[(area, f"{departed_on.year:04d}")] += 1
    counter.objects.using(db).bulk_create(
        [
            counter(
                village=area,
                level=area.count(".") + 1 if area else 0,
                metric="quickwin",
                month=year,
                n=n,
            )
            for (area, year), n in sorted(tally.items())
        ],
        batch_size=1000,
    )


def forget_quickwin(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    counter.objects.using(schema_editor.connection.alias).filter(metric="quickwin").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_enrolment_counters"),
        ("counters", "0002_enrolment_metrics"),
        ("placements", "0008_documents_due_on"),
        ("registry", "0006_residents_order_index"),
    ]

    operations = [migrations.RunPython(count_quickwin, forget_quickwin)]
