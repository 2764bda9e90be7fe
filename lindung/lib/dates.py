"""The rule every recorded date follows: what is recorded has happened."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.lib.errors import ApplicationError


def check_not_future(day: date | None, *, field: str, today: date | None = None) -> None:
    """Refuse a date after today (or no date at all), on the form field `field`."""
    if day is None or day > (today or timezone.localdate()):
        raise ApplicationError(_("The date cannot be in the future."), field=field)
