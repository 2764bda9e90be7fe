"""Finding people: normalised name search and exact NIK search, always within reach."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VILLAGE_B
from lindung.registry.selectors import person_duplicates, person_list
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

MUHAMMAD = ["Muhammad", "Mohammad", "Muhamad", "Moh.", "Mohd.", "M.", "Muh."]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(recorded=st.sampled_from(MUHAMMAD), typed=st.sampled_from(MUHAMMAD))
def test_any_spelling_of_muhammad_finds_the_others(personas, recorded, typed):
    operator = personas["operator_a"]
    person = make_person(operator, name=f"{recorded} Yusuf", sex="M")
    found = person_list(user=operator, filters={"q": f"{typed.lower()} yusuf"})
    assert person in found
    person.archived_at = date(2026, 1, 1)  # keep the next example's search clean
    person.save(update_fields=["archived_at"])


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(["Sutrisno", "Wagiyem", "Paijo", "Tukiyem", "Sarmini"]))
def test_a_single_name_is_found_by_any_part_and_case(personas, name):
    operator = personas["operator_a"]
    person = make_person(operator, name=name)
    assert person in person_list(user=operator, filters={"q": name.upper()})
    assert person in person_list(user=operator, filters={"q": name[1:4]})
    person.archived_at = date(2026, 1, 1)
    person.save(update_fields=["archived_at"])


def test_old_spellings_find_modern_ones(personas):
    operator = personas["operator_a"]
    person = make_person(operator, name="Djoko Tjahjono", sex="M")
    assert person in person_list(user=operator, filters={"q": "joko cahyono"})


def test_nik_search_is_exact_and_scoped(personas):
    person = make_person(personas["operator_b"], village=VILLAGE_B)
    assert list(person_list(user=personas["operator_b"], filters={"q": person.nik})) == [person]
    assert list(person_list(user=personas["operator_a"], filters={"q": person.nik})) == []
    assert list(person_list(user=personas["disnaker"], filters={"q": person.nik})) == [person]


def test_a_nik_is_found_by_its_start_and_as_typed_with_separators(personas):
    person = make_person(personas["operator_b"], village=VILLAGE_B)
    user = personas["operator_b"]
    spaced = " ".join(person.nik[i : i + 4] for i in range(0, 16, 4))
    assert list(person_list(user=user, filters={"q": spaced})) == [person]
    assert list(person_list(user=user, filters={"q": person.nik[:8]})) == [person]
    other = "1" if person.nik[6] == "0" else "0"
    assert list(person_list(user=user, filters={"q": person.nik[:6] + other})) == []
    # Five digits are too few to be read as a NIK: they are looked for in the names.
    assert list(person_list(user=user, filters={"q": person.nik[:5]})) == []


def test_name_search_never_crosses_the_scope(personas):
    make_person(personas["operator_b"], name="Rina Marlina", village=VILLAGE_B)
    assert not person_list(user=personas["operator_a"], filters={"q": "rina"}).exists()
    assert not person_list(user=personas["bp3mi_other"], filters={"q": "rina"}).exists()
    assert person_list(user=personas["bp3mi"], filters={"q": "rina"}).exists()


def test_duplicates_same_name_and_birth_anywhere_close_birth_in_same_village_or_same_kk(
    personas,
):
    operator = personas["operator_a"]
    same = make_person(operator, name="Siti Aminah", birth=date(1990, 5, 5))
    close = make_person(operator, name="Siti  aminah", birth=date(1990, 9, 1))
    far = make_person(operator, name="Siti Aminah", birth=date(1970, 1, 1))
    kk = make_person(operator, name="Siti Aminah", birth=date(1960, 1, 1), kk_number="1" * 16)
    found = person_duplicates(
        user=personas["disnaker"],
        full_name="SITI AMINAH",
        birth_date=date(1990, 5, 5),
        village_code="18.11.01.2001",
        kk_number="1" * 16,
    )
    assert same in found and close in found and kk in found and far not in found


def test_village_filter_offers_the_villages_in_reach(personas):
    from conftest import VILLAGE_A
    from lindung.registry.selectors import filter_villages

    regency = [a.code for a in filter_villages(user=personas["disnaker"])]
    assert len(regency) == 105 and {VILLAGE_A, VILLAGE_B} <= set(regency)
    assert all(code.startswith("18.11.") for code in regency)
    assert [a.code for a in filter_villages(user=personas["operator_a"])] == [VILLAGE_A]
    # A province has thousands of villages: the filter becomes a code box instead.
    assert filter_villages(user=personas["bp3mi_other"]) is None


@pytest.mark.parametrize("few", [1000, 2])
def test_a_name_search_lists_its_matches_in_name_order_however_many_match(
    personas, monkeypatch, few
):
    """A search that few persons match is sorted by itself (PostgreSQL: the matches are
    looked up first, at most FEW_MATCHES + 1); one that many match walks the names in order.
    Both give the same page, in name order, and a page further on from its last row."""
    from django.db import connection

    from lindung.lib.keyset import keyset_page
    from lindung.registry import selectors

    monkeypatch.setattr(selectors, "FEW_MATCHES", few)
    operator = personas["operator_a"]
    names = ["Sri Wahyuni", "Wahyuningsih", "Ani Wahyuni", "Tri Wahyuni", "Budi Santoso"]
    people = {name: make_person(operator, name=name) for name in names}
    qs = person_list(user=personas["disnaker"], filters={"q": "wahyuni"})
    by_ids = '"registry_person"."id" IN (' in str(qs.query)
    assert by_ids == (connection.vendor == "postgresql" and few >= 4)
    first = keyset_page(qs, order=selectors.PERSON_ORDER, after=None, size=2)
    assert [p.full_name for p in first.rows] == ["Ani Wahyuni", "Sri Wahyuni"]
    rest = keyset_page(qs, order=selectors.PERSON_ORDER, after=first.next_token, size=2)
    assert [p.full_name for p in rest.rows] == ["Tri Wahyuni", "Wahyuningsih"]
    assert people["Budi Santoso"] not in qs


@pytest.mark.postgres
def test_the_name_look_up_puts_the_planner_setting_back(personas):
    """Decision record 28: the look-up of a few matches sets sequential scans aside for
    itself only; the rest of the request plans as before."""
    from django.db import connection

    make_person(personas["operator_a"], name="Sri Wahyuni")
    with connection.cursor() as cursor:
        list(person_list(user=personas["kp2mi"], filters={"q": "wahyuni"}))
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
