"""A person's phase, derived from their current migration episode.

UU 18/2017 Pasal 1 angka 2 defines a PMI as a citizen who *will* work, *is* working or *has*
worked abroad for pay: one person, three phases (calon PMI, PMI abroad, purna PMI). A purna PMI
is someone who worked abroad and came home, so only an episode that departed can end in a
return. Death is a return reason of Pasal 27 for a worker abroad (the remains are brought home
under Pasal 24), but a calon PMI who dies before departing never worked abroad: that person
leaves the migration record as someone who is not migrating, and is never counted among the
returnees.

Pure function: every writer (the placement services and the bulk import) derives the phase
here, from the episode's status and whether it departed.
"""

from datetime import date
from typing import TypeVar

from lindung.placements.models import Status
from lindung.registry.models import Phase

Day = TypeVar("Day")  # a date, or the day number the synthetic generator draws


def phase_of_episode(status: str | None, departed_on: date | None) -> str:
    """The phase of a person whose current episode has this status (None: no episode)."""
    if status == Status.PLANNED:
        return Phase.CANDIDATE
    if status == Status.ABROAD:
        return Phase.ABROAD
    if status == Status.RETURNED:
        return Phase.RETURNED
    if status == Status.DIED and departed_on is not None:
        return Phase.RETURNED
    # Died before departing, cancelled, or no episode at all.
    return Phase.NONE


def return_date_of_person(phase: str, returned_on: Day | None) -> Day | None:
    """The return date a person carries (`Person.returned_on`): their current episode's, while
    that return makes them a purna PMI, and none otherwise.

    Kept on the person so that the returnees without empowerment (UU 18/2017 Pasal 41: the
    regency empowers purna PMI) are read in return-date order from an index of the persons
    that leads with their own regency, however many returnees the nation holds.
    """
    return returned_on if phase == Phase.RETURNED else None
