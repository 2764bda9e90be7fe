"""A person's age in completed years: the one count every age rule of the law starts from."""

from datetime import date


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on a day (someone born on 29 February turns a year older on
    1 March in common years)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def latest_birth_date(age: int, on: date) -> date:
    """The last birth date of someone `age` or older on a day (as `age_on` counts): a
    person born after it is younger. Lets a query test an age on an indexed birth date."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February, `age` years back in a common year
        return on.replace(year=on.year - age, day=28)
