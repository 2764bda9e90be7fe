"""Persons whose current episode ended in death before departing were recorded as purna PMI.

The phase rule (lindung/placements/phase.py) now leaves them without a migration phase. This
corrects the persons already recorded and moves them in the counters, whose resident rows are
keyed by the phase.
"""

from django.db import migrations, models


def _flag(procedural) -> str:
    return "" if procedural is None else ("y" if procedural else "n")


def forwards(apps, schema_editor):
    """Moves each corrected person's resident counter from "returned" to "none", at their
    village and every area above it, with the models of this point of the history (the
    rebuild of a later version would read columns this database does not have yet)."""
    Person = apps.get_model("registry", "Person")
    Counter = apps.get_model("reports", "Counter")
    died = Person.objects.filter(
        phase="returned",
        current_placement__status="died",
        current_placement__departed_on__isnull=True,
    )
    keys = list(
        died.values_list(
            "village_id",
            "sex",
            "current_placement__destination_country",
            "current_placement__job",
            "current_placement__procedural",
        )
    )
    if not died.update(phase="none"):
        return
    for village, sex, country, job, procedural in keys:
        parts = village.split(".")
        for area in [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]:
            for phase, delta in (("returned", -1), ("none", 1)):
                row, _created = Counter.objects.get_or_create(
                    village=area,
                    metric="resident",
                    phase=phase,
                    country=country or "",
                    sex=sex,
                    job=job or "",
                    procedural=_flag(procedural),
                    month="",
                    defaults={"level": area.count(".") + 1 if area else 0, "n": 0},
                )
                Counter.objects.filter(pk=row.pk).update(n=models.F("n") + delta)


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0003_events_indexed_by_their_composites"),
        ("registry", "0002_letter_lettersequence"),
        ("reports", "0007_counter_pages_leave_room_for_updates"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
