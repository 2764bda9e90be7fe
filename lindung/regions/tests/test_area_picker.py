"""The area picker: one text field for every area field, by name or code, with suggestions
from /wilayah/pilih/ within the user's reach, and a server that resolves what was typed."""

import pytest
from django import forms

from lindung.accounts.area_forms import AreaField, AreasField

pytestmark = pytest.mark.django_db


def test_suggestions_by_name_stay_within_the_users_reach(personas, client_as):
    data = client_as(personas["disnaker"]).get(
        "/wilayah/pilih/", {"q": "wiralaga", "format": "json", "level": "4"}
    )
    labels = [r["label"] for r in data.json()["results"]]
    assert "Desa Wiralaga I, Mesuji Timur, Mesuji (18.11.01.2001)" in labels or any(
        "(18.11.01.2001)" in label for label in labels
    )
    assert all(r["code"].startswith("18.11.") for r in data.json()["results"])
    other = client_as(personas["bp3mi_other"]).get(
        "/wilayah/pilih/", {"q": "wiralaga", "format": "json"}
    )
    assert other.json()["results"] == []


def test_suggestions_by_code_prefix_and_any_for_public_names(personas, client_as):
    client = client_as(personas["operator_a"])
    mine = client.get("/wilayah/pilih/", {"q": "18.11.01", "format": "json"}).json()["results"]
    assert [r["code"] for r in mine] == ["18.11.01.2001"]
    anywhere = client.get("/wilayah/pilih/", {"q": "18.11.01", "format": "json", "any": "1"})
    assert anywhere.json()["results"][0]["code"] == "18.11.01"


def test_without_a_script_the_page_lists_the_areas(personas, client_as):
    page = client_as(personas["disnaker"]).get("/wilayah/pilih/", {"q": "sido mulyo"})
    assert "(18.11.01.2005)" in page.text


@pytest.mark.parametrize(
    "typed",
    ["18.11.01.2005", "Desa Sido Mulyo, Mesuji Timur, Mesuji (18.11.01.2005)", "sido mulyo"],
)
def test_the_field_takes_a_code_a_picked_label_or_a_unique_name(personas, typed):
    field = AreaField(levels=(4,), user=personas["disnaker"])
    assert field.clean(typed).code == "18.11.01.2005"


def test_a_name_several_areas_share_lists_them_to_choose_from(personas):
    field = AreaField(user=personas["kp2mi"])
    with pytest.raises(forms.ValidationError) as error:
        field.clean("Mesuji")
    assert "(18.11)" in str(error.value)


def test_the_field_refuses_an_area_of_the_wrong_level(personas):
    with pytest.raises(forms.ValidationError):
        AreaField(levels=(4,), user=personas["disnaker"]).clean("18.11.01")


def test_several_areas_by_codes_or_names(personas):
    field = AreasField(user=personas["disnaker"], required=False)
    areas = field.clean("18.11.01.2001 18.11.01.2005, sido mulyo")
    assert [a.code for a in areas] == ["18.11.01.2001", "18.11.01.2005"]
