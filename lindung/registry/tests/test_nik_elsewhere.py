"""A NIK typed on a form or in an import file never tells where its holder lives when that is
outside the user's area: the user reads that it is registered elsewhere and whom to ask, and
the look-up is audited."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import VILLAGE_B
from lindung.audit.models import AuditEvent
from lindung.registry.models import Person
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

BORN = date(1998, 7, 9)


def registration(nik, village):
    return {
        "nik": nik,
        "full_name": "Someone Else",
        "sex": "F",
        "birth_date": BORN.isoformat(),
        "village": village,
        "confirm_new": "1",
    }


@pytest.fixture
def resident_of_a(personas):
    return make_person(personas["operator_a"], name="Warga Wiralaga", birth=BORN)


def _lookups(actor):
    return AuditEvent.objects.filter(actor=actor, changes__has_key="nik_registered_elsewhere")


def test_the_registration_form_does_not_name_another_area(personas, client_as, resident_of_a):
    operator_b = personas["operator_b"]
    response = client_as(operator_b).post(
        reverse("registry:person_create"), registration(resident_of_a.nik, VILLAGE_B)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wiralaga" not in page
    assert "Disnaker" in page and "Mesuji" in page  # whom to contact: the user's regency office
    assert Person.objects.count() == 1
    lookup = _lookups(operator_b).get()
    assert (lookup.object_type, lookup.object_id) == ("registry.person", str(resident_of_a.pk))
    assert lookup.area_code == resident_of_a.village_id  # the holder's area sees the probe


def test_within_the_area_the_village_is_named(personas, client_as, resident_of_a):
    disnaker = personas["disnaker"]
    response = client_as(disnaker).post(
        reverse("registry:person_create"), registration(resident_of_a.nik, VILLAGE_B)
    )
    assert "Wiralaga" in response.content.decode()
    assert not _lookups(disnaker).exists()


def test_the_complaint_form_does_not_name_another_area(personas, client_as, resident_of_a):
    operator_b = personas["operator_b"]
    response = client_as(operator_b).post(
        reverse("cases:case_create"),
        {
            "nik": resident_of_a.nik,
            "full_name": "Someone Else",
            "sex": "F",
            "birth_date": BORN.isoformat(),
            "village": VILLAGE_B,
            "categories": ["wages_unpaid"],
            "reported_on": date.today().isoformat(),
            "reporter_kind": "worker",
            "channel": "walk_in",
            "narrative": "Gaji belum dibayar.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wiralaga" not in page
    assert "Disnaker" in page and "Mesuji" in page
    assert _lookups(operator_b).count() == 1


def test_a_dry_run_import_names_no_area_and_is_audited_once(
    personas, resident_of_a, tmp_path, settings
):
    from lindung.imports.tests.factories import HEADER, person_row, write_xlsx
    from lindung.imports.tests.test_engine import apply
    from lindung.regions.models import Area

    settings.MEDIA_ROOT = tmp_path
    others = [make_person(personas["operator_a"], name=f"Warga {i}", birth=BORN) for i in range(3)]
    rows = [HEADER]
    for person in [resident_of_a, *others]:
        row = person_row(1, village="Sido Mulyo", born=BORN)
        row[HEADER.index("NIK")] = person.nik
        rows.append(row)
    operator_b = personas["operator_b"]
    result = apply(
        write_xlsx(tmp_path / "a.xlsx", rows), Area.objects.get(code=VILLAGE_B), operator_b, False
    )
    outside = [i for i in result.issues if i["code"] == "outside_scope"]
    assert len(outside) == 4
    for issue in outside:
        assert "Wiralaga" not in issue["message"]
        assert "Disnaker Kabupaten Mesuji" in issue["message"]
    lookup = _lookups(operator_b).get()
    assert lookup.changes["nik_registered_elsewhere"] == 4
    assert lookup.area_code == VILLAGE_B
