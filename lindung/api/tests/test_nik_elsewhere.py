"""Registering through the API a NIK held outside the token's area names no place and is
audited, as on the registration form (registry/nik_clash.py)."""

import pytest

from conftest import VILLAGE_B
from lindung.api.tests.test_persons import valid_person
from lindung.audit.models import AuditEvent
from lindung.registry.models import Person
from lindung.registry.nik_clash import AUDIT_KEY
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_a_nik_of_another_area_is_answered_without_its_village(call, personas):
    resident = make_person(personas["operator_a"], name="Warga Wiralaga")
    data = valid_person(
        VILLAGE_B,
        nik=resident.nik,
        birth_date=resident.birth_date.isoformat(),
        full_name="Orang Lain",
    )
    response = call("operator_b", "post", "/api/v1/persons", json=data)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "nik"
    for message in (error["message_id"], error["message_en"]):
        assert "Wiralaga" not in message
        assert "Disnaker Kabupaten Mesuji" in message
    assert "di luar wilayah kerja" in error["message_id"]
    assert Person.objects.count() == 1
    lookup = AuditEvent.objects.get(actor=personas["operator_b"], changes__has_key=AUDIT_KEY)
    assert lookup.object_id == str(resident.pk)
