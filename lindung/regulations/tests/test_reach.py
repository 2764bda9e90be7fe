"""Regulations are read in their area, below it, and below the areas they bind: a village sees
its regency's Perbup and its own Perdes, not its neighbour's."""

import pytest

from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_C, _make
from lindung.accounts.models import Role
from lindung.accounts.tests.reach import assert_reach
from lindung.programs.tests.factories import area
from lindung.regulations import selectors, services

pytestmark = pytest.mark.django_db
OTHER_REGENCY = "33.01"


def _record(actor, code, kind):
    return services.regulation_create(actor=actor, area=area(code), kind=kind)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("operator_b", {"18.11", VILLAGE_B}),
        ("operator_a", {"18.11", VILLAGE_A}),
        ("disnaker", {"18.11", VILLAGE_A, VILLAGE_B, VILLAGE_C}),
        ("bp3mi_other", {OTHER_REGENCY}),
        ("kp2mi", {"18.11", VILLAGE_A, VILLAGE_B, VILLAGE_C, OTHER_REGENCY}),
    ],
)
def test_a_user_reads_the_regulations_of_the_area_below_and_above(personas, who, expected):
    disnaker, other = personas["disnaker"], _make("disnaker.other", Role.DISNAKER, OTHER_REGENCY)
    rows = {
        "18.11": _record(disnaker, "18.11", "perbup"),
        VILLAGE_A: _record(disnaker, VILLAGE_A, "perdes"),
        VILLAGE_B: _record(disnaker, VILLAGE_B, "perdes"),
        VILLAGE_C: _record(disnaker, VILLAGE_C, "perdes"),
        OTHER_REGENCY: _record(other, OTHER_REGENCY, "perbup"),
    }
    assert_reach(selectors, "regulation", personas[who], rows, expected)
