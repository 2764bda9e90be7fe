"""Persons and episodes made through the real services, for the reports tests."""

import itertools
from datetime import date, timedelta

from lindung.lib.nik import encode_nik
from lindung.placements import services as placements
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.regions.models import Area
from lindung.registry.services import person_create

_serials = itertools.count(1)


def make_person(actor, village_code, *, sex="F", birth_date=date(1995, 5, 17), name="Siti Aminah"):
    """A resident registered by `actor`, with a NIK consistent with the record."""
    serial = next(_serials)
    nik = encode_nik(
        district_code=village_code[:8],
        birth_date=birth_date,
        sex=sex,
        serial=serial % 9999 + 1,
    )
    return person_create(
        actor=actor,
        nik=nik,
        full_name=name,
        sex=sex,
        birth_date=birth_date,
        village=Area.objects.get(code=village_code),
    )


def make_placement(actor, person, *, country="HK", job="domestic_worker", **details):
    sector = "informal" if job in ("domestic_worker", "caregiver") else "formal"
    return placements.placement_create(
        actor=actor,
        person=person,
        scheme="p2p",
        destination_country=country,
        sector=sector,
        job=job,
        **details,
    )


def complete_checklist(actor, placement, on):
    for item in REQUIRED_ITEMS:
        placements.placement_check(actor=actor, placement=placement, item=item, checked_on=on)


def make_abroad(actor, village_code, *, departed_on, procedural=True, **kwargs):
    """A person abroad since `departed_on` (procedural when the checklist was complete)."""
    person = make_person(actor, village_code, **kwargs.pop("person", {}))
    placement = make_placement(actor, person, **kwargs)
    if procedural:
        complete_checklist(actor, placement, departed_on - timedelta(days=10))
    placements.placement_depart(actor=actor, placement=placement, departed_on=departed_on)
    placement.refresh_from_db()
    person.refresh_from_db()
    return person, placement
