"""Properties of the pure readiness and event-order rules."""

from datetime import date, timedelta

from hypothesis import assume, example, given
from hypothesis import strategies as st

from lindung.placements.readiness import (
    BLOCKED,
    INCOMPLETE,
    READY,
    REQUIRED_ITEMS,
    TRANSITIONS,
    SequenceError,
    age_on,
    event_check,
    readiness_evaluate,
)

births = st.dates(min_value=date(1950, 1, 1), max_value=date(2015, 12, 31))
leap_births = st.sampled_from([date(y, 2, 29) for y in range(1952, 2012, 4)])
TODAY = date(2026, 6, 15)


def eighteenth_birthday(birth: date) -> date:
    """The first day someone is 18 (1 March in common years for a 29 February birth)."""
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:
        return date(birth.year + 18, 3, 1)


def verdict(birth, departure, checked=REQUIRED_ITEMS):
    return readiness_evaluate(
        birth_date=birth, planned_departure=departure, checked=checked, today=TODAY
    )


@given(st.one_of(births, leap_births))
def test_blocked_the_day_before_the_18th_birthday_ready_on_it_and_after(birth):
    turns_18 = eighteenth_birthday(birth)
    assert verdict(birth, turns_18 - timedelta(days=1)).status == BLOCKED
    assert verdict(birth, turns_18).status == READY
    assert verdict(birth, turns_18 + timedelta(days=1)).status == READY


@given(leap_births)
def test_a_29_february_child_is_still_17_on_28_february_of_a_common_year(birth):
    year = birth.year + 18
    assume(year % 4 != 0)
    assert age_on(birth, date(year, 2, 28)) == 17
    assert age_on(birth, date(year, 3, 1)) == 18


@given(births, st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)))
@example(date(2000, 1, 2), date(2001, 1, 1))
def test_age_never_decreases_and_grows_by_one_each_year(birth, on):
    # A year later is the same day of the next calendar year: 366 days after 1 January of a
    # common year is 2 January two years on, past a 2 January birthday (two birthdays).
    # 29 February has no same day a year later; the leap tests above cover it.
    assume(on >= birth and (on.month, on.day) != (2, 29))
    assert age_on(birth, on) >= 0
    assert age_on(birth, on + timedelta(days=1)) >= age_on(birth, on)
    assert age_on(birth, on.replace(year=on.year + 1)) == age_on(birth, on) + 1


@given(births, st.sets(st.sampled_from(REQUIRED_ITEMS)))
def test_missing_items_are_exactly_the_unchecked_ones_in_checklist_order(birth, checked):
    result = verdict(birth, date(2040, 1, 1), checked)
    assert set(result.missing) == set(REQUIRED_ITEMS) - checked
    assert list(result.missing) == [i for i in REQUIRED_ITEMS if i in result.missing]
    if result.under_age:
        assert result.status == BLOCKED
    else:
        assert result.status == (READY if not result.missing else INCOMPLETE)
    assert result.procedural == (result.status == READY)


@given(births)
def test_without_a_planned_departure_the_age_is_taken_today(birth):
    assert verdict(birth, None).age_at_departure == age_on(birth, TODAY)


KINDS = sorted({kind for allowed in TRANSITIONS.values() for kind in allowed})
steps = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(min_value=-400, max_value=400)),
    max_size=25,
)


@given(steps)
def test_random_event_sequences_never_reach_an_impossible_state(sequence):
    """Whatever is tried in whatever order, the accepted events form a possible life:
    no return or check-in without a departure, nothing after the episode closed, no event
    before the departure, none in the future."""
    birth = date(1990, 1, 1)
    status, departed_on, accepted = "planned", None, []
    start = TODAY - timedelta(days=400)
    for kind, offset in sequence:
        on = start + timedelta(days=offset)
        try:
            new_status = event_check(
                status=status,
                kind=kind,
                occurred_on=on,
                today=TODAY,
                birth_date=birth,
                departed_on=departed_on,
            )
        except SequenceError as error:
            assert error.code in {"future", "before_birth", "closed", "order", "before_departure"}
            continue
        accepted.append((kind, on))
        if kind == "departed":
            departed_on = on
        status = new_status
    kinds = [k for k, _ in accepted]
    assert kinds.count("departed") <= 1
    for kind in ("returned", "arrived", "check_in", "problem_reported", "contract_extended"):
        if kind in kinds:
            assert "departed" in kinds and kinds.index("departed") < kinds.index(kind)
    closing = [i for i, k in enumerate(kinds) if k in ("returned", "cancelled", "died")]
    assert len(closing) <= 1
    if closing:
        assert closing[0] == len(kinds) - 1
    if "cancelled" in kinds:
        assert "departed" not in kinds
    assert all(on <= TODAY for _, on in accepted)
    if departed_on is not None:
        assert all(on >= departed_on for k, on in accepted[kinds.index("departed") :])
