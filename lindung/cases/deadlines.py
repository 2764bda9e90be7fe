"""Deadlines and escalation of protection cases: pure rules, no database.

Each open status gives the responsible unit a number of days to take the next step (fewer
for urgent cases). A case past its due date escalates one level up the area tree (village →
regency → province → national) and one more for every further `step_days` days overdue.
"""

from datetime import date, timedelta

# Days allowed in each status; "closed" has no deadline.
DEFAULT_DAYS = {"received": 3, "verified": 3, "referred": 7, "in_handling": 30, "resolved": 14}
DEFAULT_URGENT_DAYS = {"received": 1, "verified": 1, "referred": 2, "in_handling": 7, "resolved": 7}
DEFAULT_STEP_DAYS = 7

# Levels that act on cases, from the bottom up (the numbers are regions.Level; 0 = national).
VILLAGE, REGENCY, PROVINCE, NATIONAL = 4, 2, 1, 0
LEVEL_CHAIN = (VILLAGE, REGENCY, PROVINCE, NATIONAL)


def check_table(table: dict) -> list[str]:
    """Problems with a {status: days} table: unknown statuses or days that are not 1 or more."""
    problems = []
    for status, days in table.items():
        if status not in DEFAULT_DAYS:
            problems.append(f"unknown status {status!r}")
        elif not isinstance(days, int) or isinstance(days, bool) or days < 1:
            problems.append(f"{status}: days must be a whole number of at least 1, not {days!r}")
    return problems


def deadline_days(
    status: str, *, urgent: bool, days: dict | None = None, urgent_days: dict | None = None
) -> int | None:
    """How many days a case may stay in `status`; None when the status has no deadline."""
    if urgent:
        return {**DEFAULT_URGENT_DAYS, **(urgent_days or {})}.get(status)
    return {**DEFAULT_DAYS, **(days or {})}.get(status)


def due_date(
    status: str,
    since: date,
    *,
    urgent: bool,
    days: dict | None = None,
    urgent_days: dict | None = None,
) -> date | None:
    """The date by which the next step is due for a case in `status` since `since`."""
    allowed = deadline_days(status, urgent=urgent, days=days, urgent_days=urgent_days)
    return None if allowed is None else since + timedelta(days=allowed)


def overdue_days(due_on: date | None, today: date) -> int:
    """Whole days past the due date (0 when not due yet or no deadline)."""
    if due_on is None or today <= due_on:
        return 0
    return (today - due_on).days


def level_above(level: int) -> int:
    """The next level up the chain (national stays national)."""
    index = LEVEL_CHAIN.index(level)
    return LEVEL_CHAIN[min(index + 1, len(LEVEL_CHAIN) - 1)]


def acting_level(
    responsible: int, due_on: date | None, today: date, *, step_days: int = DEFAULT_STEP_DAYS
) -> int:
    """The level that must act now: the responsible one, or higher the longer it is overdue."""
    late = overdue_days(due_on, today)
    if late == 0:
        return responsible
    steps = 1 + (late - 1) // max(step_days, 1)
    index = min(LEVEL_CHAIN.index(responsible) + steps, len(LEVEL_CHAIN) - 1)
    return LEVEL_CHAIN[index]


def configured() -> dict:
    """The deadline tables from settings, over the defaults."""
    from django.conf import settings

    return {
        "days": settings.CASE_DEADLINE_DAYS,
        "urgent_days": settings.CASE_URGENT_DEADLINE_DAYS,
    }


def configured_step_days() -> int:
    """Days overdue per extra level of escalation, from settings."""
    from django.conf import settings

    return settings.CASE_ESCALATION_STEP_DAYS
