"""Builders for programme, outreach and regulation tests; they go through the real services."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from conftest import VILLAGE_A
from lindung.lib.nik import encode_nik
from lindung.placements import services as placement_services
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.programs import services
from lindung.regions.models import Area
from lindung.registry.services import person_create

_serials = itertools.count(5000)


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def make_person(actor, *, name="Siti Aminah", birth=date(1995, 3, 2), sex="F", village=VILLAGE_A):
    """A resident with a valid, matching synthetic NIK."""
    nik = encode_nik(
        district_code=village[:8], birth_date=birth, sex=sex, serial=next(_serials) % 9999 + 1
    )
    return person_create(
        actor=actor,
        nik=nik,
        full_name=name,
        sex=sex,
        birth_date=birth,
        village=area(village),
    )


def make_program(actor, *, kind="vocational_training", code="18.11", **extra):
    today = timezone.localdate()
    values = {
        "title": "Pelatihan Caregiver Angkatan I",
        "organiser": "disnaker",
        "starts_on": today - timedelta(days=60),
        "ends_on": today - timedelta(days=30),
        "target_groups": ["candidate"],
        "sessions": 10,
        "competency_scheme": "Caregiver (SKKNI)",
    }
    values.update(extra)
    return services.program_create(actor=actor, kind=kind, area=area(code), **values)


def certify(actor, program, person, *, on):
    """Enrol and complete with a competency certificate dated `on`."""
    enrollment = services.enrollment_create(
        actor=actor, program=program, person=person, accept_hints=True, enrolled_on=on
    )
    services.enrollment_complete(
        actor=actor,
        enrollment=enrollment,
        completed_on=on,
        certificate_number=f"CERT-{person.pk}",
        certificate_date=on,
    )
    return enrollment


def depart(actor, person, *, on, sector="formal", procedural=True, job="caregiver"):
    """Open an episode and record a departure; procedural when the checklist is complete."""
    placement = placement_services.placement_create(
        actor=actor,
        person=person,
        scheme="p2p",
        destination_country="TW",
        sector=sector,
        job=job,
    )
    done = set(placement.checks.values_list("item", flat=True))
    # Leaving one item out makes the departure non-procedural.
    items = REQUIRED_ITEMS if procedural else [i for i in REQUIRED_ITEMS if i != "bpjs"]
    for item in items:
        if item not in done:
            placement_services.placement_check(
                actor=actor, placement=placement, item=item, checked_on=on - timedelta(days=1)
            )
    placement_services.placement_depart(actor=actor, placement=placement, departed_on=on)
    placement.refresh_from_db()
    return placement
