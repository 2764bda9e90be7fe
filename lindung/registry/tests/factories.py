"""Builders for the tests of every app: persons and their episodes, made through the real
services."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from conftest import VILLAGE_A
from lindung.lib.nik import encode_nik
from lindung.placements import services as placement_services
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.regions.models import Area
from lindung.registry.services import person_create

# Fresh serials start at 1000, above the small ones tests ask for to get a known NIK.
_serials = itertools.count()


def make_person(
    actor,
    *,
    name="Siti Aminah",
    birth=date(1995, 3, 2),
    sex="F",
    village=VILLAGE_A,
    serial=None,
    **extra,
):
    """A resident with a valid synthetic NIK of the village's district, under `serial` when
    given, else under a fresh one."""
    if serial is None:
        serial = 1000 + next(_serials) % 8999
    nik = encode_nik(district_code=village[:8], birth_date=birth, sex=sex, serial=serial)
    return person_create(
        actor=actor,
        nik=nik,
        full_name=name,
        sex=sex,
        birth_date=birth,
        village=Area.objects.get(code=village),
        **extra,
    )


def open_episode(actor, person, **details):
    """A planned episode: a domestic worker for Hong Kong through a P3MI, unless `details` say
    otherwise."""
    fields = {
        "scheme": "p2p",
        "destination_country": "HK",
        "sector": "informal",
        "job": "domestic_worker",
    }
    return placement_services.placement_create(actor=actor, person=person, **(fields | details))


def check_all(actor, placement, *, except_items=(), on=None):
    """Tick every readiness item but `except_items`, on `on` (three days ago unless said)."""
    on = on or timezone.localdate() - timedelta(days=3)
    for item in REQUIRED_ITEMS:
        if item not in except_items:
            placement_services.placement_check(
                actor=actor, placement=placement, item=item, checked_on=on
            )
