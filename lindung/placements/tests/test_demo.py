"""The demo shows every state of the registry, through the services, and only once."""

import pytest

from lindung.accounts.tests.demo_runs import run_demo
from lindung.placements import demo as placements_demo
from lindung.placements.models import Placement, PlacementEvent, Status
from lindung.placements.services import placement_readiness
from lindung.registry import demo as registry_demo
from lindung.registry.models import Letter, Person
from lindung.registry.rules import nik_review
from lindung.registry.selectors import person_duplicates
from lindung.reports.counters import counters_differences

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_a_second_run_creates_nothing():
    context = run_demo(registry_demo, placements_demo)
    persons = context["persons"]
    assert len(persons) >= 35
    assert {p.village_id for p in persons} == {"18.11.01.2001", "18.11.01.2005", "18.11.02.2001"}
    placements = Placement.objects.select_related("person")
    planned = [p for p in placements if p.status == Status.PLANNED]
    verdicts = {placement_readiness(p).status for p in planned}
    assert verdicts == {"ready", "incomplete", "blocked"}
    abroad = placements.filter(status=Status.ABROAD)
    assert abroad.filter(procedural=True).exists() and abroad.filter(procedural=False).exists()
    assert {"HK", "TW", "MY", "SA", "KR", "JP"} <= set(
        placements.values_list("destination_country", flat=True)
    )
    results = set(PlacementEvent.objects.values_list("check_in_result", flat=True))
    assert {"fine", "problem", "no_contact"} <= results
    reasons = set(placements.filter(status=Status.RETURNED).values_list("return_reason", flat=True))
    assert len(reasons) >= 5
    assert placements.filter(status=Status.CANCELLED).exists()
    assert placements.filter(status=Status.DIED).exists()
    assert Person.objects.filter(verified_at__isnull=True).exists()
    assert Person.objects.filter(verified_at__isnull=False).exists()
    mismatch = Person.objects.exclude(nik_exception="").get()
    assert nik_review(mismatch.nik, birth_date=mismatch.birth_date, sex=mismatch.sex).mismatches
    rizki = Person.objects.get(full_name="Muhammad Rizki")
    kades = context["users"]["kades.sidomulyo"]
    assert person_duplicates(
        user=kades, full_name="Moh. Rizki", birth_date=rizki.birth_date, exclude_pk=None
    )
    assert any(m.is_minor for p in persons for m in p.family.all())
    assert Letter.objects.exists()
    assert counters_differences() == []

    before = (Person.objects.count(), PlacementEvent.objects.count(), Letter.objects.count())
    run_demo(registry_demo, placements_demo)
    after = (Person.objects.count(), PlacementEvent.objects.count(), Letter.objects.count())
    assert before == after
