"""The Quick Win counts persons trained and certified, then placed procedurally in a formal job."""

from datetime import date

import pytest

from conftest import TODAY, VILLAGE_A, VILLAGE_B, VILLAGE_C
from lindung.placements import services as placement_services
from lindung.programs import selectors, services
from lindung.programs.models import NATIONAL_QUICK_WIN_TARGET
from lindung.programs.tests.factories import area, certify, depart, make_program
from lindung.registry.tests.factories import make_person
from lindung.reports.counters import counters_differences

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture(autouse=True)
def counted(frozen):
    yield
    # The counters the Quick Win is read from agree with a recount after every test.
    assert counters_differences() == []


@pytest.fixture
def training(personas):
    return make_program(personas["disnaker"])


def count(code="18.11", year=2026):
    return selectors.quickwin_count(area_code=code, year=year)


def test_trained_but_not_placed_does_not_count_and_is_listed_as_waiting(personas, training):
    disnaker = personas["disnaker"]
    person = make_person(disnaker, name="Ahmad Fauzi", sex="M", birth=date(1998, 5, 1))
    certify(disnaker, training, person, on=date(2026, 3, 1))

    assert count() == 0
    waiting = selectors.trained_not_placed(user=disnaker)
    assert [e.person for e in waiting] == [person]


def test_placed_in_an_informal_job_does_not_count(personas, training):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    certify(disnaker, training, person, on=date(2026, 3, 1))
    depart(disnaker, person, on=date(2026, 5, 1), sector="informal", job="domestic_worker")

    assert count() == 0
    assert list(selectors.trained_not_placed(user=disnaker))


def test_placed_formal_but_non_procedurally_does_not_count(personas, training):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    certify(disnaker, training, person, on=date(2026, 3, 1))
    placement = depart(disnaker, person, on=date(2026, 5, 1), procedural=False)

    assert placement.procedural is False
    assert count() == 0


def test_placed_formal_procedurally_after_the_certificate_counts_everywhere_above(
    personas, training
):
    disnaker = personas["disnaker"]
    person = make_person(disnaker, village=VILLAGE_B)
    certify(disnaker, training, person, on=date(2026, 3, 1))
    placement = depart(disnaker, person, on=date(2026, 5, 1))

    assert placement.procedural is True
    assert count(VILLAGE_B) == count("18.11.01") == count("18.11") == count("18") == 1
    assert count(None) == 1
    assert count(VILLAGE_A) == 0
    assert count(year=2025) == 0
    assert list(selectors.trained_not_placed(user=disnaker)) == []


def test_a_departure_before_the_certificate_does_not_count(personas, training):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    placement = depart(disnaker, person, on=date(2026, 2, 1))
    certify(disnaker, training, person, on=date(2026, 3, 1))

    assert placement.procedural is True
    assert count() == 0


def test_completion_without_a_certificate_does_not_count(personas, training):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    enrollment = services.enrollment_create(
        actor=disnaker, program=training, person=person, accept_hints=True
    )
    services.enrollment_complete(actor=disnaker, enrollment=enrollment, completed_on=TODAY)
    depart(disnaker, person, on=TODAY)

    assert count() == 0


def test_an_empowerment_programme_is_not_vocational_training(personas):
    disnaker = personas["disnaker"]
    program = make_program(disnaker, kind="empowerment_business", target_groups=["returned"])
    person = make_person(disnaker)
    certify(disnaker, program, person, on=date(2026, 3, 1))
    depart(disnaker, person, on=date(2026, 5, 1))

    assert count() == 0


def test_two_trainings_count_the_person_once(personas, training):
    disnaker = personas["disnaker"]
    second = make_program(disnaker, title="Pelatihan Bahasa Jepang")
    person = make_person(disnaker)
    certify(disnaker, training, person, on=date(2026, 2, 1))
    certify(disnaker, second, person, on=date(2026, 3, 1))
    depart(disnaker, person, on=date(2026, 5, 1))

    assert count() == 1


def test_progress_by_child_area_sums_to_the_parent(personas, training):
    disnaker = personas["disnaker"]
    for village in (VILLAGE_A, VILLAGE_B, VILLAGE_C):
        person = make_person(disnaker, village=village)
        certify(disnaker, training, person, on=date(2026, 3, 1))
        depart(disnaker, person, on=date(2026, 5, 1))

    districts = {p.code: p.count for p in selectors.quickwin_children(area_code="18.11", year=2026)}
    assert districts["18.11.01"] == 2
    assert districts["18.11.02"] == 1
    assert sum(districts.values()) == count("18.11") == 3
    villages = {
        p.code: p.count for p in selectors.quickwin_children(area_code="18.11.01", year=2026)
    }
    assert villages[VILLAGE_A] == villages[VILLAGE_B] == 1


