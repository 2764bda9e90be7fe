import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.lib.cells import MESSAGES, CellError
from lindung.lib.countries import ALIASES, COUNTRIES, _key, country_choices, parse_country

VARIANTS = {
    "Hongkong": "HK",
    "HK": "HK",
    "Hong Kong": "HK",
    "Hong Kong SAR": "HK",
    "Taiwan": "TW",
    "Taiwan ROC": "TW",
    "Taiwan R.O.C": "TW",
    "Republic of China": "TW",
    "Korsel": "KR",
    "Korea": "KR",
    "South Korea": "KR",
    "Korea Selatan": "KR",
    "Arab Saudi": "SA",
    "Saudi": "SA",
    "Saudi Arabia": "SA",
    "KSA": "SA",
    "Jepang": "JP",
    "Japan": "JP",
    "Brunei": "BN",
    "Brunei Darussalam": "BN",
    "Malaysia": "MY",
    "Malaisia": "MY",
    "Singapore": "SG",
    "Singapura": "SG",
    "UEA": "AE",
    "UAE": "AE",
    "Dubai": "AE",
    "Abu Dhabi": "AE",
    "Qatar": "QA",
    "Kuwait": "KW",
    "Oman": "OM",
    "Bahrain": "BH",
    "Yordania": "JO",
    "Jordan": "JO",
    "Turki": "TR",
    "Turkiye": "TR",
    "Türkiye": "TR",
    "Polandia": "PL",
    "Italia": "IT",
    "Jerman": "DE",
    "Belanda": "NL",
    "Tiongkok": "CN",
    "Cina": "CN",
    "China": "CN",
    "RRC": "CN",
    "Amerika": "US",
    "USA": "US",
    "Amerika Serikat": "US",
    "Australia": "AU",
    "Selandia Baru": "NZ",
    "Makau": "MO",
    "Macau": "MO",
    "Macao": "MO",
    "Inggris": "GB",
    "UK": "GB",
    "Prancis": "FR",
    "Perancis": "FR",
    "Filipina": "PH",
    "Uni Emirat Arab": "AE",
}

KEMLU_NAMES = {
    "HK": "Hong Kong",
    "TW": "Taiwan",
    "MY": "Malaysia",
    "JP": "Jepang",
    "SG": "Singapura",
    "KR": "Korea Selatan",
    "SA": "Arab Saudi",
    "IT": "Italia",
    "BN": "Brunei Darussalam",
    "TR": "Turki",
    "US": "Amerika Serikat",
    "NL": "Belanda",
    "DE": "Jerman",
    "FR": "Prancis",
    "CN": "Tiongkok",
    "AE": "Uni Emirat Arab",
    "NZ": "Selandia Baru",
    "PH": "Filipina",
    "PL": "Polandia",
    "GB": "Inggris (Britania Raya)",
    "TL": "Timor Leste",
}


def test_full_iso_list() -> None:
    assert len(COUNTRIES) == 249
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in COUNTRIES)
    assert all(name_id and name_en for name_id, name_en in COUNTRIES.values())


@pytest.mark.parametrize(("code", "name_id"), KEMLU_NAMES.items())
def test_indonesian_exonyms(code: str, name_id: str) -> None:
    assert COUNTRIES[code][0] == name_id


@pytest.mark.parametrize("code", sorted(COUNTRIES))
def test_every_code_and_name_parses(code: str) -> None:
    name_id, name_en = COUNTRIES[code]
    assert parse_country(code) == code
    assert parse_country(code.lower()) == code
    assert parse_country(name_id) == code
    assert parse_country(name_en) == code
    assert parse_country(name_id.upper()) == code


@pytest.mark.parametrize(("raw", "code"), VARIANTS.items())
def test_operator_variants(raw: str, code: str) -> None:
    assert parse_country(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("  hong-kong ", "HK"),
        ("HONG  KONG", "HK"),
        ("taiwan r.o.c.", "TW"),
        ("Taiwan (R.O.C.)", "TW"),
        ("arab   saudi", "SA"),
        ("ARAB-SAUDI", "SA"),
        ("korea selatan.", "KR"),
        ("TURKİYE", "TR"),
        ("côte d'ivoire", "CI"),
        ("Cote dIvoire", "CI"),
        ("\tSingapura\n", "SG"),
    ],
)
def test_insensitive_to_case_accents_punctuation_spacing(raw: str, code: str) -> None:
    assert parse_country(raw) == code


def test_aliases_do_not_shadow_codes_and_point_to_real_countries() -> None:
    codes = {code.lower() for code in COUNTRIES}
    for alias, code in ALIASES.items():
        assert code in COUNTRIES, alias
        assert _key(alias) not in codes, alias


def test_alias_does_not_override_another_countrys_name() -> None:
    names = {_key(name): code for code, pair in COUNTRIES.items() for name in pair}
    for alias, code in ALIASES.items():
        assert names.get(_key(alias), code) == code, alias


@pytest.mark.parametrize("raw", ["", "   ", None, "...", "-"])
def test_empty(raw: str | None) -> None:
    with pytest.raises(CellError) as exc:
        parse_country(raw)
    assert exc.value.code == "empty"


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ("Hongkog", "Hong Kong"),
        ("Singapure", "Singapura"),
        ("Jepag", "Jepang"),
        ("Malaysiaa", "Malaysia"),
        ("Taiwn", "Taiwan"),
        ("Saudia", "Arab Saudi"),
    ],
)
def test_unknown_with_suggestion(raw: str, suggestion: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_country(raw)
    assert exc.value.code == "country_unknown"
    assert exc.value.params == {"value": raw, "suggestion": suggestion}
    assert MESSAGES["country_unknown"].format(**exc.value.params)


@pytest.mark.parametrize("raw", ["xyz", "Atlantis", "QQ", "12345"])
def test_unknown_without_suggestion(raw: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_country(raw)
    assert exc.value.code == "country_unknown"
    assert exc.value.params["suggestion"] == ""


def test_country_choices_sorted_by_name() -> None:
    for lang, index in (("id", 0), ("en", 1)):
        choices = country_choices(lang)
        assert len(choices) == len(COUNTRIES)
        assert {code for code, _ in choices} == set(COUNTRIES)
        assert all(name == COUNTRIES[code][index] for code, name in choices)
        keys = [_key(name) for _, name in choices]
        assert keys == sorted(keys)
    assert country_choices() == country_choices("id")
    assert ("DE", "Jerman") in country_choices()
    with pytest.raises(ValueError):
        country_choices("fr")


@given(st.sampled_from(sorted(COUNTRIES)), st.data())
def test_code_in_any_case(code: str, data: st.DataObject) -> None:
    mixed = "".join(data.draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in code)
    assert parse_country(f" {mixed} ") == code


@given(st.one_of(st.text(), st.none()))
def test_never_raises_other_errors(raw: str | None) -> None:
    try:
        code = parse_country(raw)
    except CellError as exc:
        assert exc.code in {"empty", "country_unknown"}
    else:
        assert code in COUNTRIES
