"""Small builders for registry and placement tests; they go through the real services."""

from datetime import date, timedelta

from django.utils import timezone

from conftest import VILLAGE_A
from lindung.lib.nik import encode_nik
from lindung.placements import services as placement_services
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.regions.models import Area
from lindung.registry.services import person_create

_serials = iter(range(1, 9999))


def make_person(
    actor,
    *,
    name="Siti Aminah",
    birth=date(1995, 3, 2),
    sex="F",
    village=VILLAGE_A,
    **extra,
):
    """A resident with a valid, matching synthetic NIK."""
    nik = encode_nik(district_code="18.11.01", birth_date=birth, sex=sex, serial=next(_serials))
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
    return placement_services.placement_create(
        actor=actor,
        person=person,
        scheme="p2p",
        destination_country=details.pop("destination_country", "HK"),
        sector="informal",
        job="domestic_worker",
        **details,
    )


def check_all(actor, placement, *, except_items=()):
    for item in REQUIRED_ITEMS:
        if item in except_items:
            continue
        placement_services.placement_check(
            actor=actor,
            placement=placement,
            item=item,
            checked_on=timezone.localdate() - timedelta(days=3),
        )
