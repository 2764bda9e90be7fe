"""The early warnings' counts come from the counters, and equal the lists they count.

Each warning's items are kept in the counters by the day that decides whether they warn
(counters.keeping); a count is a sum over the days of its window. These tests put items on both
sides of every window's edge and check, for every user and area, that the count equals the
list's own count, whatever the services did to the items since.
"""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection

from conftest import PERSONAS, VILLAGE_A, VILLAGE_B, VILLAGE_C
from lindung.counters.keeping import ordinal_day
from lindung.counters.models import Counter
from lindung.placements import services as placements
from lindung.placements.models import Placement, Status, documents_due
from lindung.privacy import services as privacy
from lindung.privacy.models import RequestKind
from lindung.programs import services as programs
from lindung.programs.tests.factories import make_program
from lindung.registry.models import Person
from lindung.reports import selectors
from lindung.reports.counters import counters_differences, counters_rebuild
from lindung.reports.tests.factories import make_abroad, make_person, make_placement

pytestmark = pytest.mark.django_db

TODAY = date.today()
COUNTED = sorted(selectors.COUNTED_WARNINGS)
AREAS = (None, "18", "18.11", "18.11.01", VILLAGE_A, VILLAGE_B, "18.11.02", VILLAGE_C, "33")


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def listed(user, area_code, today=TODAY) -> dict[str, int]:
    """What each list holds: the count the pages showed before the counters."""
    return {
        warning_id: selectors.warning_items(
            user=user, warning_id=warning_id, area_code=area_code, today=today
        ).count()
        for warning_id in COUNTED
    }


def counted(user, area_code, today=TODAY) -> dict[str, int]:
    counts = selectors.warning_counts(user=user, area_code=area_code, today=today)
    return {warning_id: counts[warning_id] for warning_id in COUNTED}


def assert_counts_equal_the_lists(personas, today=TODAY):
    assert counters_differences() == []
    for name in PERSONAS:
        if name == "admin":
            continue
        for area_code in AREAS:
            assert counted(personas[name], area_code, today) == listed(
                personas[name], area_code, today
            ), (name, area_code, today)


def abroad(actor, village, *, departed, procedural=True, **details):
    return make_abroad(actor, village, departed_on=departed, procedural=procedural, **details)


def returned(actor, village, *, on):
    person, placement = abroad(actor, village, departed=on - timedelta(days=400))
    placements.placement_return(actor=actor, placement=placement, returned_on=on, reason="leave")
    person.refresh_from_db()
    return person


@pytest.fixture
def edges(personas):
    """Items on both sides of each window's edge, in three villages of two districts."""
    actor = personas["disnaker"]
    for village, contract_days in ((VILLAGE_A, 0), (VILLAGE_B, 60), (VILLAGE_C, 61)):
        abroad(actor, village, departed=days(-30), contract_end=days(contract_days))
    abroad(actor, VILLAGE_A, departed=days(-30), contract_end=days(-1))  # ended yesterday
    for village, due in ((VILLAGE_A, 183), (VILLAGE_B, 184), (VILLAGE_C, -10)):
        abroad(actor, village, departed=days(-30), passport_expiry=days(due))
    make_placement(
        actor, make_person(actor, VILLAGE_B), passport_expiry=days(20), visa_expiry=days(400)
    )
    for village, departed in ((VILLAGE_A, -184), (VILLAGE_B, -183), (VILLAGE_C, -500)):
        abroad(actor, village, departed=days(departed), procedural=village != VILLAGE_A)
    _, checked = abroad(actor, VILLAGE_C, departed=days(-400))
    placements.placement_check_in(
        actor=actor, placement=checked, occurred_on=days(-200), result="fine"
    )
    for village, on in ((VILLAGE_A, -365), (VILLAGE_B, -366), (VILLAGE_C, -10)):
        returned(actor, village, on=days(on))
    return personas


def test_every_count_equals_its_list_for_every_user_and_area(edges):
    assert_counts_equal_the_lists(edges)
    national = counted(edges["kp2mi"], None)
    assert national == {
        "contract_ending": 2,  # today and in 60 days; not in 61, not yesterday
        "documents_expiring": 3,  # in 183 days, past, and the visa-less candidate in 20 days
        "no_check_in": 3,  # departed 184 and 500 days ago, checked 200 days ago
        "non_procedural": 1,
        "returned_not_empowered": 2,  # 365 and 10 days ago; not 366
    }


def test_the_counts_move_with_the_day_they_are_read(edges):
    later = TODAY + timedelta(days=2)
    assert_counts_equal_the_lists(edges, today=later)
    assert counted(edges["kp2mi"], None, today=later)["contract_ending"] == 2  # 60 and 61 days


