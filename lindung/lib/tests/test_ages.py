"""Ages in completed years, and the birth date a query tests an age with."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lindung.lib.ages import age_on, latest_birth_date

days = st.dates(min_value=date(1940, 1, 1), max_value=date(2100, 12, 31))


@given(born=days, on=days, age=st.integers(min_value=0, max_value=60))
def test_born_on_or_before_the_latest_birth_date_is_being_that_old(born, on, age):
    assert (age_on(born, on) >= age) == (born <= latest_birth_date(age, on))


def test_a_leap_day_birthday_comes_on_the_first_of_march_in_common_years():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
    assert latest_birth_date(18, date(2028, 2, 29)) == date(2010, 2, 28)
