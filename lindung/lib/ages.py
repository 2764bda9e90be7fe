"""A person's age in completed years: the one count every age rule of the law starts from."""

from datetime import date


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on a day (someone born on 29 February turns a year older on
    1 March in common years)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