def test_the_national_target_defaults_to_500000_and_an_admin_sets_shares(personas):
    admin = personas["admin"]
    assert selectors.quickwin_target(area_code=None, year=2026) == NATIONAL_QUICK_WIN_TARGET
    assert selectors.quickwin_target(area_code="18.11", year=2026) is None

    services.quickwin_target_set(actor=admin, year=2026, area=area("18"), target=20_000)
    services.quickwin_target_set(actor=admin, year=2026, area=area("18.11"), target=1_200)
    services.quickwin_target_set(actor=admin, year=2026, area=area("18.11"), target=1_500)

    assert selectors.quickwin_target(area_code="18", year=2026) == 20_000
    assert selectors.quickwin_target(area_code="18.11", year=2026) == 1_500
    levels = selectors.quickwin_levels(user=personas["disnaker"], year=2026)
    assert [(lv.code, lv.target) for lv in levels] == [
        (None, 500_000),
        ("18", 20_000),
        ("18.11", 1_500),
    ]


@pytest.mark.parametrize("who", ["disnaker", "kp2mi", "bp3mi"])
def test_only_an_administrator_sets_targets(personas, who):
    from lindung.lib.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.quickwin_target_set(actor=personas[who], year=2026, area=area("18.11"), target=10)


def test_targets_are_not_set_for_a_district_or_village(personas):
    from lindung.lib.errors import ApplicationError

    with pytest.raises(ApplicationError) as error:
        services.quickwin_target_set(
            actor=personas["admin"], year=2026, area=area("18.11.01"), target=10
        )
    assert error.value.field == "area"


def person_services_update(actor, person, village):
    from lindung.registry.services import person_update

    person_update(actor=actor, person=person, data={"village": area(village)})


def live(code="18.11", year=2026):
    """The Quick Win as a count of its episodes: persons with a qualifying departure."""
    placements = selectors.quickwin_placements(area_code=code, year=year)
    return placements.values("person").distinct().count()


def test_two_departures_in_a_year_count_once_at_the_first(personas, training):
    disnaker = personas["disnaker"]
    person = make_person(disnaker, village=VILLAGE_A)
    certify(disnaker, training, person, on=date(2026, 1, 10))
    first = depart(disnaker, person, on=date(2026, 2, 1))
    placement_services.placement_return(
        actor=disnaker, placement=first, returned_on=date(2026, 3, 1), reason="leave"
    )
    person.refresh_from_db()
    person_services_update(disnaker, person, VILLAGE_C)
    depart(disnaker, person, on=date(2026, 4, 1))

    assert count(None) == live(None) == 1
    assert count(VILLAGE_A) == 1 and count(VILLAGE_C) == 0  # the first departure's village
    assert live(VILLAGE_C) == 1  # the second departure qualifies too, but is not counted again


def test_a_certificate_dated_before_a_departure_counts_when_recorded_later(personas, training):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    depart(disnaker, person, on=date(2026, 5, 1))
    assert count() == 0
    certify(disnaker, training, person, on=date(2026, 4, 1))
    assert count() == live() == 1


@pytest.mark.parametrize("change", ["archive", "kind"])
def test_archiving_the_training_or_changing_its_kind_takes_the_count_back(
    personas, training, change
):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    certify(disnaker, training, person, on=date(2026, 3, 1))
    depart(disnaker, person, on=date(2026, 5, 1))
    assert count() == 1
    if change == "archive":
        services.program_archive(actor=disnaker, program=training, reason="keliru")
    else:
        services.program_update(actor=disnaker, program=training, data={"kind": "orientation"})
    assert count() == live() == 0
    assert count(None) == 0


def test_archiving_the_person_takes_the_count_back(personas, training):
    from lindung.registry.services import person_archive

    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    certify(disnaker, training, person, on=date(2026, 3, 1))
    depart(disnaker, person, on=date(2026, 5, 1))
    person.refresh_from_db()
    person_archive(actor=disnaker, person=person, reason="duplicate")
    assert count() == live() == 0
