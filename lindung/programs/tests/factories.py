"""Builders for programme, outreach and regulation tests; they go through the real services."""

from datetime import timedelta

from django.utils import timezone

from lindung.placements import services as placement_services
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.programs import services
from lindung.regions.models import Area
from lindung.registry.tests.factories import open_episode


def area(code: str) -> Area:
    return Area.objects.get(code=code)


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
    placement = open_episode(actor, person, destination_country="TW", sector=sector, job=job)
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
