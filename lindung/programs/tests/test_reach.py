"""Programmes are read in the area they are run in, below it, and in the areas below those
that offer them: a village sees its regency's and province's programmes, not its neighbour's."""

import pytest

from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_C
from lindung.accounts.tests.reach import assert_reach
from lindung.programs import selectors
from lindung.programs.tests.factories import make_program

pytestmark = pytest.mark.django_db
CODES = ["18", "18.11", "18.11.01", VILLAGE_A, VILLAGE_C, "33.01"]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("operator_b", {"18", "18.11", "18.11.01"}),
        ("operator_a", {"18", "18.11", "18.11.01", VILLAGE_A}),
        ("disnaker", {"18", "18.11", "18.11.01", VILLAGE_A, VILLAGE_C}),
        ("bp3mi_other", {"33.01"}),
        ("kp2mi", set(CODES)),
    ],
)
def test_a_user_reads_the_programmes_of_the_area_below_and_above(personas, who, expected):
    assert VILLAGE_B not in CODES
    rows = {code: make_program(personas["kp2mi"], code=code) for code in CODES}
    assert_reach(selectors, "program", personas[who], rows, expected)
