"""Whether each person's derived state agrees with their episodes.

A person's current episode, phase and return date are derived (`person_refresh_state`, the
import writer, the synthetic generator) and never typed in. The early-warning lists and the
returnees' counters read them from the person row, so a row that drifted from its episodes
would make a list and its count wrong together, where `check_counters` could not see it.
This check derives them again from the episodes, in two GROUP BYs, and names the persons
whose stored values differ.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from lindung.placements.models import Placement, Status
from lindung.placements.phase import phase_of_episode, return_date_of_person
from lindung.placements.services import person_refresh_state
from lindung.registry.models import Person

SAMPLE = 20
CHUNK = 900  # ids a query names at once (well under SQLite's limit of bound values)


@dataclass(frozen=True)
class StateDifference:
    """How many persons store this field differently from what their episodes give, with the
    ids of a few of them."""

    field: str
    persons: int
    sample: tuple[int, ...]


def _current_episode():
    """The episode person_refresh_state makes current: the newest live one not cancelled."""
    return (
        Placement.objects.filter(person_id=OuterRef("pk"), archived_at__isnull=True)
        .exclude(status=Status.CANCELLED)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )


def _current_differs():
    persons = Person.objects.order_by().annotate(derived=Subquery(_current_episode()))
    return persons.filter(
        Q(current_placement__isnull=True, derived__isnull=False)
        | Q(current_placement__isnull=False, derived__isnull=True)
        | (
            Q(current_placement__isnull=False, derived__isnull=False)
            & ~Q(current_placement_id=F("derived"))
        )
    )


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _derived_values_differ() -> dict[str, list[Q]]:
    """For phase and return date, the groups of persons whose stored value is not what the
    rules give, each as a Q that selects its persons. Persons are grouped by their stored
    phase, their current episode's status, whether it departed and how the two return dates
    stand (each missing or not, and whether they are the same day), so there are a few dozen
    groups however many persons there are."""
    same_day = Q(returned_on=F("current_placement__returned_on"))
    groups = (
        Person.objects.order_by()
        .annotate(
            departed=_flag(Q(current_placement__departed_on__isnull=False)),
            stored=_flag(Q(returned_on__isnull=False)),
            episode=_flag(Q(current_placement__returned_on__isnull=False)),
            same=_flag(same_day),
        )
        .values(
            "phase", "departed", "stored", "episode", "same", status=F("current_placement__status")
        )
        .annotate(n=Count("id"))
    )
    wrong: dict[str, list[Q]] = {"phase": [], "returned_on": []}
    for group in groups:
        # The rule reads only whether the episode departed, not the day it did.
        phase = phase_of_episode(group["status"], date.min if group["departed"] else None)
        has_return = return_date_of_person(phase, True if group["episode"] else None)
        if has_return:
            right = bool(group["stored"] and group["same"])
        else:
            right = not group["stored"]
        selects = Q(
            phase=group["phase"],
            current_placement__departed_on__isnull=not group["departed"],
            returned_on__isnull=not group["stored"],
            current_placement__returned_on__isnull=not group["episode"],
        )
        if group["status"] is None:
            selects = Q(phase=group["phase"], current_placement__isnull=True) & Q(
                returned_on__isnull=not group["stored"]
            )
        else:
            selects &= Q(current_placement__status=group["status"])
            if group["stored"] and group["episode"]:
                selects &= same_day if group["same"] else ~same_day
        if phase != group["phase"]:
            wrong["phase"].append(selects)
        if not right:
            wrong["returned_on"].append(selects)
    return wrong


def _difference(field: str, persons) -> StateDifference | None:
    count = persons.count()
    if not count:
        return None
    sample = tuple(persons.order_by("pk").values_list("pk", flat=True)[:SAMPLE])
    return StateDifference(field=field, persons=count, sample=sample)


def _differing() -> list[tuple[str, QuerySet[Person]]]:
    """Each derived field, with the persons who store it differently from their episodes."""
    found = [("current_placement", _current_differs())]
    for field, groups in _derived_values_differ().items():
        if groups:
            either = Q()
            for selects in groups:
                either |= selects
            found.append((field, Person.objects.filter(either)))
    return found


def person_state_differences() -> list[StateDifference]:
    """Where the persons' stored current episode, phase and return date disagree with their
    episodes; empty when every person agrees."""
    found = [_difference(field, persons) for field, persons in _differing()]
    return [difference for difference in found if difference is not None]


@transaction.atomic
def person_state_repair() -> int:
    """Derive again, with `person_refresh_state`, the state of every person the check names;
    returns how many. Their counters are then the rebuild's to recompute."""
    ids: set[int] = set()
    for _field, persons in _differing():
        ids.update(persons.values_list("pk", flat=True))
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        for person in Person.objects.filter(pk__in=ordered[start : start + CHUNK]).order_by("pk"):
            person_refresh_state(person)
    return len(ordered)
