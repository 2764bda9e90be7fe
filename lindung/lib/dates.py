"""The rule every recorded date follows (what is recorded has happened), and the months the
figures are counted by."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.lib.errors import ApplicationError


def check_not_future(day: date | None, *, field: str, today: date | None = None) -> None:
    """Refuse a date after today (or no date at all), on the form field `field`."""
    if day is None or day > (today or timezone.localdate()):
        raise ApplicationError(_("The date cannot be in the future."), field=field)


def month_list(today: date, count: int) -> list[str]:
    """The last `count` months as 'YYYY-MM', oldest first, ending with the month of `today`."""
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]
