"""Count the early warnings' items in the counters, by the day that decides whether they warn,
which the services and the import keep from now on: the dashboards, the home page and the
warnings page read the counts from a few counter rows instead of counting episodes.

Written with the models as they stand at this point of the history, so it stays true when they
change later.
"""

from collections import Counter as Tally

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce

METRICS = ("contract", "documents", "contact", "nonproc", "unempower")
EMPOWERMENT = ("empowerment_business", "empowerment_finance", "empowerment_cooperative")


def _day(on) -> str:
    return f"{on.year:04d}{on.timetuple().tm_yday:03d}"


def _areas(village: str) -> list[str]:
    parts = village.split(".")
    return [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]


def count_warnings(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    placement = apps.get_model("placements", "Placement")
    person = apps.get_model("registry", "Person")
    enrollment = apps.get_model("programs", "Enrollment")
    db = schema_editor.connection.alias
    counter.objects.using(db).filter(metric__in=METRICS).delete()
    tally: Tally = Tally()
    live = placement.objects.using(db).filter(
        archived_at__isnull=True,
        person__archived_at__isnull=True,
        person__restricted_at__isnull=True,
    )
    rows = live.annotate(contact=Coalesce("last_check_in_on", "departed_on")).values_list(
        "village_id", "status", "contract_end", "documents_due_on", "contact", "procedural"
    )
    for village, status, contract_end, due, contact, procedural in rows.iterator(10_000):
        keys = []
        if due is not None:
            keys.append(("documents", _day(due)))
        if status == "abroad":
            if contract_end is not None:
                keys.append(("contract", _day(contract_end)))
            if contact is not None:
                keys.append(("contact", _day(contact)))
            if procedural is False:
                keys.append(("nonproc", ""))
        for area in _areas(village):
            for metric, day in keys:
                tally[(area, metric, day)] += 1
    empowered = enrollment.objects.using(db).filter(
        person=OuterRef("pk"), archived_at__isnull=True, program__kind__in=EMPOWERMENT
    )
    returnees = (
        person.objects.using(db)
        .filter(
            archived_at__isnull=True,
            restricted_at__isnull=True,
            phase="returned",
            current_placement__returned_on__isnull=False,
        )
        .filter(~Exists(empowered))
        .values_list("village_id", "current_placement__returned_on")
    )
    for village, returned_on in returnees.iterator(10_000):
        for area in _areas(village):
            tally[(area, "unempower", _day(returned_on))] += 1
    counter.objects.using(db).bulk_create(
        [
            counter(
                village=area,
                level=area.count(".") + 1 if area else 0,
                metric=metric,
                month=day,
                n=n,
            )
            for (area, metric, day), n in sorted(tally.items())
        ],
        batch_size=1000,
    )


def forget_warnings(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    counter.objects.using(schema_editor.connection.alias).filter(metric__in=METRICS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0010_counters_move_to_their_own_app"),
        ("counters", "0002_enrolment_metrics"),
        ("placements", "0008_documents_due_on"),
        ("programs", "0003_quickwin_counters"),
        ("registry", "0006_residents_order_index"),
    ]

    operations = [migrations.RunPython(count_warnings, forget_warnings)]
