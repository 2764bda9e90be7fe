"""Eligibility hints: advice shown before enrolling, never a refusal."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lindung.lib.ages import age_on
from lindung.programs.eligibility import eligibility_hints, hint_text
from lindung.programs.models import Kind

TODAY = date(2026, 6, 15)


def hints(**overrides):
    values = {
        "kind": Kind.VOCATIONAL_TRAINING,
        "target_groups": ["candidate"],
        "ends_on": TODAY + timedelta(days=30),
        "quota": None,
        "enrolled": 0,
        "phase": "candidate",
        "birth_date": date(1995, 1, 1),
        "returned_on": None,
        "today": TODAY,
    }
    values.update(overrides)
    return [h.code for h in eligibility_hints(**values)]


def test_an_adult_calon_pmi_in_a_running_training_gets_no_hint():
    assert hints() == []


def test_empowerment_for_someone_returned_eleven_months_ago_gets_no_hint():
    returned = TODAY - timedelta(days=330)
    assert (
        hints(
            kind=Kind.EMPOWERMENT_BUSINESS,
            target_groups=["returned"],
            phase="returned",
            returned_on=returned,
        )
        == []
    )


def test_empowerment_for_someone_returned_over_twelve_months_ago_is_hinted():
    returned = TODAY - timedelta(days=366)
    assert hints(
        kind=Kind.EMPOWERMENT_FINANCE,
        target_groups=["returned"],
        phase="returned",
        returned_on=returned,
    ) == ["returned_long_ago"]


def test_empowerment_for_someone_who_never_returned_is_hinted_once():
    assert hints(kind=Kind.EMPOWERMENT_COOPERATIVE, target_groups=["returned"]) == ["not_returned"]


def test_someone_abroad_is_hinted():
    assert hints(phase="abroad") == ["abroad"]


def test_a_returnee_in_a_training_for_calon_pmi_is_outside_the_target_group():
    assert hints(phase="returned", returned_on=TODAY) == ["outside_target_group"]


def test_a_training_with_no_target_group_is_open_to_anyone():
    assert hints(target_groups=[], phase="none") == []


def test_someone_under_18_in_a_vocational_training_is_hinted():
    assert hints(birth_date=date(2009, 1, 1)) == ["under_age"]


def test_an_ended_programme_and_a_full_quota_are_hinted():
    assert hints(ends_on=TODAY - timedelta(days=1), quota=10, enrolled=10) == [
        "programme_ended",
        "quota_full",
    ]


def test_hint_sentences_fill_their_params():
    from lindung.programs.eligibility import Hint

    text = hint_text(Hint("quota_full", {"quota": 25}))
    assert "25" in text
    text = hint_text(Hint("outside_target_group", {"groups": ["returned"]}))
    assert "Purna PMI" in text


@given(
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2026, 6, 15)),
    day=st.dates(min_value=date(1940, 1, 1), max_value=date(2100, 1, 1)),
)
def test_age_grows_by_one_exactly_on_each_birthday(birth, day):
    age = age_on(birth, day)
    if day >= birth:
        assert age >= 0
        try:
            birthday = birth.replace(year=birth.year + age)
        except ValueError:  # born on 29 February
            birthday = date(birth.year + age, 3, 1)
        assert birthday <= day


@given(
    kind=st.sampled_from(Kind.values),
    phase=st.sampled_from(["none", "candidate", "abroad", "returned"]),
    groups=st.lists(st.sampled_from(["candidate", "returned", "family"]), unique=True),
    days_since_return=st.one_of(st.none(), st.integers(min_value=0, max_value=4000)),
    quota=st.one_of(st.none(), st.integers(min_value=1, max_value=50)),
    enrolled=st.integers(min_value=0, max_value=60),
)
def test_hints_are_known_codes_each_at_most_once(
    kind, phase, groups, days_since_return, quota, enrolled
):
    returned_on = None if days_since_return is None else TODAY - timedelta(days=days_since_return)
    codes = hints(
        kind=kind,
        phase=phase,
        target_groups=groups,
        returned_on=returned_on,
        quota=quota,
        enrolled=enrolled,
    )
    assert len(codes) == len(set(codes))
    from lindung.programs.eligibility import HINT_MESSAGES

    assert set(codes) <= set(HINT_MESSAGES)
    assert ("quota_full" in codes) == (quota is not None and enrolled >= quota)
