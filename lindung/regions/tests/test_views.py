"""Each user lands on the home of their jurisdiction and can reach exactly the areas in it."""

import pytest

from lindung.accounts.areas import area_search

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"


def test_a_village_operator_lands_on_the_home_of_the_own_village(personas, client_as):
    response = client_as(personas["operator_a"]).get("/")
    assert response.context["area"].code == "18.11.01.2001"
    assert 'href="/wilayah/18.11.01.2001/"' in response.text


def test_a_regency_user_lands_on_the_home_of_the_regency(personas, client_as):
    response = client_as(personas["disnaker"]).get("/")
    assert response.status_code == 200
    assert response.context["area"].code == "18.11"
    assert 'href="/wilayah/18.11/"' in response.text


def test_the_national_page_shows_the_provinces(personas, client_as):
    response = client_as(personas["kp2mi"]).get("/wilayah/")
    assert response.context["area"] is None
    assert len(response.context["children"]) == 38


def test_anonymous_visitors_are_sent_to_the_login_page(client_as):
    response = client_as(None).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_regional_user_opening_the_national_page_is_sent_home(personas, client_as):
    response = client_as(personas["operator_a"]).get("/wilayah/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_regency_home_shows_its_name_path_and_districts(personas, client_as):
    response = client_as(personas["disnaker"]).get("/wilayah/18.11/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kabupaten Mesuji" in html
    assert "18.11" in html
    children = list(response.context["children"])
    assert len(children) == 7
    assert all(child.parent_id == "18.11" for child in children)
    assert [a.code for a in response.context["path"]] == ["18", "18.11"]
    assert 'href="/wilayah/18.11.01/"' in html


def test_the_village_home_names_the_areas_above_without_linking_them(personas, client_as):
    response = client_as(personas["operator_a"]).get("/wilayah/18.11.01.2001/")
    html = response.content.decode()
    assert "Wiralaga I" in html
    assert "Kabupaten Mesuji" in html and "Lampung" in html
    assert 'href="/wilayah/18.11/"' not in html
    assert 'href="/wilayah/18/"' not in html


def test_the_province_user_can_click_down_the_whole_path(personas, client_as):
    client = client_as(personas["bp3mi"])
    html = client.get("/wilayah/18.11.01.2001/").content.decode()
    for code in ("18", "18.11", "18.11.01"):
        assert f'href="/wilayah/{code}/"' in html
        assert client.get(f"/wilayah/{code}/").status_code == 200


def test_an_unknown_area_code_is_not_found(personas, client_as):
    assert client_as(personas["admin"]).get("/wilayah/99.99/").status_code == 404


def test_the_not_found_page_says_not_found_or_not_allowed(personas, client_as):
    response = client_as(personas["operator_a"]).get("/wilayah/18.11.01.2005/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    assert "Tidak ditemukan atau tidak diizinkan" in response.content.decode()


def test_the_search_finds_any_village_in_the_country_for_a_national_user(personas):
    results = area_search(user=personas["kp2mi"], query="wiralaga")
    codes = {a.code for a in results}
    assert "18.11.01.2001" in codes and "18.11.01.2002" in codes
    # Any village at all, not only the demo regency: the last one in the files.
    far = area_search(user=personas["kp2mi"], query="Kedaton")
    assert any(a.code.startswith("18.71.") for a in far)


def test_the_search_ignores_case_and_extra_spaces(personas):
    results = area_search(user=personas["disnaker"], query="  SIDO   mulyo ")
    assert [a.code for a in results] == ["18.11.01.2005"]


def test_the_search_stays_within_the_users_reach(personas):
    codes = {a.code for a in area_search(user=personas["operator_a"], query="wiralaga")}
    assert codes == {"18.11.01.2001"}
    assert area_search(user=personas["bp3mi_other"], query="wiralaga") == []


def test_the_search_lists_general_areas_before_villages(personas):
    results = area_search(user=personas["bp3mi"], query="mesuji")
    levels = [a.level for a in results]
    assert levels == sorted(levels)
    assert results[0].code == "18.11"


def test_the_search_needs_two_letters(personas):
    assert area_search(user=personas["admin"], query="a") == []


def test_the_search_page_shows_results_with_their_parents(personas, client_as):
    response = client_as(personas["disnaker"]).get("/wilayah/cari/", {"q": "sido mulyo"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/wilayah/18.11.01.2005/"' in html
    assert "Kecamatan Mesuji, Kabupaten Mesuji" in html


def test_the_search_page_says_when_nothing_matches(personas, client_as):
    response = client_as(personas["operator_a"]).get("/wilayah/cari/", {"q": "sido mulyo"})
    assert response.status_code == 200
    assert response.context["results"] == []
    assert "sido mulyo" in response.content.decode()
