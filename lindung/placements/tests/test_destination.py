"""A calon PMI whose destination country is not yet known: counted as one, and no departure
without a country (placements/destination.py), through the services and the web form."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from conftest import TODAY, VILLAGE_A
from lindung.counters.models import Counter, Metric
from lindung.lib.errors import ApplicationError
from lindung.placements import services
from lindung.placements.destination import UNKNOWN, destination_name, destination_problem
from lindung.placements.forms import PlacementForm
from lindung.registry.models import Phase
from lindung.registry.tests.factories import make_person, open_episode
from lindung.reports.counters import counters_differences

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.mark.parametrize(
    ("country", "departing", "problem"),
    [
        (UNKNOWN, False, None),
        (UNKNOWN, True, "country_needed"),
        ("TW", False, None),
        ("TW", True, None),
        ("XX", False, "country_unknown"),
        ("XX", True, "country_unknown"),
    ],
)
def test_the_destination_rule(country, departing, problem):
    assert destination_problem(country, departing=departing) == problem


def unknown_episode(actor, person):
    return open_episode(actor, person, scheme="individual", destination_country="")


@pytest.mark.django_db
def test_a_calon_pmi_without_a_country_is_counted_as_one(personas):
    person = make_person(personas["operator_a"])
    placement = unknown_episode(personas["operator_a"], person)
    person.refresh_from_db()
    assert (person.phase, placement.status, placement.destination_country) == (
        Phase.CANDIDATE,
        "planned",
        "",
    )
    candidates = Counter.objects.filter(metric=Metric.RESIDENT, phase=Phase.CANDIDATE, country="")
    assert {(c.village, c.n) for c in candidates.filter(village__in=["", VILLAGE_A])} == {
        ("", 1),
        (VILLAGE_A, 1),
    }
    assert counters_differences() == []
    call_command("check_counters")  # raises when the counters and the records differ


@pytest.mark.django_db
def test_no_departure_without_a_country_until_the_village_completes_it(personas):
    actor = personas["operator_a"]
    person = make_person(actor)
    placement = unknown_episode(actor, person)
    with pytest.raises(ApplicationError) as refused:
        services.placement_depart(actor=actor, placement=placement, departed_on=date(2026, 6, 1))
    assert refused.value.field == "destination_country"
    placement.refresh_from_db()
    assert placement.status == "planned"
    services.placement_update(actor=actor, placement=placement, data={"destination_country": "MY"})
    services.placement_depart(actor=actor, placement=placement, departed_on=date(2026, 6, 1))
    placement.refresh_from_db()
    assert (placement.status, placement.destination_country) == ("abroad", "MY")
    # Once departed, the country cannot be taken away again.
    with pytest.raises(ApplicationError):
        services.placement_update(
            actor=actor, placement=placement, data={"destination_country": ""}
        )
    assert counters_differences() == []
    call_command("check_counters")


def test_the_form_lets_the_country_wait_and_says_so():
    form = PlacementForm(
        data={"destination_country": "", "job": "caregiver", "sector": "informal", "scheme": "p2p"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["destination_country"] == ""
    with time_machine.travel(TODAY):
        from django.utils import translation

        with translation.override("id"):
            assert destination_name("") == "negara tujuan belum diketahui"
