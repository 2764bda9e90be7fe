"""The home is a to-do list for the role: find a resident, the village's work lists, the
village head's verifications, an office's warnings and cases, the figures a tap away."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lindung.placements.services import placement_depart, placement_return
from lindung.registry.tests.factories import check_all, make_person, open_episode

pytestmark = pytest.mark.django_db


def test_a_village_operator_finds_a_resident_by_name_under_the_box(personas, client_as):
    operator = personas["operator_a"]
    make_person(operator, name="Ayu Lestari")
    make_person(operator, name="Budi Santoso", sex="M")
    page = client_as(operator).get("/", {"q": "ayu lest"})
    assert page.status_code == 200
    assert "Ayu Lestari" in page.text and "Budi Santoso" not in page.text
    assert 'href="/penduduk/baru/"' in page.text  # register a resident, on the home


def test_the_search_finds_by_nik_and_answers_a_fragment_for_the_script(personas, client_as):
    person = make_person(personas["operator_a"], name="Ayu Lestari")
    fragment = client_as(personas["operator_a"]).get("/", {"q": person.nik, "partial": "1"})
    assert "Ayu Lestari" in fragment.text and "<html" not in fragment.text


def test_the_search_never_shows_another_village(personas, client_as):
    make_person(personas["operator_b"], name="Ayu Lestari", village="18.11.01.2005")
    page = client_as(personas["operator_a"]).get("/", {"q": "Ayu"})
    assert "Ayu Lestari" not in page.text


def test_the_village_home_lists_the_work_of_the_village(personas, client_as):
    operator = personas["operator_a"]
    today = timezone.localdate()
    waiting = make_person(operator, name="Calon Menunggu")
    open_episode(operator, waiting)
    ready = make_person(operator, name="Calon Lengkap")
    check_all(operator, open_episode(operator, ready))
    silent = make_person(operator, name="Jauh Sunyi")
    placement_depart(
        actor=operator,
        placement=open_episode(operator, silent),
        departed_on=today - timedelta(days=250),
    )
    home_again = make_person(operator, name="Pulang Bulan Ini")
    episode = open_episode(operator, home_again)
    placement_depart(actor=operator, placement=episode, departed_on=today - timedelta(days=400))
    placement_return(actor=operator, placement=episode, returned_on=today, reason="contract_ended")
    page = client_as(operator).get("/")
    lists = {w["id"]: [r["name"] for r in w["rows"]] for w in page.context["work_lists"]}
    assert lists == {
        "waiting": ["Calon Menunggu"],
        "no-check-in": ["Jauh Sunyi"],
        "returned": ["Pulang Bulan Ini"],
    }


def test_the_village_head_sees_how_many_records_wait_for_verification(personas, client_as):
    for name in ("Satu", "Dua", "Tiga"):
        make_person(personas["operator_a"], name=name)
    page = client_as(personas["head_a"]).get("/")
    assert page.context["to_verify"] == 3
    assert "3 data perlu diverifikasi" in page.text


@pytest.mark.parametrize("persona", ["disnaker", "bp3mi", "kp2mi"])
def test_office_homes_open_on_warnings_and_cases_with_the_dashboard_a_tap_away(
    personas, client_as, persona
):
    page = client_as(personas[persona]).get("/")
    assert page.status_code == 200
    assert 'id="warnings"' in page.text and "case-panel" in page.text
    assert page.context["dashboard_url"] in page.text
    assert "figures_html" not in page.context


def test_administrators_land_on_the_national_page(personas, client_as):
    response = client_as(personas["admin"]).get("/")
    assert response.status_code == 302 and response["Location"] == "/wilayah/"
