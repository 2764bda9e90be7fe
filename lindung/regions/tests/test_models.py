"""Area codes carry the hierarchy; titles read as people say them."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lindung.regions.models import (
    CODE_WIDTHS,
    Area,
    Level,
    ancestor_codes,
    child_code_width,
    level_of_code,
)


@pytest.mark.parametrize(
    ("code", "level"),
    [("", 0), (None, 0), ("18", 1), ("18.11", 2), ("18.11.01", 3), ("18.11.01.2001", 4)],
)
def test_the_level_of_a_code_is_its_number_of_parts(code, level):
    assert level_of_code(code) == level


@pytest.mark.parametrize(
    ("code", "width"),
    [(None, 2), ("", 2), ("18", 5), ("18.11", 8), ("18.11.01", 13)],
)
def test_the_codes_one_level_below_have_the_next_width(code, width):
    assert child_code_width(code) == width


def test_each_level_has_the_width_of_its_codes():
    for code in ("", "18", "18.11", "18.11.01", "18.11.01.2001"):
        assert CODE_WIDTHS[level_of_code(code)] == len(code)


def test_ancestor_codes_run_from_the_province_down_to_the_code():
    assert ancestor_codes("18.11.01.2001") == ["18", "18.11", "18.11.01", "18.11.01.2001"]
    assert ancestor_codes("18") == ["18"]


codes = st.lists(
    st.text(alphabet="0123456789", min_size=1, max_size=4), min_size=1, max_size=4
).map(".".join)


@given(codes)
def test_every_ancestor_is_a_prefix_and_the_last_is_the_code_itself(code):
    chain = ancestor_codes(code)
    assert chain[-1] == code
    assert len(chain) == level_of_code(code)
    for upper, lower in zip(chain, chain[1:], strict=False):
        assert lower.startswith(upper + ".")


def test_a_village_title_names_desa_or_kelurahan_by_the_code():
    desa = Area(code="18.11.01.2001", level=Level.VILLAGE, name="Wiralaga I")
    kelurahan = Area(code="18.71.01.1003", level=Level.VILLAGE, name="Kedaton")
    assert not desa.is_kelurahan
    assert kelurahan.is_kelurahan
    with translation.override("en"):
        assert desa.title == "Village Wiralaga I"
        assert kelurahan.title == "Kelurahan Kedaton"
    with translation.override("id"):
        assert desa.title == "Desa Wiralaga I"
        assert kelurahan.title == "Kelurahan Kedaton"


def test_a_district_title_carries_its_kind_and_a_regency_its_own_name():
    with translation.override("id"):
        district = Area(code="18.11.01", level=Level.DISTRICT, name="Mesuji")
        regency = Area(code="18.11", level=Level.REGENCY, name="Kabupaten Mesuji")
        village = Area(code="18.11.01.2001", level=Level.VILLAGE, name="Wiralaga I")
        assert district.title == "Kecamatan Mesuji"
        assert village.title == "Desa Wiralaga I"
        assert regency.title == "Kabupaten Mesuji"
        assert str(regency) == "Kabupaten Mesuji"
