"""Sessions and announcements are read in their area, below it, and below the areas above it
(a regency's radio spot reached its villages too); national announcements reach everyone."""

import pytest

from conftest import VILLAGE_A, VILLAGE_C
from lindung.accounts.tests.reach import assert_reach
from lindung.outreach import selectors
from lindung.outreach.tests.test_outreach import make_announcement, make_session

pytestmark = pytest.mark.django_db
SESSION_CODES = ["18.11", "18.11.01", VILLAGE_A, VILLAGE_C, "33.01"]
ANNOUNCEMENT_CODES = [None, "18", "18.11", VILLAGE_A, VILLAGE_C, "33"]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("operator_b", {"18.11", "18.11.01"}),
        ("disnaker", {"18.11", "18.11.01", VILLAGE_A, VILLAGE_C}),
        ("bp3mi_other", {"33.01"}),
        ("kp2mi", set(SESSION_CODES)),
    ],
)
def test_a_user_reads_the_sessions_of_the_area_below_and_above(personas, who, expected):
    rows = {code: make_session(personas["kp2mi"], code=code) for code in SESSION_CODES}
    assert_reach(selectors, "session", personas[who], rows, expected)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("operator_b", {None, "18", "18.11"}),
        ("disnaker", {None, "18", "18.11", VILLAGE_A, VILLAGE_C}),
        ("bp3mi_other", {None, "33"}),
        ("kp2mi", set(ANNOUNCEMENT_CODES)),
    ],
)
def test_a_user_reads_the_announcements_of_the_area_below_and_above(personas, who, expected):
    rows = {code: make_announcement(personas["kp2mi"], code) for code in ANNOUNCEMENT_CODES}
    assert_reach(selectors, "announcement", personas[who], rows, expected)
