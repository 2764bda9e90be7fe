"""The country names now come from CLDR (Babel): every code stored before keeps its meaning.

countries_typed_by_hand.json is the table Lindung kept by hand until then (code -> Indonesian,
English); stored episodes, cases and spreadsheets were written against it.
"""

import json
from pathlib import Path

import pytest
from django.utils import translation

from lindung.lib.countries import COUNTRIES, KEMLU_NAMES, country_name, parse_country

TYPED_BY_HAND = json.loads(
    (Path(__file__).parent / "countries_typed_by_hand.json").read_text(encoding="utf-8")
)


def test_the_same_codes_are_countries() -> None:
    assert set(COUNTRIES) == set(TYPED_BY_HAND)


@pytest.mark.parametrize(("code", "names"), sorted(TYPED_BY_HAND.items()))
def test_a_stored_code_keeps_its_indonesian_name_and_its_names_still_parse(code, names) -> None:
    name_id, name_en = names
    assert COUNTRIES[code][0] == name_id
    assert parse_country(name_id) == code
    assert parse_country(name_en) == code


def test_only_the_spellings_that_differ_are_kept() -> None:
    from babel import Locale

    cldr = Locale("id").territories
    assert all(cldr[code] != name for code, name in KEMLU_NAMES.items())


def test_country_name_follows_the_interface_language() -> None:
    with translation.override("en"):
        assert country_name("DE") == "Germany"
        assert country_name("DE", "id") == "Jerman"
    with translation.override("id"):
        assert country_name("DE") == "Jerman"
        assert country_name("CI") == "Pantai Gading"
        assert country_name("DE", "en") == "Germany"


def test_an_unknown_code_is_shown_as_stored() -> None:
    assert country_name("QQ") == "QQ"
    assert country_name("") == ""
