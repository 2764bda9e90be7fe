"""The phase rule: a person's phase from their current episode (UU 18/2017 Pasal 1 and 27)."""

from datetime import date

import pytest

from lindung.placements.models import EventKind, Status
from lindung.placements.phase import phase_of_episode, return_date_of_person
from lindung.registry.models import Phase

DEPARTED = date(2024, 5, 2)


@pytest.mark.parametrize(
    ("status", "departed_on", "phase"),
    [
        (None, None, Phase.NONE),
        (Status.PLANNED, None, Phase.CANDIDATE),
        (Status.ABROAD, DEPARTED, Phase.ABROAD),
        (Status.RETURNED, DEPARTED, Phase.RETURNED),
        (Status.DIED, DEPARTED, Phase.RETURNED),
        (Status.DIED, None, Phase.NONE),
        (Status.CANCELLED, None, Phase.NONE),
    ],
)
def test_phase_of_each_episode_state(status, departed_on, phase):
    assert phase_of_episode(status, departed_on) == phase


def test_every_status_has_a_phase():
    for status in Status.values:
        for departed_on in (None, DEPARTED):
            assert phase_of_episode(status, departed_on) in Phase.values


@pytest.mark.django_db
def test_the_migration_corrects_persons_recorded_as_returned_after_dying_before_departure(
    personas,
):
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from lindung.placements.services import placement_die
    from lindung.registry.models import Person
    from lindung.registry.tests.factories import make_person, open_episode
    from lindung.reports.counters import counters_differences

    operator = personas["operator_a"]
    person = make_person(operator)
    placement = open_episode(operator, person)
    placement_die(actor=operator, placement=placement, occurred_on=date.today())
    # As the old rule left it: a purna PMI, with counters to match.
    Person.objects.filter(pk=person.pk).update(phase=Phase.RETURNED)
    from lindung.reports.counters import counters_rebuild

    counters_rebuild()
    migration = importlib.import_module(
        "lindung.placements.migrations.0004_died_before_departure_is_not_a_return"
    )
    # The models as they stood at that point of the history, as `migrate` hands them over.
    name = ("placements", "0004_died_before_departure_is_not_a_return")
    historical = MigrationExecutor(connection).loader.project_state(name, at_end=True).apps
    migration.forwards(historical, None)
    person.refresh_from_db()
    assert person.phase == Phase.NONE
    assert counters_differences() == []


@pytest.mark.parametrize(
    ("phase", "returned_on", "kept"),
    [
        (Phase.RETURNED, DEPARTED, DEPARTED),
        (Phase.RETURNED, None, None),  # died abroad: a purna PMI with no return date
        (Phase.ABROAD, DEPARTED, None),
        (Phase.CANDIDATE, DEPARTED, None),
        (Phase.NONE, DEPARTED, None),
    ],
)
def test_a_person_carries_the_return_date_only_as_a_purna_pmi(phase, returned_on, kept):
    assert return_date_of_person(phase, returned_on) == kept


RETURNED = date(2025, 3, 4)


def _back_home(actor, person):
    """An episode of `person` that departed on DEPARTED and returned on RETURNED."""
    from lindung.placements import services
    from lindung.registry.tests.factories import open_episode

    placement = open_episode(actor, person)
    services.placement_depart(actor=actor, placement=placement, departed_on=DEPARTED)
    placement.refresh_from_db()
    services.placement_return(
        actor=actor, placement=placement, returned_on=RETURNED, reason="contract_ended"
    )
    return placement


@pytest.mark.django_db
def test_the_services_keep_the_return_date_with_the_phase(personas):
    from lindung.placements import services
    from lindung.registry.tests.factories import make_person, open_episode

    operator = personas["operator_a"]
    person = make_person(operator)
    _back_home(operator, person)
    returned = RETURNED
    person.refresh_from_db()
    assert (person.phase, person.returned_on) == (Phase.RETURNED, returned)
    # A new episode makes them a calon PMI again: the earlier return is no longer theirs.
    second = open_episode(operator, person)
    person.refresh_from_db()
    assert (person.phase, person.returned_on) == (Phase.CANDIDATE, None)
    # Cancelling it makes the returned episode current again, with its date.
    services.placement_event_record(
        actor=operator, placement=second, kind=EventKind.CANCELLED, occurred_on=date.today()
    )
    person.refresh_from_db()
    assert (person.phase, person.returned_on) == (Phase.RETURNED, returned)


@pytest.mark.django_db
def test_the_migration_gives_each_purna_pmi_the_return_date_of_the_current_episode(personas):
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from lindung.placements import services
    from lindung.registry.models import Person
    from lindung.registry.tests.factories import make_person, open_episode

    operator = personas["operator_a"]
    people = [make_person(operator, name=name) for name in ("Siti Aminah", "Dewi Lestari")]
    returned = date(2025, 3, 4)
    for person in people:
        placement = open_episode(operator, person)
        services.placement_depart(actor=operator, placement=placement, departed_on=DEPARTED)
        person.refresh_from_db()
    placement = people[0].current_placement
    services.placement_return(
        actor=operator, placement=placement, returned_on=returned, reason="other"
    )
    # As the records stood before the return date was kept on the person.
    Person.objects.update(returned_on=None)
    migration = importlib.import_module(
        "lindung.registry.migrations.0009_returnees_in_return_date_order"
    )
    name = ("registry", "0009_returnees_in_return_date_order")
    historical = MigrationExecutor(connection).loader.project_state(name, at_end=True).apps
    migration.return_dates(historical, None)
    ids = [p.pk for p in people]
    kept = dict(Person.objects.filter(pk__in=ids).values_list("pk", "returned_on"))
    assert kept == {people[0].pk: returned, people[1].pk: None}


@pytest.mark.django_db
def test_a_merge_moves_the_return_date_with_the_episode(personas):
    from lindung.placements.person_services import person_merge
    from lindung.registry.tests.factories import make_person
    from lindung.reports.counters import counters_differences

    operator = personas["operator_a"]
    keep = make_person(operator, name="Siti Aminah")
    duplicate = make_person(operator, name="Siti Aminah")
    _back_home(operator, duplicate)
    returned = RETURNED
    person_merge(actor=personas["disnaker"], keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert (keep.phase, keep.returned_on) == (Phase.RETURNED, returned)
    assert (duplicate.current_placement, duplicate.phase, duplicate.returned_on) == (
        None,
        Phase.NONE,
        None,
    )
    assert counters_differences() == []
