"""What need-to-know costs: the story policy against the scoping rule it sits on.

Builds LINDUNG_BENCH_CASES synthetic cases (default 20000) in one regency on a fresh SQLite
file (var/bench-need-to-know.sqlite3): every case received by Disnaker, one in two referred on
to BP3MI, one in ten with an emergency read by KP2MI. Then reports, as ratios measured in the
same run (median of LINDUNG_BENCH_ROUNDS rounds, default 5):

- list: the ids of the cases whose story a BP3MI officer reads (`story_readable`) against the
  ids of every case in its area (`scope`), over the whole table;
- one case: `may_read_story` for a case against fetching that case through the scoping rule
  (`case_get`), per call, for a BP3MI officer and for KP2MI (which reads through emergency reads).

Run: .venv/bin/python bench/bench_need_to_know.py
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench-need-to-know.sqlite3"
os.environ.update(
    {
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{DB}",
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
    }
)
N = int(os.environ.get("LINDUNG_BENCH_CASES", "20000"))
ROUNDS = int(os.environ.get("LINDUNG_BENCH_ROUNDS", "5"))


def build():
    from django.core.management import call_command
    from django.utils import timezone

    from lindung.accounts.models import Role, User
    from lindung.cases.models import (
        ActingLevel,
        Case,
        CaseEmergencyRead,
        CaseHandlingUnit,
        Status,
        Unit,
    )
    from lindung.regions.models import Area, Level
    from lindung.registry.models import Person

    DB.parent.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    areas = [
        Area(code="18", level=Level.PROVINCE, name="Lampung", name_key="lampung"),
        Area(code="18.11", parent_id="18", level=Level.REGENCY, name="Mesuji", name_key="mesuji"),
        Area(code="18.11.01", parent_id="18.11", level=Level.DISTRICT, name="D", name_key="d"),
    ]
    villages = [f"18.11.01.{2001 + i}" for i in range(20)]
    areas += [
        Area(code=v, parent_id="18.11.01", level=Level.VILLAGE, name=v, name_key=v)
        for v in villages
    ]
    Area.objects.bulk_create(areas)

    def user(name, role, code):
        return User.objects.create(username=name, role=role, jurisdiction_id=code)

    operator = user("op", Role.VILLAGE_OPERATOR, villages[0])
    disnaker = user("dn", Role.DISNAKER, "18.11")
    bp3mi = user("bp", Role.BP3MI, "18")
    kp2mi = user("kp", Role.KP2MI, None)
    born = date(1990, 1, 1)
    persons = Person.objects.bulk_create(
        Person(
            nik=f"181101{i:010d}",
            full_name=f"P {i}",
            name_key=f"p {i}",
            sex="F",
            birth_date=born,
            village_id=villages[i % 20],
        )
        for i in range(N)
    )
    today = date(2026, 6, 1)
    cases = Case.objects.bulk_create(
        Case(
            person=p,
            village_id=p.village_id,
            reported_on=today - timedelta(days=i % 300),
            reporter_kind="family",
            channel="walk_in",
            narrative="x",
            status=Status.IN_HANDLING,
            status_since=today,
            intake_level=ActingLevel.VILLAGE,
            responsible_level=ActingLevel.REGENCY,
            created_by=operator,
        )
        for i, p in enumerate(persons)
    )
    units = [CaseHandlingUnit(case=c, unit=Unit.DISNAKER, area_id="18.11") for c in cases]
    units += [CaseHandlingUnit(case=c, unit=Unit.BP3MI, area_id="18") for c in cases[::2]]
    CaseHandlingUnit.objects.bulk_create(units, batch_size=5000)
    now = timezone.now()
    CaseEmergencyRead.objects.bulk_create(
        CaseEmergencyRead(
            case=c,
            reader=kp2mi,
            reason="bench",
            granted_at=now,
            expires_at=now + timedelta(hours=8),
        )
        for c in cases[::10]
    )
    return {"disnaker": disnaker, "bp3mi": bp3mi, "kp2mi": kp2mi, "cases": cases}


def timed(fn, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return time.perf_counter() - start


def main():
    import django

    django.setup()
    from lindung.accounts.scoping import scope
    from lindung.cases.models import Case
    from lindung.cases.need_to_know import may_read_story, story_readable
    from lindung.cases.selectors import case_get

    world = build()
    bp3mi, kp2mi = world["bp3mi"], world["kp2mi"]
    sample = world["cases"][:: max(1, N // 200)]
    readable = story_readable(Case.objects.all(), bp3mi).count()
    print(f"{N} cases; BP3MI reads the story of {readable}, KP2MI of {N // 10} (emergency)")
    rows = {"list_story_vs_scope": [], "one_case_bp3mi": [], "one_case_kp2mi": []}
    for _ in range(ROUNDS):
        plain = timed(lambda: list(scope(Case.objects.all(), bp3mi).values_list("pk", flat=True)))
        story = timed(
            lambda: list(story_readable(Case.objects.all(), bp3mi).values_list("pk", flat=True))
        )
        rows["list_story_vs_scope"].append(story / plain)
        for name, user in (("one_case_bp3mi", bp3mi), ("one_case_kp2mi", kp2mi)):
            fetch = timed(lambda u=user: [case_get(user=u, pk=c.pk) for c in sample])
            policy = timed(lambda u=user: [may_read_story(u, c) for c in sample])
            rows[name].append(policy / fetch)
    for name, values in rows.items():
        print(
            f"{name}: {statistics.median(values):.2f}× (rounds: "
            + ", ".join(f"{v:.2f}" for v in values)
            + ")"
        )


if __name__ == "__main__":
    main()
