"""Count the open cases already recorded in the counters, which the case services keep from
now on (decision record 22: the cases' dashboard panel reads them instead of counting every
open case in reach)."""

from collections import Counter as Tally

from django.db import migrations

METRICS = ("caseopen", "casecat")
OPEN_STATUSES = ("received", "verified", "referred", "in_handling", "resolved")


def _keys(village, urgent, due_on, categories):
    """The keys of an open case as `counters.keeping.case_keys` made them when this migration
    was written (frozen here, as a migration must be), at the village and every area above."""
    day = "" if due_on is None else f"{due_on.year:04d}{due_on.timetuple().tm_yday:03d}"
    keys = [("caseopen", "", "", "", "", "y" if urgent else "n", day)]
    keys += [("casecat", "", "", "", code, "", "") for code in sorted(set(categories))]
    parts = village.split(".")
    areas = [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]
    return [(area, *key) for area in areas for key in keys]


def count_open_cases(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    case = apps.get_model("cases", "Case")
    category = apps.get_model("cases", "CaseCategory")
    db = schema_editor.connection.alias
    counter.objects.using(db).filter(metric__in=METRICS).delete()
    open_cases = case.objects.using(db).filter(archived_at__isnull=True, status__in=OPEN_STATUSES)
    codes = {}
    for case_id, code in category.objects.using(db).filter(case__in=open_cases).values_list(
        "case_id", "code"
    ):
        codes.setdefault(case_id, []).append(code)
    tally = Tally()
    rows = open_cases.values_list("id", "village_id", "urgent", "due_on")
    for case_id, village, urgent, due_on in rows.iterator(chunk_size=10_000):
        tally.update(_keys(village, urgent, due_on, codes.get(case_id, ())))
    fields = ("village", "metric", "phase", "country", "sex", "job", "procedural", "month")
    counter.objects.using(db).bulk_create(
        [
            counter(level=key[0].count(".") + 1 if key[0] else 0, n=n, **dict(zip(fields, key)))
            for key, n in sorted(tally.items())
        ],
        batch_size=1000,
    )


def forget_open_cases(apps, schema_editor):
    counter = apps.get_model("counters", "Counter")
    counter.objects.using(schema_editor.connection.alias).filter(metric__in=METRICS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_list_order_index"),
        ("counters", "0005_counter_job_holds_case_categories"),
    ]

    operations = [migrations.RunPython(count_open_cases, forget_open_cases)]
