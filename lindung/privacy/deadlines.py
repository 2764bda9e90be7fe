"""The 3×24-hour clock of UU 27/2022 (subject requests, Pasal 30–32; breach notices, Pasal 46).

Pure rules over the cases' escalation chain (lindung.cases.deadlines): a request or breach
past its due time moves one level up (village → regency → province → national) for every
further day overdue, and a reminder is due in the last 24 hours.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from lindung.cases import deadlines as case_deadlines

ANSWER_HOURS = 3 * 24
REMIND_HOURS = 24
# One level up for each day overdue: the law's clock is hours, not weeks.
STEP_DAYS = 1


def due_at(received_at: datetime) -> datetime:
    """When the answer (or the breach notice) is due: 3×24 hours after receipt."""
    return received_at + timedelta(hours=ANSWER_HOURS)


def hours_left(due: datetime, now: datetime) -> float:
    """Hours until `due` (negative once overdue)."""
    return (due - now).total_seconds() / 3600


def reminder_due(due: datetime, now: datetime) -> bool:
    """Whether the last 24 hours have begun (and the time is not yet up)."""
    return 0 < hours_left(due, now) <= REMIND_HOURS


def acting_level(responsible: int, due: datetime, now: datetime) -> int:
    """The level that must act now: the one that received it, higher the longer it is late.

    Late by any part of a day counts as a day, so the first step up comes as the time runs out.
    """
    late = now - due
    if late.total_seconds() <= 0:
        return responsible
    days = late.days + (1 if late.seconds or late.microseconds else 0)
    due_on = timezone.localdate(due)
    return case_deadlines.acting_level(
        responsible, due_on, due_on + timedelta(days=days), step_days=STEP_DAYS
    )
