"""Remember, for the cases recorded before need-to-know followed handling, every unit they
passed through: the regency (or higher level) that received them, each unit they were referred
or transferred to, each office whose officer took a step, and each level they were escalated to.
"""

from django.db import migrations

# Acting levels (cases.models.ActingLevel) and the unit at each.
NATIONAL, PROVINCE, REGENCY = 0, 1, 2
LEVEL_UNIT = {REGENCY: "disnaker", PROVINCE: "bp3mi", NATIONAL: "kp2mi"}
ROLE_UNIT = {"disnaker": "disnaker", "bp3mi": "bp3mi", "kp2mi": "kp2mi"}
CHAIN = [4, REGENCY, PROVINCE, NATIONAL]  # village upwards


def _area(unit, village):
    parts = village.split(".")
    return {"disnaker": ".".join(parts[:2]), "bp3mi": parts[0]}.get(unit)


def _level_unit(level, village):
    unit = LEVEL_UNIT.get(level)
    return None if unit is None else (unit, _area(unit, village))


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseStep = apps.get_model("cases", "CaseStep")
    CaseHandlingUnit = apps.get_model("cases", "CaseHandlingUnit")
    rows = []
    for case in Case.objects.select_related("created_by").iterator():
        village = case.village_id
        intake = case.intake_level if case.intake_level in CHAIN else REGENCY
        first = max(intake, REGENCY, key=CHAIN.index)
        units = {_level_unit(first, village)}
        escalations = [case.escalated_level]
        # A unit's office is the one that serves the case's village (a take-up step names
        # the unit without its area).
        if case.unit in ROLE_UNIT:
            units.add((case.unit, _area(case.unit, village)))
        else:
            units.add(_level_unit(case.responsible_level, village))
        steps = CaseStep.objects.filter(case=case).select_related("actor")
        for step in steps:
            if step.unit in ROLE_UNIT:
                units.add((step.unit, _area(step.unit, village)))
            if step.kind == "escalated":
                escalations.append(step.level)
            actor = step.actor
            if actor is not None and actor.role in ROLE_UNIT:
                unit = ROLE_UNIT[actor.role]
                units.add((unit, None if unit == "kp2mi" else actor.jurisdiction_id))
        if case.created_by is not None and case.created_by.role in ROLE_UNIT:
            unit = ROLE_UNIT[case.created_by.role]
            units.add((unit, None if unit == "kp2mi" else case.created_by.jurisdiction_id))
        for level in escalations:
            if level in CHAIN:
                climbed = CHAIN[CHAIN.index(REGENCY) : CHAIN.index(level) + 1]
                units.update(_level_unit(lv, village) for lv in climbed)
        units.discard(None)
        rows += [CaseHandlingUnit(case=case, unit=u, area_id=a) for u, a in sorted(units, key=str)]
    CaseHandlingUnit.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_need_to_know")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
