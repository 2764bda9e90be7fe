"""Persons whose current episode ended in death before departing were recorded as purna PMI.

The phase rule (lindung/placements/phase.py) now leaves them without a migration phase. This
corrects the persons already recorded and, when any changed, recomputes the counters, whose
resident rows are keyed by the phase.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    changed = Person.objects.filter(
        phase="returned",
        current_placement__status="died",
        current_placement__departed_on__isnull=True,
    ).update(phase="none")
    if changed:
        from lindung.reports.counters import counters_rebuild

        counters_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0003_events_indexed_by_their_composites"),
        ("registry", "0002_letter_lettersequence"),
        ("reports", "0007_counter_pages_leave_room_for_updates"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
