"""The phase rule: a person's phase from their current episode (UU 18/2017 Pasal 1 and 27)."""

from datetime import date

import pytest

from lindung.placements.models import Status
from lindung.placements.phase import phase_of_episode
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
