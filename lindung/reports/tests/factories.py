"""Persons and episodes made through the real services, for the reports tests: a person of a
given village, born 17 May 1995 unless said, and episodes whose sector follows from the job."""

from datetime import date, timedelta

from lindung.placements import services as placements
from lindung.registry.tests import factories
from lindung.registry.tests.factories import check_all


def make_person(actor, village_code, *, birth_date=date(1995, 5, 17), **fields):
    """A resident of `village_code` registered by `actor`, with a NIK consistent with the record."""
    return factories.make_person(actor, village=village_code, birth=birth_date, **fields)


def make_placement(actor, person, *, country="HK", job="domestic_worker", **details):
    sector = "informal" if job in ("domestic_worker", "caregiver") else "formal"
    return factories.open_episode(
        actor, person, destination_country=country, sector=sector, job=job, **details
    )


def make_abroad(actor, village_code, *, departed_on, procedural=True, **kwargs):
    """A person abroad since `departed_on` (procedural when the checklist was complete)."""
    person = make_person(actor, village_code, **kwargs.pop("person", {}))
    placement = make_placement(actor, person, **kwargs)
    if procedural:
        check_all(actor, placement, on=departed_on - timedelta(days=10))
    placements.placement_depart(actor=actor, placement=placement, departed_on=departed_on)
    placement.refresh_from_db()
    person.refresh_from_db()
    return person, placement
