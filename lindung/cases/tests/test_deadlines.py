from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.cases import deadlines
from lindung.cases.apps import check_deadline_settings
from lindung.cases.deadlines import NATIONAL, PROVINCE, REGENCY, VILLAGE

DAY = date(2026, 6, 15)


def test_each_open_status_has_a_deadline_and_closed_has_none():
    for status in ("received", "verified", "referred", "in_handling", "resolved"):
        assert deadlines.deadline_days(status, urgent=False) >= 1
    assert deadlines.deadline_days("closed", urgent=False) is None
    assert deadlines.due_date("closed", DAY, urgent=True) is None


def test_urgent_cases_get_shorter_deadlines():
    for status in deadlines.DEFAULT_DAYS:
        assert deadlines.deadline_days(status, urgent=True) < deadlines.deadline_days(
            status, urgent=False
        )


def test_a_received_case_is_due_three_days_after_it_was_reported():
    assert deadlines.due_date("received", DAY, urgent=False) == DAY + timedelta(days=3)
    assert deadlines.due_date("received", DAY, urgent=True) == DAY + timedelta(days=1)


def test_configured_days_override_the_defaults_for_their_status_only():
    assert deadlines.deadline_days("received", urgent=False, days={"received": 10}) == 10
    assert deadlines.deadline_days("verified", urgent=False, days={"received": 10}) == 3
    assert deadlines.deadline_days("received", urgent=True, urgent_days={"received": 2}) == 2


def test_settings_override_the_deadlines(settings):
    settings.CASE_DEADLINE_DAYS = {"in_handling": 60}
    assert deadlines.due_date("in_handling", DAY, urgent=False, **deadlines.configured()) == (
        DAY + timedelta(days=60)
    )


def test_a_bad_deadline_table_is_refused_at_start(settings):
    settings.CASE_DEADLINE_DAYS = {"received": 0, "pending": 3}
    settings.CASE_ESCALATION_STEP_DAYS = 0
    ids = [error.id for error in check_deadline_settings()]
    assert ids.count("cases.E001") == 2
    assert "cases.E002" in ids


def test_the_shipped_settings_pass_the_check():
    assert check_deadline_settings() == []


def test_not_overdue_on_the_due_date_itself():
    assert deadlines.overdue_days(DAY, DAY) == 0
    assert deadlines.overdue_days(DAY, DAY + timedelta(days=1)) == 1
    assert deadlines.overdue_days(None, DAY) == 0


@pytest.mark.parametrize(
    ("responsible", "late", "expected"),
    [
        (VILLAGE, 0, VILLAGE),
        (VILLAGE, 1, REGENCY),
        (VILLAGE, 7, REGENCY),
        (VILLAGE, 8, PROVINCE),
        (VILLAGE, 15, NATIONAL),
        (VILLAGE, 400, NATIONAL),
        (REGENCY, 1, PROVINCE),
        (PROVINCE, 1, NATIONAL),
        (NATIONAL, 30, NATIONAL),
    ],
)
def test_overdue_cases_climb_one_level_per_week_late(responsible, late, expected):
    due = DAY
    assert deadlines.acting_level(responsible, due, due + timedelta(days=late), step_days=7) == (
        expected
    )


@given(
    responsible=st.sampled_from(deadlines.LEVEL_CHAIN),
    late=st.integers(min_value=0, max_value=2000),
    step=st.integers(min_value=1, max_value=60),
)
def test_escalation_never_goes_down_and_waits_for_the_deadline(responsible, late, step):
    today = DAY + timedelta(days=late)
    level = deadlines.acting_level(responsible, DAY, today, step_days=step)
    chain = deadlines.LEVEL_CHAIN
    assert chain.index(level) >= chain.index(responsible)
    assert (level == responsible) == (late == 0 or responsible == NATIONAL)
    later = deadlines.acting_level(responsible, DAY, today + timedelta(days=1), step_days=step)
    assert chain.index(later) >= chain.index(level)


@given(table=st.dictionaries(st.text(max_size=12), st.integers(min_value=-5, max_value=90)))
def test_check_table_accepts_exactly_known_statuses_with_positive_days(table):
    valid = all(k in deadlines.DEFAULT_DAYS and v >= 1 for k, v in table.items())
    assert (deadlines.check_table(table) == []) == valid
