"""The readiness rules of UU 18/2017 Pasal 5 and 13, and the order of an episode's events.

Pure functions: no database, so every boundary (the 18th birthday, a return before the
departure) is tested exhaustively.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lindung.lib.ages import age_on

# Every item of the checklist must be fulfilled for a procedural departure (Pasal 5 and 13,
# plus the pre-departure orientation).
REQUIRED_ITEMS = (
    "competency",
    "health",
    "bpjs",
    "marital_letter",
    "family_permission",
    "passport",
    "work_visa",
    "placement_agreement",
    "employment_contract",
    "orientation",
)
MINIMUM_AGE = 18  # Pasal 5 a: a PMI is at least 18 years old

READY, INCOMPLETE, BLOCKED = "ready", "incomplete", "blocked"


@dataclass(frozen=True)
class Readiness:
    status: str  # READY, INCOMPLETE or BLOCKED
    missing: tuple[str, ...]  # checklist items not yet fulfilled, in checklist order
    under_age: bool
    age_at_departure: int

    @property
    def procedural(self) -> bool:
        return self.status == READY


def readiness_evaluate(
    *, birth_date: date, planned_departure: date | None, checked: Iterable[str], today: date
) -> Readiness:
    """Ready, incomplete (with what is missing) or blocked (under 18 on the departure day)."""
    done = set(checked)
    missing = tuple(item for item in REQUIRED_ITEMS if item not in done)
    age = age_on(birth_date, planned_departure or today)
    under_age = age < MINIMUM_AGE
    if under_age:
        status = BLOCKED
    elif missing:
        status = INCOMPLETE
    else:
        status = READY
    return Readiness(status=status, missing=missing, under_age=under_age, age_at_departure=age)


# Which events may follow in each status of an episode, and the status they lead to.
TRANSITIONS: dict[str, dict[str, str]] = {
    "planned": {
        "verified": "planned",
        "document_completed": "planned",
        "training_completed": "planned",
        "departed": "abroad",
        "cancelled": "cancelled",
        "died": "died",
    },
    "abroad": {
        "arrived": "abroad",
        "check_in": "abroad",
        "problem_reported": "abroad",
        "contract_extended": "abroad",
        "returned": "returned",
        "died": "died",
    },
    "returned": {},
    "cancelled": {},
    "died": {},
}


class SequenceError(ValueError):
    """An event that cannot happen now; `code` names the rule."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def event_check(
    *,
    status: str,
    kind: str,
    occurred_on: date,
    today: date,
    birth_date: date,
    departed_on: date | None,
) -> str:
    """The episode's status after the event, or SequenceError when it cannot happen."""
    if occurred_on > today:
        raise SequenceError("future")
    if occurred_on < birth_date:
        raise SequenceError("before_birth")
    allowed = TRANSITIONS.get(status, {})
    if kind not in allowed:
        raise SequenceError("closed" if not allowed else "order")
    if departed_on is not None and kind != "departed" and occurred_on < departed_on:
        raise SequenceError("before_departure")
    return allowed[kind]
