"""`documents_due_on`: the sooner of passport and visa expiry while an episode is being prepared
or abroad, computed by the database so that every writer keeps it."""

from datetime import date, timedelta

import pytest

from lindung.placements import services as placements
from lindung.placements.models import Placement
from lindung.reports.tests.factories import make_person, make_placement

PASSPORT = date(2027, 3, 1)
VISA = date(2027, 1, 15)


def _due(placement):
    return Placement.objects.values_list("documents_due_on", flat=True).get(pk=placement.pk)


@pytest.mark.django_db
def test_the_sooner_document_while_preparing_and_abroad_and_nothing_once_home(personas):
    actor = personas["kp2mi"]
    person = make_person(actor, "18.11.01.2001")
    placement = make_placement(actor, person, passport_expiry=PASSPORT)
    assert _due(placement) == PASSPORT

    placements.placement_update(actor=actor, placement=placement, data={"visa_expiry": VISA})
    assert _due(placement) == VISA

    placements.placement_depart(actor=actor, placement=placement, departed_on=date(2026, 6, 1))
    assert _due(placement) == VISA

    placements.placement_return(
        actor=actor, placement=placement, returned_on=date(2026, 11, 1), reason="leave"
    )
    assert _due(placement) is None


@pytest.mark.django_db
def test_a_visa_alone_or_no_document_at_all(personas):
    actor = personas["kp2mi"]
    visa_only = make_placement(actor, make_person(actor, "18.11.01.2001"), visa_expiry=VISA)
    nothing = make_placement(actor, make_person(actor, "18.11.01.2001"))
    assert _due(visa_only) == VISA
    assert _due(nothing) is None


@pytest.mark.django_db
def test_the_audit_trail_records_the_documents_not_the_computed_column(personas):
    from lindung.audit.models import AuditEvent

    actor = personas["kp2mi"]
    placement = make_placement(actor, make_person(actor, "18.11.01.2001"), passport_expiry=PASSPORT)
    later = PASSPORT + timedelta(days=1)
    placements.placement_update(actor=actor, placement=placement, data={"passport_expiry": later})
    entries = list(
        AuditEvent.objects.filter(object_id=str(placement.pk), object_type__contains="placement")
    )
    assert {e.action for e in entries} >= {"create", "update"}
    assert all("passport_expiry" in e.changes for e in entries)
    assert not any("documents_due_on" in e.changes for e in entries)
