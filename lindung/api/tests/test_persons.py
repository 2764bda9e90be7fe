"""Persons through the API: read and written only within the token's area."""

from datetime import date

import pytest

from conftest import VILLAGE_A, VILLAGE_B
from lindung.audit.models import Action, AuditEvent
from lindung.lib.nik import encode_nik
from lindung.registry.models import Person
from lindung.registry.tests.factories import make_person, open_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents(personas):
    """Siti in village A, Sri in village B (same regency)."""
    return {
        "a": make_person(personas["operator_a"], name="Siti Aminah"),
        "b": make_person(personas["operator_b"], name="Sri Wahyuni", village=VILLAGE_B),
    }


def find(call, persona, query):
    response = call(persona, "get", f"/api/v1/persons?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_nik_lookup_finds_a_person_of_the_own_village(call, residents):
    body = find(call, "operator_a", f"nik={residents['a'].nik}")
    assert [p["full_name"] for p in body["items"]] == ["Siti Aminah"]
    assert body["items"][0]["village"] == VILLAGE_A


def test_nik_outside_the_area_is_answered_as_an_unknown_nik(call, residents, client):
    outside = call("operator_a", "get", f"/api/v1/persons?nik={residents['b'].nik}")
    unknown_nik = encode_nik(
        district_code="18.11.01", birth_date=date(1990, 1, 1), sex="M", serial=9876
    )
    unknown = call("operator_a", "get", f"/api/v1/persons?nik={unknown_nik}")
    assert outside.status_code == unknown.status_code == 200
    assert outside.content == unknown.content
    assert outside.json() == {"items": [], "next": None}


def test_regency_token_sees_its_whole_regency_and_not_beyond(call, residents, personas):
    body = find(call, "disnaker", "limit=100")
    assert {p["full_name"] for p in body["items"]} == {"Siti Aminah", "Sri Wahyuni"}
    assert find(call, "bp3mi_other", f"nik={residents['a'].nik}")["items"] == []
    assert find(call, "bp3mi_other", "limit=100")["items"] == []


def test_village_token_lists_only_its_village(call, residents):
    names = {p["full_name"] for p in find(call, "operator_a", "limit=100")["items"]}
    assert names == {"Siti Aminah"}
    # Naming another village's area gives nothing either.
    assert find(call, "operator_a", f"area={VILLAGE_B}")["items"] == []


def test_name_search_pages_with_cursors_without_gaps_or_repeats(call, personas):
    for i in range(7):
        make_person(personas["operator_a"], name=f"Wati Lestari {'ABCDEFG'[i]}")
    seen, cursor, pages = [], None, 0
    while True:
        query = "name=wati&limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = find(call, "disnaker", query)
        seen += [p["full_name"] for p in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_page_size_above_the_cap_is_a_problem_document(call):
    response = call("disnaker", "get", "/api/v1/persons?limit=101")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "limit" and error["code"] == "less_than_equal"
    assert error["message_id"] == "Angka ini terlalu besar."


def test_a_broken_cursor_is_a_problem_not_a_500(call):
    for cursor in ("abc", "W10", "WyJhIiwgOTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"):
        response = call("disnaker", "get", f"/api/v1/persons?cursor={cursor}")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cursor"


def test_person_and_episodes_outside_the_area_are_not_found(call, residents, personas):
    open_episode(personas["operator_b"], residents["b"])
    own = call("operator_b", "get", f"/api/v1/persons/{residents['b'].pk}/episodes")
    assert own.status_code == 200
    assert own.json()[0]["events"][0]["kind"] == "registered"
    for url in (
        f"/api/v1/persons/{residents['b'].pk}",
        f"/api/v1/persons/{residents['b'].pk}/episodes",
    ):
        assert call("operator_a", "get", url).status_code == 404
    missing = call("operator_a", "get", "/api/v1/persons/999999")
    outside = call("operator_a", "get", f"/api/v1/persons/{residents['b'].pk}")
    assert missing.json()["errors"] == outside.json()["errors"]


def valid_person(village=VILLAGE_A, serial=4321, **extra):
    birth = date(1998, 7, 9)
    return {
        "nik": encode_nik(district_code="18.11.01", birth_date=birth, sex="F", serial=serial),
        "full_name": "Dewi Kartika",
        "sex": "F",
        "birth_date": birth.isoformat(),
        "village": village,
        **extra,
    }


def test_village_token_registers_a_person_through_the_registry_service(call, personas):
    response = call("operator_a", "post", "/api/v1/persons", json=valid_person())
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.created_by == personas["operator_a"]
    assert person.name_key  # the service's normalisation ran
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="registry.person", object_id=str(person.pk)
    ).exists()


def test_village_token_cannot_register_in_another_village(call):
    response = call("operator_a", "post", "/api/v1/persons", json=valid_person(VILLAGE_B))
    assert response.status_code == 404
    assert not Person.objects.exists()


def test_reader_roles_cannot_register(call):
    response = call("opd", "post", "/api/v1/persons", json=valid_person())
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_a_service_rule_comes_back_as_a_problem_in_both_languages(call, residents):
    data = valid_person(nik=residents["a"].nik, birth_date="1995-03-02", full_name="Siti A")
    response = call("operator_a", "post", "/api/v1/persons", json=data)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "nik"
    assert "already registered" in error["message_en"]
    assert "sudah terdaftar" in error["message_id"]
    assert "Wiralaga" in error["message_id"]  # the placeholder was filled in Indonesian too


def test_invalid_fields_are_each_named(call):
    response = call(
        "operator_a", "post", "/api/v1/persons", json={"nik": "", "sex": "X", "birth_date": "no"}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"nik", "sex", "birth_date", "full_name", "village"} <= fields
