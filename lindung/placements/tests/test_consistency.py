"""The check that each person's derived state agrees with their episodes."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lindung.placements import services
from lindung.placements.consistency import person_state_differences
from lindung.placements.models import EventKind
from lindung.registry.models import Person, Phase
from lindung.registry.tests.factories import make_person, open_episode

pytestmark = pytest.mark.django_db

DEPARTED = date(2024, 5, 2)
RETURNED = date(2025, 3, 4)


def _every_state(actor) -> dict[str, Person]:
    """A person in each state the rules derive: no episode, a calon PMI, abroad, back home, a
    calon PMI who died before departing, one who died abroad, a cancelled episode."""
    people = {
        name: make_person(actor, name=f"Warga {name}")
        for name in (
            "none",
            "candidate",
            "abroad",
            "returned",
            "died_home",
            "died_abroad",
            "cancelled",
        )
    }
    for name, person in people.items():
        if name == "none":
            continue
        placement = open_episode(actor, person)
        if name in ("abroad", "returned", "died_abroad"):
            services.placement_depart(actor=actor, placement=placement, departed_on=DEPARTED)
            placement.refresh_from_db()
        if name == "returned":
            services.placement_return(
                actor=actor, placement=placement, returned_on=RETURNED, reason="contract_ended"
            )
        if name in ("died_home", "died_abroad"):
            services.placement_die(actor=actor, placement=placement, occurred_on=RETURNED)
        if name == "cancelled":
            services.placement_event_record(
                actor=actor, placement=placement, kind=EventKind.CANCELLED, occurred_on=RETURNED
            )
    for person in people.values():
        person.refresh_from_db()
    return people


def test_persons_kept_by_the_services_agree_with_their_episodes(personas):
    people = _every_state(personas["operator_a"])
    assert people["returned"].returned_on == RETURNED
    assert people["died_home"].phase == Phase.NONE
    assert person_state_differences() == []


@pytest.mark.parametrize(
    ("who", "change", "field"),
    [
        ("returned", {"returned_on": date(2025, 1, 1)}, "returned_on"),
        ("returned", {"returned_on": None}, "returned_on"),
        ("abroad", {"returned_on": RETURNED}, "returned_on"),
        ("none", {"returned_on": RETURNED}, "returned_on"),
        ("died_home", {"phase": Phase.RETURNED}, "phase"),
        ("candidate", {"phase": Phase.ABROAD}, "phase"),
        ("cancelled", {"phase": Phase.CANDIDATE}, "phase"),
        ("abroad", {"current_placement": None}, "current_placement"),
    ],
)
def test_a_person_whose_stored_state_drifted_is_named(personas, who, change, field):
    people = _every_state(personas["operator_a"])
    Person.objects.filter(pk=people[who].pk).update(**change)
    found = {d.field: d for d in person_state_differences()}
    assert field in found
    assert found[field].persons == 1
    assert found[field].sample == (people[who].pk,)


def test_check_counters_names_the_persons_before_comparing_the_counters(personas):
    people = _every_state(personas["operator_a"])
    out = StringIO()
    call_command("check_counters", stdout=out)
    assert "match" in out.getvalue()
    Person.objects.filter(pk=people["returned"].pk).update(returned_on=date(2025, 1, 1))
    err = StringIO()
    with pytest.raises(CommandError, match="derived state"):
        call_command("check_counters", stderr=err)
    assert (
        f"1 persons hold a returned_on their episodes do not give (ids {people['returned'].pk})"
        in (err.getvalue())
    )


def test_rebuild_counters_derives_a_drifted_person_again_and_counts_them_right(personas):
    from lindung.reports.counters import counters_differences

    people = _every_state(personas["operator_a"])
    Person.objects.filter(pk=people["returned"].pk).update(returned_on=None, phase=Phase.ABROAD)
    Person.objects.filter(pk=people["died_home"].pk).update(phase=Phase.RETURNED)
    out = StringIO()
    call_command("rebuild_counters", stdout=out)
    assert "derived again from their episodes: 2" in out.getvalue()
    assert person_state_differences() == []
    assert counters_differences() == []
    returned = Person.objects.get(pk=people["returned"].pk)
    assert (returned.phase, returned.returned_on) == (Phase.RETURNED, RETURNED)
