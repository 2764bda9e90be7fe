"""The counters always equal a plain GROUP BY over the records, whatever the services did."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.counters.models import Counter
from lindung.lib.errors import ApplicationError
from lindung.placements import services as placements
from lindung.placements.models import Placement
from lindung.placements.person_services import person_merge
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.registry.services import person_archive, person_update
from lindung.registry.tests.factories import check_all
from lindung.reports.counters import counters_differences, counters_rebuild
from lindung.reports.tests.factories import make_person, make_placement

VILLAGES = ["18.11.01.2001", "18.11.01.2005", "18.11.02.2001"]
COUNTRIES = ["HK", "TW", "MY"]
JOBS = ["domestic_worker", "caregiver", "factory_worker"]
TODAY = date.today()

actions = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, 2), st.sampled_from("FM")),
        st.tuples(st.just("plan"), st.integers(0, 30), st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.just("depart"), st.integers(0, 30), st.booleans(), st.integers(1, 900)),
        st.tuples(st.just("return"), st.integers(0, 30), st.integers(0, 2)),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 2)),
        st.tuples(st.just("archive"), st.integers(0, 30)),
        st.tuples(st.just("merge"), st.integers(0, 30), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=25,
)


def _pick(index):
    persons = list(Person.objects.filter(archived_at__isnull=True).order_by("id"))
    return persons[index % len(persons)] if persons else None


def _open_placement(person):
    return (
        Placement.objects.filter(person=person, status__in=["planned", "abroad"])
        .order_by("-id")
        .first()
    )


def _apply(actor, action):
    kind, *args = action
    if kind == "register":
        make_person(actor, VILLAGES[args[0]], sex=args[1])
        return
    person = _pick(args[0])
    if person is None:
        return
    if kind == "plan":
        make_placement(actor, person, country=COUNTRIES[args[1]], job=JOBS[args[2]])
    elif kind == "depart":
        placement = _open_placement(person)
        if placement is not None:
            on = TODAY - timedelta(days=args[2])
            if args[1]:
                check_all(actor, placement, on=on - timedelta(days=5))
            placements.placement_depart(actor=actor, placement=placement, departed_on=on)
    elif kind == "return":
        placement = _open_placement(person)
        if placement is not None and placement.departed_on:
            on = placement.departed_on + timedelta(days=30 * (args[1] + 1))
            placements.placement_return(
                actor=actor, placement=placement, returned_on=min(on, TODAY), reason="leave"
            )
    elif kind == "move":
        village = Area.objects.get(code=VILLAGES[args[1]])
        person_update(actor=actor, person=person, data={"village": village})
    elif kind == "archive":
        person_archive(actor=actor, person=person, reason="Recorded twice by mistake")
    elif kind == "merge":
        other = _pick(args[1])
        person_merge(actor=actor, keep=person, duplicate=other)


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=actions)
def test_counters_equal_the_group_by_after_any_sequence_of_service_calls(personas, sequence):
    actor = personas["disnaker"]
    for action in sequence:
        try:
            with transaction.atomic():
                _apply(actor, action)
        except ApplicationError:
            pass  # a refused step writes nothing, which the comparison below also proves
    assert counters_differences() == []


def test_counters_are_kept_at_every_level_of_the_area_tree(personas):
    make_person(personas["disnaker"], "18.11.01.2001", sex="M")
    rows = dict(
        Counter.objects.filter(metric="resident", phase="none", sex="M").values_list("village", "n")
    )
    assert rows == {"": 1, "18": 1, "18.11": 1, "18.11.01": 1, "18.11.01.2001": 1}
    assert set(Counter.objects.filter(metric="resident").values_list("village", "level")) == {
        ("", 0),
        ("18", 1),
        ("18.11", 2),
        ("18.11.01", 3),
        ("18.11.01.2001", 4),
    }


def test_rebuild_writes_the_same_counters_as_the_services(personas):
    actor = personas["disnaker"]
    person = make_person(actor, "18.11.02.2001")
    placement = make_placement(actor, person, country="TW", job="caregiver")
    placements.placement_depart(actor=actor, placement=placement, departed_on=TODAY)
    before = set(Counter.objects.exclude(n=0).values_list("village", "metric", "month", "n"))
    counters_rebuild()
    after = set(Counter.objects.values_list("village", "metric", "month", "n"))
    assert before == after
    assert counters_differences() == []


def test_rebuild_counters_command_repairs_a_tampered_counter(personas):
    make_person(personas["disnaker"], "18.11.01.2001")
    Counter.objects.filter(village="18.11").update(n=40)
    out = StringIO()
    call_command("rebuild_counters", stdout=out)
    assert "Counters rebuilt" in out.getvalue()
    assert Counter.objects.get(village="18.11", metric="resident").n == 1


def test_check_counters_passes_when_counters_match(personas):
    make_person(personas["disnaker"], "18.11.01.2001")
    out = StringIO()
    call_command("check_counters", stdout=out)
    assert "match" in out.getvalue()


def test_check_counters_fails_and_says_where_when_a_counter_was_tampered(personas):
    make_person(personas["disnaker"], "18.11.01.2005", sex="F")
    Counter.objects.filter(village="18.11.01.2005").update(n=7)
    err = StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("check_counters", stderr=err)
    assert "village='18.11.01.2005'" in err.getvalue()
    assert "counter 7, records 1" in err.getvalue()


def test_the_migration_sums_the_national_rows_from_the_provinces(personas):
    from importlib import import_module

    migration = import_module("lindung.reports.migrations.0003_national_counters_and_versions")
    actor = personas["disnaker"]
    make_person(actor, "18.11.01.2001")
    placement = make_placement(actor, make_person(actor, "18.11.02.2001"), country="TW")
    placements.placement_depart(actor=actor, placement=placement, departed_on=TODAY)
    Counter.objects.filter(village="").delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.NATIONAL_ROWS)
    assert counters_differences() == []
    assert set(Counter.objects.filter(village="").values_list("level", flat=True)) == {0}


def test_the_returnees_counters_read_the_return_date_on_the_person(personas):
    """The list of returnees without empowerment is ordered and filtered by
    `Person.returned_on`; its counters read the same date, in the rebuild and in the services'
    before-and-after keys, so list and count cannot part."""
    from lindung.counters.keeping import ordinal_day
    from lindung.counters.models import Metric
    from lindung.programs import services as programmes
    from lindung.programs.tests.factories import make_program

    actor = personas["disnaker"]
    person = make_person(actor, "18.11.01.2001")
    placement = make_placement(actor, person, country="TW")
    placements.placement_depart(
        actor=actor, placement=placement, departed_on=TODAY - timedelta(days=400)
    )
    placement.refresh_from_db()
    returned = TODAY - timedelta(days=20)
    placements.placement_return(
        actor=actor, placement=placement, returned_on=returned, reason="contract_ended"
    )
    # The episode's date alone changes: the person's stored date is what both read.
    Placement.objects.filter(pk=placement.pk).update(returned_on=TODAY - timedelta(days=90))
    counters_rebuild()
    unempowered = Counter.objects.filter(village="18.11.01.2001", metric=Metric.UNEMPOWERED)
    assert set(unempowered.values_list("month", flat=True)) == {ordinal_day(returned)}
    # Enrolling them in an empowerment programme takes away the key of the person's date.
    programme = make_program(actor, kind="empowerment_business", target_groups=["returned"])
    programmes.enrollment_create(actor=actor, program=programme, person=person, accept_hints=True)
    assert not unempowered.exclude(n=0).exists()
    assert counters_differences() == []
