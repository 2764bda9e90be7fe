"""The OpenSID resident push: the importer's parsing, an answer per row."""

from datetime import date

import pytest

from conftest import VILLAGE_B
from lindung.audit.models import Action, AuditEvent
from lindung.lib.nik import encode_nik
from lindung.registry.models import Person

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange/opensid/residents"


def resident(serial, **extra):
    birth = date(1996, 4, 17)
    return {
        "nik": encode_nik(district_code="18.11.01", birth_date=birth, sex="F", serial=serial),
        "nama": "ANI SURYANI",
        "sex": 2,  # OpenSID's Dukcapil code for women
        "tempatlahir": "MESUJI",
        "tanggallahir": birth.isoformat(),
        "dusun": "Dusun I",
        "rt": "001",
        "rw": "002",
        **extra,
    }


def test_opensid_push_takes_good_rows_and_says_why_others_are_refused(call, personas):
    rows = [
        resident(11),
        resident(12, nik="123"),
        {"nik": "", "nama": "", "sex": None, "tanggallahir": ""},
        resident(13, nama="BUDI", sex=1),  # a woman's NIK for a man: refused, not guessed
    ]
    response = call("operator_a", "post", URL, json={"residents": rows})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["received"] == 4 and body["created"] == 1 and body["refused"] == 2
    taken = [r for r in body["rows"] if r["taken"]]
    assert [r["index"] for r in taken] == [0]
    person = Person.objects.get(nik=rows[0]["nik"])
    assert person.sex == "F" and person.full_name == "ANI SURYANI"
    assert person.created_by == personas["operator_a"]
    assert AuditEvent.objects.filter(action=Action.IMPORT, actor=personas["operator_a"]).exists()
    bad_nik = body["rows"][1]
    assert not bad_nik["taken"] and bad_nik["errors"][0]["field"] == "nik"
    assert bad_nik["errors"][0]["message_id"] and bad_nik["errors"][0]["message_en"]
    assert body["rows"][2]["errors"][0]["code"] == "empty"
    assert not body["rows"][3]["taken"]
    # Sent again: nothing new, nothing doubled.
    again = call("operator_a", "post", URL, json={"residents": rows[:1]}).json()
    assert again["created"] == 0 and again["unchanged"] + again["updated"] == 1
    assert Person.objects.filter(nik=rows[0]["nik"]).count() == 1


def test_opensid_push_into_another_village_is_refused(call):
    response = call(
        "operator_a", "post", f"{URL}?area={VILLAGE_B}", json={"residents": [resident(21)]}
    )
    assert response.status_code == 404
    assert not Person.objects.exists()


def test_opensid_push_needs_the_required_columns(call):
    response = call("operator_a", "post", URL, json={"residents": [{"nama": "ANI"}]})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "residents" and error["code"] in ("no_header", "missing_columns")
    response = call("operator_a", "post", URL, json={"residents": [{"nik": "1", "nama": "A"}]})
    assert response.json()["errors"][0]["code"] == "missing_columns"
    assert "Jenis kelamin" in response.json()["errors"][0]["message_id"]


def test_readers_cannot_push(call):
    assert call("opd", "post", URL, json={"residents": [resident(31)]}).status_code == 403
