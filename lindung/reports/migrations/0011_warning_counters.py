"""Count the early warnings' items in the counters, by the day that decides whether they warn,
which the services and the import keep from now on: the dashboards, the home page and the
warnings page read the counts from a few counter rows instead of counting episodes.

Written in SQL on the tables as they stand at this point of the history, so it stays true when
the models change later, and counts in the database, so its memory does not grow with the
registry.
"""

from django.db import migrations

METRICS = ("contract", "documents", "contact", "nonproc", "unempower")
EMPOWERMENT = ("empowerment_business", "empowerment_finance", "empowerment_cooperative")
# Code length of each level: the nation, a province, a regency, a district, a village.
WIDTHS = {0: 0, 1: 2, 2: 5, 3: 8, 4: 13}


def _statements(vendor: str) -> list[str]:
    """INSERT … SELECT … GROUP BY of each metric and level, on the tables as they stand at this
    point of the history: the database counts, so nothing grows in memory with the registry."""
    if vendor == "postgresql":
        ordinal = "to_char({}, 'YYYYDDD')"
    else:
        ordinal = "strftime('%Y%j', {})"
    columns = "village, level, metric, phase, country, sex, job, procedural, month, n"
    live = "pl.archived_at IS NULL AND p.archived_at IS NULL AND p.restricted_at IS NULL"
    contact = "COALESCE(pl.last_check_in_on, pl.departed_on)"
    kinds = ", ".join(f"'{kind}'" for kind in EMPOWERMENT)
    statements = []
    for level, width in WIDTHS.items():
        for metric, day, where in (
            ("contract", "pl.contract_end", "pl.status = 'abroad'"),
            ("documents", "pl.documents_due_on", "1 = 1"),
            ("contact", contact, "pl.status = 'abroad'"),
            ("nonproc", None, "pl.status = 'abroad' AND NOT pl.procedural"),
        ):
            month = "''" if day is None else ordinal.format(day)
            when = "" if day is None else f"AND {day} IS NOT NULL"
            group = f"substr(pl.village_id, 1, {width})" + (f", {day}" if day else "")
            statements.append(
                f"INSERT INTO reports_counter ({columns}) "  # noqa: S608
                f"SELECT substr(pl.village_id, 1, {width}), {level}, '{metric}', "
                f"'', '', '', '', '', {month}, COUNT(*) "
                f"FROM placements_placement pl JOIN registry_person p ON p.id = pl.person_id "
                f"WHERE {live} AND {where} {when} GROUP BY {group}"
            )
        statements.append(
            f"INSERT INTO reports_counter ({columns}) "  # noqa: S608
            f"SELECT substr(p.village_id, 1, {width}), {level}, 'unempower', "
            f"'', '', '', '', '', {ordinal.format('pl.returned_on')}, COUNT(*) "
            f"FROM registry_person p JOIN placements_placement pl "
            f"ON pl.id = p.current_placement_id "
            f"WHERE p.archived_at IS NULL AND p.restricted_at IS NULL AND p.phase = 'returned' "
            f"AND pl.returned_on IS NOT NULL AND NOT EXISTS (SELECT 1 "
            f"FROM programs_enrollment en JOIN programs_program g ON g.id = en.program_id "
            f"WHERE en.person_id = p.id AND en.archived_at IS NULL AND g.kind IN ({kinds})) "
            f"GROUP BY substr(p.village_id, 1, {width}), pl.returned_on"
        )
    return statements


def count_warnings(apps, schema_editor):
    forget_warnings(apps, schema_editor)
    with schema_editor.connection.cursor() as cursor:
        for sql in _statements(schema_editor.connection.vendor):
            cursor.execute(sql)


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
