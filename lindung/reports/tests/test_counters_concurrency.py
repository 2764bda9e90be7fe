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
from lindung.counters.models import VillageTrend
from lindung.counters.trends import trends_differences, trends_roll
from lindung.lib.errors import ApplicationError
from lindung.placements import services as placements
from lindung.placements.models import Placement, PlacementEvent
from lindung.placements.person_services import person_merge
from lindung.programs import services as programs
from lindung.programs.models import Enrollment, EnrollmentStatus, Program
from lindung.programs.tests.factories import make_program
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.registry.services import person_archive, person_update
from lindung.registry.tests.factories import check_all, make_person, open_episode
from lindung.reports.counters import counters_differences
from lindung.reports.tests.factories import make_abroad

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


@pytest.mark.django_db
def test_an_event_through_a_copy_loaded_before_a_merge_lands_on_the_person_kept(personas):
    disnaker = personas["disnaker"]
    keep = make_person(disnaker, name="Siti Aminah")
    duplicate = make_person(disnaker, name="Siti Aminah (ganda)")
    placement = open_episode(disnaker, duplicate)
    check_all(disnaker, placement)
    loaded_earlier = Placement.objects.select_related("person").get(pk=placement.pk)
    person_merge(actor=disnaker, keep=keep, duplicate=duplicate)

    placements.placement_depart(
        actor=disnaker, placement=loaded_earlier, departed_on=timezone.localdate()
    )

    assert Placement.objects.get(pk=placement.pk).person_id == keep.pk
    keep.refresh_from_db()
    assert (keep.phase, keep.current_placement_id) == ("abroad", placement.pk)
    assert counters_differences() == []


@pytest.fixture
def written(monkeypatch):
    """The counter rows a service writes, in the order it writes them."""
    from lindung.counters import keeping

    rows = []
    write = keeping._add_one

    def recorded(key, delta):
        rows.append(key)
        write(key, delta)

    monkeypatch.setattr(keeping, "_add_one", recorded)
    return rows


@pytest.mark.django_db
def test_a_change_writes_its_counter_rows_in_one_order_and_skips_what_cancels(personas, written):
    """Rows are written in the order of their full keys, whatever villages the keys name, so
    two transactions never wait for each other's rows crosswise; a move between two villages
    of one district writes the two villages only."""
    disnaker = personas["disnaker"]
    person = make_person(disnaker, village=VILLAGE_A)
    placement = open_episode(disnaker, person)
    check_all(disnaker, placement)
    written.clear()
    placements.placement_depart(
        actor=disnaker, placement=placement, departed_on=timezone.localdate()
    )
    assert len(written) > 5 and written == sorted(written)

    written.clear()
    person_update(
        actor=disnaker,
        person=Person.objects.get(pk=person.pk),
        data={"village": Area.objects.get(code=VILLAGE_B)},
    )
    assert {key[0] for key in written} == {VILLAGE_A, VILLAGE_B}  # same district: 18.11.01
    assert written == sorted(written)
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


def _at_once(first_work, second_work) -> float:
    """Run `first_work` in a transaction that stays open until `second_work`, started in
    another request meanwhile, has had half a second to reach what it waits for; returns how
    long after the first committed the second finished (negative: it did not wait)."""
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    second_done_at: list[float] = []
    errors: list[Exception] = []

    def first():
        with transaction.atomic():
            first_work()
            first_wrote.set()
            first_may_commit.wait(timeout=30)

    def second():
        second_work()
        second_done_at.append(time.monotonic())

    one = _in_thread(first, errors)
    assert first_wrote.wait(timeout=30)
    two = _in_thread(second, errors)
    time.sleep(0.5)
    released_at = time.monotonic()
    first_may_commit.set()
    one.join(timeout=30)
    two.join(timeout=30)
    assert errors == []
    return second_done_at[0] - released_at


# SQLite lets one writing transaction at a time (IMMEDIATE): there is nothing to race.
ONLY_POSTGRESQL = pytest.mark.postgres


@ONLY_POSTGRESQL
def test_a_second_request_waits_for_the_first_and_counts_from_its_commit(
    areas_again, transactional_db, personas
):
    """Two requests at once on PostgreSQL: the first moves the person to another village and
    has not committed yet when the second changes their sex through the same person."""
    disnaker = personas["disnaker"]
    person = make_person(disnaker, village=VILLAGE_A, sex="F", birth=date(1990, 1, 1))

    waited = _at_once(
        lambda: person_update(
            actor=disnaker,
            person=Person.objects.get(pk=person.pk),
            data={"village": Area.objects.get(code=VILLAGE_B)},
        ),
        lambda: person_update(
            actor=disnaker, person=Person.objects.get(pk=person.pk), data=SEX_CORRECTED
        ),
    )

    assert waited >= 0  # the second waited for the first to commit
    stored = Person.objects.get(pk=person.pk)
    assert (stored.village_id, stored.sex) == (VILLAGE_B, "M")
    assert counters_differences() == []


@ONLY_POSTGRESQL
def test_an_enrolment_waits_while_its_programme_changes_kind(
    areas_again, transactional_db, personas
):
    """A returnee is enrolled in an empowerment programme while its kind changes to another:
    the enrolment waits, then reads the new kind, and the returnee's warning stays counted."""
    disnaker = personas["disnaker"]
    _, placement = make_abroad(
        disnaker, VILLAGE_A, departed_on=timezone.localdate() - timedelta(days=400)
    )
    placements.placement_return(
        actor=disnaker, placement=placement, returned_on=timezone.localdate(), reason="leave"
    )
    programme = make_program(disnaker, kind="empowerment_business", target_groups=["returned"])

    waited = _at_once(
        lambda: programs.program_update(
            actor=disnaker, program=Program.objects.get(pk=programme.pk), data={"kind": "other"}
        ),
        lambda: programs.enrollment_create(
            actor=disnaker,
            program=Program.objects.get(pk=programme.pk),
            person=Person.objects.get(pk=placement.person_id),
            accept_hints=True,
        ),
    )

    assert waited >= 0
    assert Enrollment.objects.filter(program=programme).count() == 1
    assert counters_differences() == []


@ONLY_POSTGRESQL
def test_a_departure_and_an_archive_in_one_village_at_once_both_count_in_its_trend(
    areas_again, transactional_db, personas
):
    """A returnee who left non-procedurally to Malaysia is archived while a neighbour departs
    non-procedurally to Taiwan. The two share no counter row; the second waits for the first
    (at the regency's counters-version row, and at the village's trend row, which
    `trends_refresh` locks before summing) and sums what the first committed."""
    operator = personas["operator_a"]
    today = timezone.localdate()
    returnee, episode = make_abroad(
        operator, VILLAGE_A, departed_on=today - timedelta(days=10), procedural=False, country="MY"
    )
    placements.placement_return(
        actor=operator, placement=episode, returned_on=today, reason="leave"
    )
    neighbour = open_episode(operator, make_person(operator), destination_country="TW")
    trends_roll(today)

    waited = _at_once(
        lambda: person_archive(
            actor=operator, person=Person.objects.get(pk=returnee.pk), reason="duplicate"
        ),
        lambda: placements.placement_depart(
            actor=operator, placement=Placement.objects.get(pk=neighbour.pk), departed_on=today
        ),
    )

    assert waited >= 0
    trend = VillageTrend.objects.get(village_id=VILLAGE_A)
    assert (trend.recent, trend.before) == (1, 0)
    assert trends_differences() == []
