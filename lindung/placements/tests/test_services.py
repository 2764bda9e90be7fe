from datetime import timedelta

import pytest

from conftest import TODAY, VILLAGE_A, VILLAGE_B
from lindung.lib.errors import ApplicationError
from lindung.placements import services
from lindung.placements.models import PlacementEvent, ReadinessItem, Status
from lindung.registry.models import Phase
from lindung.registry.tests.factories import check_all, make_person, open_episode
from lindung.reports.counters import counters_differences

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def departed(operator, *, days_ago=0):
    """The episode of a new resident of village A, who left `days_ago` days before TODAY."""
    placement = open_episode(operator, make_person(operator))
    services.placement_depart(
        actor=operator, placement=placement, departed_on=TODAY - timedelta(days=days_ago)
    )
    return placement


def test_opening_an_episode_makes_the_person_a_calon_pmi(personas):
    operator = personas["operator_a"]
    person = make_person(operator)
    placement = open_episode(operator, person)
    person.refresh_from_db()
    assert person.phase == Phase.CANDIDATE
    assert person.current_placement == placement
    assert list(placement.events.values_list("kind", flat=True)) == ["registered"]
    assert counters_differences() == []


def test_departure_with_complete_checklist_is_procedural(personas):
    operator = personas["operator_a"]
    placement = open_episode(operator, make_person(operator))
    check_all(operator, placement)
    services.placement_depart(actor=operator, placement=placement, departed_on=TODAY)
    placement.refresh_from_db()
    assert placement.status == Status.ABROAD
    assert placement.procedural is True
    assert placement.person.phase == Phase.ABROAD


def test_departure_with_incomplete_checklist_is_recorded_as_non_procedural(personas):
    operator = personas["operator_a"]
    placement = open_episode(operator, make_person(operator))
    services.placement_check(
        actor=operator, placement=placement, item=ReadinessItem.PASSPORT, checked_on=TODAY
    )
    event = services.placement_depart(actor=operator, placement=placement, departed_on=TODAY)
    placement.refresh_from_db()
    assert placement.procedural is False
    assert "passport" not in event.data["missing"] and "work_visa" in event.data["missing"]
    assert counters_differences() == []


def test_departure_under_18_is_refused_without_explanation(personas):
    operator = personas["operator_a"]
    minor = make_person(operator, birth=TODAY.replace(year=TODAY.year - 18) + timedelta(days=1))
    placement = open_episode(operator, minor)
    with pytest.raises(ApplicationError) as error:
        services.placement_depart(actor=operator, placement=placement, departed_on=TODAY)
    assert error.value.field == "blocked_reason"
    services.placement_depart(
        actor=operator, placement=placement, departed_on=TODAY, blocked_reason="Left via Batam"
    )
    placement.refresh_from_db()
    assert placement.blocked_flag and placement.procedural is False


def test_return_before_departure_is_refused(personas):
    operator = personas["operator_a"]
    placement = departed(operator)
    with pytest.raises(ApplicationError):
        services.placement_return(
            actor=operator,
            placement=placement,
            returned_on=TODAY - timedelta(days=1),
            reason="contract_ended",
        )


def test_events_in_the_future_are_refused(personas):
    operator = personas["operator_a"]
    placement = open_episode(operator, make_person(operator))
    with pytest.raises(ApplicationError):
        services.placement_depart(
            actor=operator, placement=placement, departed_on=TODAY + timedelta(days=1)
        )
    assert not PlacementEvent.objects.filter(kind="departed").exists()


def test_a_second_open_episode_is_refused(personas):
    operator = personas["operator_a"]
    person = make_person(operator)
    open_episode(operator, person)
    with pytest.raises(ApplicationError):
        open_episode(operator, person)


def test_full_cycle_return_makes_the_person_purna(personas):
    operator = personas["operator_a"]
    placement = departed(operator, days_ago=400)
    person = placement.person
    services.placement_check_in(
        actor=operator, placement=placement, occurred_on=TODAY - timedelta(days=100), result="fine"
    )
    services.placement_return(
        actor=operator, placement=placement, returned_on=TODAY, reason="contract_ended"
    )
    person.refresh_from_db()
    placement.refresh_from_db()
    assert person.phase == Phase.RETURNED
    assert placement.return_reason == "contract_ended"
    assert placement.last_check_in_on == TODAY - timedelta(days=100)
    with pytest.raises(ApplicationError):
        services.placement_check_in(
            actor=operator, placement=placement, occurred_on=TODAY, result="fine"
        )
    assert counters_differences() == []


def test_operator_of_another_village_cannot_record_events(personas):
    placement = open_episode(personas["operator_a"], make_person(personas["operator_a"]))
    with pytest.raises(ApplicationError):
        services.placement_depart(
            actor=personas["operator_b"], placement=placement, departed_on=TODAY
        )


def test_changing_country_after_departure_keeps_counters_exact(personas):
    operator = personas["operator_a"]
    placement = departed(operator)
    services.placement_update(
        actor=operator, placement=placement, data={"destination_country": "TW"}
    )
    placement.refresh_from_db()
    assert placement.destination_country == "TW"
    assert counters_differences() == []


def test_cancelled_episode_leaves_person_without_phase(personas):
    operator = personas["operator_a"]
    person = make_person(operator, village=VILLAGE_A)
    placement = open_episode(operator, person)
    services.placement_cancel(actor=operator, placement=placement, occurred_on=TODAY)
    person.refresh_from_db()
    assert person.phase == Phase.NONE
    assert counters_differences() == []


def test_village_b_person_counts_under_village_b(personas):
    person = make_person(personas["operator_b"], village=VILLAGE_B)
    open_episode(personas["operator_b"], person)
    from lindung.counters.models import Counter

    assert Counter.objects.get(village=VILLAGE_B, metric="resident", phase="candidate").n == 1


def test_a_calon_pmi_who_dies_before_departing_is_not_a_returnee(personas):
    operator = personas["operator_a"]
    person = make_person(operator)
    placement = open_episode(operator, person)
    services.placement_die(actor=operator, placement=placement, occurred_on=TODAY)
    person.refresh_from_db()
    assert person.phase == Phase.NONE
    from lindung.counters.models import Counter

    assert not Counter.objects.filter(metric="resident", phase=Phase.RETURNED).exists()
    assert counters_differences() == []


def test_a_worker_who_dies_abroad_comes_home_as_a_returnee(personas):
    operator = personas["operator_a"]
    placement = departed(operator, days_ago=200)
    person = placement.person
    services.placement_die(actor=operator, placement=placement, occurred_on=TODAY)
    person.refresh_from_db()
    assert person.phase == Phase.RETURNED
    assert counters_differences() == []
