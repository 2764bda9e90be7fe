"""Two requests that change the same person: the counters still equal the records.

A request loads its records, checks them and then writes. When another request changed the
same person in between, the writer must count from what was committed, not from what it
loaded (counters.keeping.counted_lock): otherwise both subtract the same old keys and the
dashboards drift from the rows until the next rebuild.
"""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B
from lindung.lib.errors import ApplicationError
from lindung.placements import services as placements
from lindung.placements.models import Placement, PlacementEvent
from lindung.programs import services as programs
from lindung.programs.models import Enrollment, EnrollmentStatus
from lindung.programs.tests.factories import make_program
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.registry.services import person_update
from lindung.registry.tests.factories import check_all, make_person, open_episode
from lindung.reports.counters import counters_differences

# A change of sex against the NIK is recorded with the explanation the NIK check asks for.
SEX_CORRECTED = {"sex": "M", "nik_exception": "Salah ketik jenis kelamin di KTP"}


@pytest.mark.django_db
def test_a_change_through_a_copy_loaded_before_another_counts_from_what_was_committed(
    personas,
):
    disnaker = personas["disnaker"]
    person = make_person(disnaker, village=VILLAGE_A, sex="F")
    loaded_earlier = Person.objects.get(pk=person.pk)
    person_update(actor=disnaker, person=person, data={"village": Area.objects.get(code=VILLAGE_B)})

    person_update(actor=disnaker, person=loaded_earlier, data=SEX_CORRECTED)

    stored = Person.objects.get(pk=person.pk)
    assert (stored.village_id, stored.sex) == (VILLAGE_B, "M")  # the move is not undone
    assert counters_differences() == []


@pytest.mark.django_db
def test_a_departure_recorded_again_through_an_earlier_copy_is_refused(personas):
    operator = personas["operator_a"]
    placement = open_episode(operator, make_person(operator))
    check_all(operator, placement)
    loaded_earlier = Placement.objects.get(pk=placement.pk)
    departed_on = timezone.localdate() - timedelta(days=1)
    placements.placement_depart(actor=operator, placement=placement, departed_on=departed_on)

    with pytest.raises(ApplicationError):
        placements.placement_depart(
            actor=operator, placement=loaded_earlier, departed_on=departed_on
        )

    assert PlacementEvent.objects.filter(placement=placement, kind="departed").count() == 1
    assert counters_differences() == []


@pytest.mark.django_db
def test_a_participant_who_completed_cannot_be_dropped_through_an_earlier_copy(personas):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    program = make_program(disnaker)
    enrollment = programs.enrollment_create(
        actor=disnaker, program=program, person=person, accept_hints=True
    )
    loaded_earlier = Enrollment.objects.get(pk=enrollment.pk)
    programs.enrollment_complete(
        actor=disnaker,
        enrollment=enrollment,
        completed_on=timezone.localdate(),
        certificate_number="LSP-001",
        certificate_date=timezone.localdate(),
    )

    with pytest.raises(ApplicationError):
        programs.enrollment_drop(actor=disnaker, enrollment=loaded_earlier)

    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED
    assert counters_differences() == []


@pytest.fixture
def areas_again(django_db_blocker):
    """Load the areas again once a committing test's flush has emptied every table: the
    following tests expect them, as the session's setup loaded them."""
    yield
    from lindung.regions.services import regions_load

    with django_db_blocker.unblock():
        regions_load()


def _in_thread(work, errors: list):
    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 (reported to the test below)
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writing transaction at a time (IMMEDIATE): there is nothing to race",
)
def test_a_second_request_waits_for_the_first_and_counts_from_its_commit(
    areas_again, transactional_db, personas
):
    """Two requests at once on PostgreSQL: the first moves the person to another village and
    has not committed yet when the second changes their sex through the same person."""
    disnaker = personas["disnaker"]
    person = make_person(disnaker, village=VILLAGE_A, sex="F", birth=date(1990, 1, 1))
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    second_done_at: list[float] = []
    errors: list[Exception] = []

    def first():
        with transaction.atomic():
            person_update(
                actor=disnaker,
                person=Person.objects.get(pk=person.pk),
                data={"village": Area.objects.get(code=VILLAGE_B)},
            )
            first_wrote.set()
            first_may_commit.wait(timeout=30)

    def second():
        person_update(actor=disnaker, person=Person.objects.get(pk=person.pk), data=SEX_CORRECTED)
        second_done_at.append(time.monotonic())

    one = _in_thread(first, errors)
    assert first_wrote.wait(timeout=30)
    two = _in_thread(second, errors)
    time.sleep(0.5)  # the second reaches the person's lock and waits there
    released_at = time.monotonic()
    first_may_commit.set()
    one.join(timeout=30)
    two.join(timeout=30)

    assert errors == []
    assert second_done_at and second_done_at[0] >= released_at  # it waited for the commit
    stored = Person.objects.get(pk=person.pk)
    assert (stored.village_id, stored.sex) == (VILLAGE_B, "M")
    assert counters_differences() == []