def test_each_change_to_an_item_keeps_the_counts_equal_to_the_lists(edges):
    actor = edges["disnaker"]
    episode = Placement.objects.filter(status=Status.ABROAD, contract_end=days(60)).get()
    placements.placement_extend(
        actor=actor, placement=episode, occurred_on=TODAY, contract_end=days(400)
    )
    silent = Placement.objects.filter(departed_on=days(-184)).get()
    placements.placement_check_in(
        actor=actor, placement=silent, occurred_on=days(-1), result="fine"
    )
    placements.placement_correct_procedural(
        actor=actor, placement=silent, procedural=True, reason="Dokumen lengkap, salah centang."
    )
    expiring = Placement.objects.filter(passport_expiry=days(183)).get()
    placements.placement_update(
        actor=actor, placement=expiring, data={"passport_expiry": days(900)}
    )
    placements.placement_return(
        actor=actor, placement=expiring, returned_on=TODAY, reason="contract_ended"
    )
    assert_counts_equal_the_lists(edges)
    assert counted(edges["kp2mi"], None) == {
        "contract_ending": 1,
        "documents_expiring": 2,
        "no_check_in": 2,
        "non_procedural": 0,
        "returned_not_empowered": 3,
    }


def test_an_empowerment_programme_ends_the_returnees_warning_and_its_kind_decides(edges):
    disnaker = edges["disnaker"]
    person = Person.objects.get(current_placement__returned_on=days(-10))
    programme = make_program(disnaker, kind="empowerment_business", target_groups=["returned"])
    programs.enrollment_create(actor=disnaker, program=programme, person=person, accept_hints=True)
    assert counted(disnaker, None)["returned_not_empowered"] == 1
    assert_counts_equal_the_lists(edges)

    programs.program_update(actor=disnaker, program=programme, data={"kind": "other"})
    assert counted(disnaker, None)["returned_not_empowered"] == 2
    assert_counts_equal_the_lists(edges)


def test_a_restricted_person_leaves_the_counts_and_comes_back_when_lifted(edges):
    disnaker = edges["disnaker"]
    person = Person.objects.get(current_placement__returned_on=days(-10))
    request = privacy.subject_request_create(
        actor=disnaker, person=person, kind=RequestKind.RESTRICT, channel="village"
    )
    privacy.subject_request_complete(actor=disnaker, request=request)
    assert counted(disnaker, None)["returned_not_empowered"] == 1
    assert_counts_equal_the_lists(edges)

    request.refresh_from_db()
    privacy.subject_request_lift_restriction(actor=disnaker, request=request)
    assert counted(disnaker, None)["returned_not_empowered"] == 2
    assert_counts_equal_the_lists(edges)


def test_a_kept_count_is_exact_past_the_cap_and_a_listed_one_stops_there(edges):
    for village, years in ((VILLAGE_A, 17), (VILLAGE_B, 16), (VILLAGE_C, 15)):
        child = make_person(edges["disnaker"], village, birth_date=days(-years * 365))
        make_placement(edges["disnaker"], child)
    counts = selectors.warning_counts(user=edges["kp2mi"], today=TODAY, cap=1)
    assert counts["contract_ending"] == 2 and counts["documents_expiring"] == 3
    assert counts["minor_candidates"] == 2  # cap + 1 of 3: "more than 1"


def test_the_python_twin_of_the_documents_column_computes_what_the_database_does(edges):
    """The import's writer counts a new episode's documents day in Python (documents_due):
    for every status and pair of expiries it equals the column the database computes."""
    episode = Placement.objects.filter(status=Status.ABROAD).first()
    choices = (None, days(5), days(90))
    for status in Status.values:
        for passport in choices:
            for visa in choices:
                Placement.objects.filter(pk=episode.pk).update(
                    status=status, passport_expiry=passport, visa_expiry=visa
                )
                stored = Placement.objects.values_list("documents_due_on", flat=True)
                assert stored.get(pk=episode.pk) == documents_due(status, passport, visa), (
                    status,
                    passport,
                    visa,
                )
    assert documents_due(Status.ABROAD, days(90), None) == days(90)
    assert documents_due(Status.PLANNED, days(90), days(5)) == days(5)
    assert documents_due(Status.RETURNED, days(90), days(5)) is None


def test_the_migration_and_the_rebuild_count_what_the_services_kept(edges):
    metrics = ["contract", "documents", "contact", "nonproc", "unempower"]
    rows = Counter.objects.filter(metric__in=metrics, n__gt=0)
    kept = sorted(rows.values_list("village", "level", "metric", "month", "n"))
    assert ("", 0, "contract", ordinal_day(TODAY), 1) in kept

    migration = importlib.import_module("lindung.reports.migrations.0011_warning_counters")
    migration.forget_warnings(django_apps, connection.schema_editor())
    assert not rows.exists()
    migration.count_warnings(django_apps, connection.schema_editor())
    assert sorted(rows.values_list("village", "level", "metric", "month", "n")) == kept
    counters_rebuild()
    assert sorted(rows.values_list("village", "level", "metric", "month", "n")) == kept
    assert counters_differences() == []
