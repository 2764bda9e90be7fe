"""ISO 3166-1 alpha-2 countries with Indonesian (Kemlu/BPS) and English names.

The names come from the Unicode CLDR data that Babel carries; only the Indonesian spellings
Kemlu writes differently are kept here. A stored code keeps its meaning: the set of codes is
ISO 3166-1's, which CLDR follows.
"""

from __future__ import annotations

import difflib
import unicodedata

from babel import Locale
from django.utils.translation import get_language

from lindung.lib.cells import CellError

# Territories CLDR names with two letters that are not ISO 3166-1 countries: exceptionally
# reserved codes (Ascension, Canary Islands, Ceuta and Melilla, Diego Garcia, Tristan da Cunha,
# Clipperton, Sark), groupings (EU, eurozone, UN, outlying Oceania) and private-use codes.
NOT_ISO_3166_1 = {
    "AC",
    "CP",
    "CQ",
    "DG",
    "EA",
    "EU",
    "EZ",
    "IC",
    "QO",
    "TA",
    "UN",
    "XA",
    "XB",
    "XK",
    "ZZ",
}

# Where the Indonesian name the Ministry of Foreign Affairs (Kemlu) and BPS write differs from
# CLDR's, the Kemlu spelling: it is the one village operators type and reports print.
KEMLU_NAMES: dict[str, str] = {
    "AQ": "Antartika",
    "AX": "Kepulauan Åland",
    "BQ": "Bonaire, Sint Eustatius, dan Saba",
    "CD": "Republik Demokratik Kongo",
    "CG": "Kongo",
    "CI": "Pantai Gading",
    "CL": "Chili",
    "CX": "Pulau Christmas",
    "DJ": "Djibouti",
    "GB": "Inggris (Britania Raya)",
    "GQ": "Guinea Khatulistiwa",
    "GS": "Georgia Selatan dan Kepulauan Sandwich Selatan",
    "HK": "Hong Kong",
    "HU": "Hongaria",
    "IO": "Wilayah Samudra Hindia Britania",
    "MF": "Saint Martin (Prancis)",
    "MM": "Myanmar",
    "MO": "Makau",
    "NF": "Pulau Norfolk",
    "PS": "Palestina",
    "SH": "Saint Helena, Ascension, dan Tristan da Cunha",
    "SJ": "Svalbard dan Jan Mayen",
    "SK": "Slowakia",
    "SX": "Sint Maarten (Belanda)",
    "SZ": "Eswatini",
    "UM": "Kepulauan Terluar Kecil Amerika Serikat",
    "VC": "Saint Vincent dan Grenadines",
    "WF": "Wallis dan Futuna",
}


def _countries() -> dict[str, tuple[str, str]]:
    indonesian = Locale("id").territories
    english = Locale("en").territories
    return {
        code: (KEMLU_NAMES.get(code, indonesian[code]), english[code])
        for code in sorted(english)
        if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166_1
    }


# code -> (name_id, name_en), from the CLDR data Babel carries.
COUNTRIES: dict[str, tuple[str, str]] = _countries()

# Extra spellings typed by village operators, including destination cities and regions
# that are written in the country column. Keys are normalised by _key().
ALIASES: dict[str, str] = {
    # Hong Kong, Macao, Taiwan, China
    "Hongkong": "HK",
    "Hong Kong SAR": "HK",
    "Hong Kong SAR China": "HK",
    "HKSAR": "HK",
    "Makau": "MO",
    "Macau": "MO",
    "Makao": "MO",
    "Macao SAR": "MO",
    "Taiwan ROC": "TW",
    "Taiwan R.O.C": "TW",
    "Taiwan Republic of China": "TW",
    "Republic of China": "TW",
    "ROC": "TW",
    "Taiwan Province of China": "TW",
    "Taiwan, Provinsi China": "TW",
    "Taipei": "TW",
    "Taipei Cina": "TW",
    "Chinese Taipei": "TW",
    "Taiwan (Chinese Taipei)": "TW",
    "Tiongkok": "CN",
    "Cina": "CN",
    "China": "CN",
    "Chine": "CN",
    "RRC": "CN",
    "RRT": "CN",
    "PRC": "CN",
    "RRT (Tiongkok)": "CN",
    "Republik Rakyat Tiongkok": "CN",
    "Republik Rakyat Cina": "CN",
    "People's Republic of China": "CN",
    # Korea, Japan
    "Korsel": "KR",
    "Korea": "KR",
    "Korea Selatan": "KR",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "Korea, Republic of": "KR",
    "Korea Republik": "KR",
    "ROK": "KR",
    "Korut": "KP",
    "North Korea": "KP",
    "Jepang": "JP",
    "Japan": "JP",
    "Jepun": "JP",
    "Nippon": "JP",
    # Malaysia, Singapore, Brunei
    "Malaysia": "MY",
    "Malaisia": "MY",
    "Malaysa": "MY",
    "Malasia": "MY",
    "Malaysya": "MY",
    "Malysia": "MY",
    "Malayasia": "MY",
    "Malaisya": "MY",
    "Malaysia Barat": "MY",
    "Malaysia Timur": "MY",
    "Kuala Lumpur": "MY",
    "Sabah": "MY",
    "Sarawak": "MY",
    "Johor": "MY",
    "Johor Bahru": "MY",
    "Penang": "MY",
    "Singapore": "SG",
    "Singapura": "SG",
    "Singapur": "SG",
    "Brunei": "BN",
    "Brunai": "BN",
    "Brunei Darussalam": "BN",
    "Brunei Darusalam": "BN",
    # Middle East
    "Arab Saudi": "SA",
    "Saudi": "SA",
    "Saudi Arabia": "SA",
    "Saudi Arabiya": "SA",
    "Arab Saudia": "SA",
    "Arab Saudy": "SA",
    "Kerajaan Arab Saudi": "SA",
    "Kingdom of Saudi Arabia": "SA",
    "KSA": "SA",
    "Riyadh": "SA",
    "Jeddah": "SA",
    "Jedah": "SA",
    "Mekah": "SA",
    "Makkah": "SA",
    "Mekkah": "SA",
    "Madinah": "SA",
    "UEA": "AE",
    "UAE": "AE",
    "Emirat Arab": "AE",
    "Uni Emirat Arab": "AE",
    "Emirates": "AE",
    "Dubai": "AE",
    "Dubay": "AE",
    "Abu Dhabi": "AE",
    "Abudhabi": "AE",
    "Abu Dabi": "AE",
    "Sharjah": "AE",
    "Qatar": "QA",
    "Katar": "QA",
    "Doha": "QA",
    "Kuwait": "KW",
    "Kuwet": "KW",
    "Oman": "OM",
    "Muscat": "OM",
    "Bahrain": "BH",
    "Bahrein": "BH",
    "Yordania": "JO",
    "Jordania": "JO",
    "Jordan": "JO",
    "Yordan": "JO",
    "Amman": "JO",
    "Turki": "TR",
    "Turkiye": "TR",
    "Turkey": "TR",
    "Istanbul": "TR",
    "Mesir": "EG",
    "Egypt": "EG",
    "Suriah": "SY",
    "Syria": "SY",
    "Palestina": "PS",
    "Palestine": "PS",
    "Irak": "IQ",
    "Iraq": "IQ",
    "Iran": "IR",
    # Europe
    "Polandia": "PL",
    "Polska": "PL",
    "Poland": "PL",
    "Italia": "IT",
    "Italy": "IT",
    "Jerman": "DE",
    "Germany": "DE",
    "Deutschland": "DE",
    "Belanda": "NL",
    "Netherlands": "NL",
    "The Netherlands": "NL",
    "Holland": "NL",
    "Nederland": "NL",
    "Prancis": "FR",
    "Perancis": "FR",
    "France": "FR",
    "Inggris": "GB",
    "Britania Raya": "GB",
    "Inggris Raya": "GB",
    "United Kingdom": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "UK": "GB",
    "Spanyol": "ES",
    "Spain": "ES",
    "Rusia": "RU",
    "Russia": "RU",
    "Russian Federation": "RU",
    "Ceko": "CZ",
    "Czech": "CZ",
    "Czech Republic": "CZ",
    "Republik Ceko": "CZ",
    "Swiss": "CH",
    "Switzerland": "CH",
    "Vatikan": "VA",
    "Vatican": "VA",
    # Americas, Oceania
    "Amerika": "US",
    "Amerika Serikat": "US",
    "USA": "US",
    "U.S.A.": "US",
    "United States of America": "US",
    "America": "US",
    "Kanada": "CA",
    "Canada": "CA",
    "Australia": "AU",
    "Ostrali": "AU",
    "Selandia Baru": "NZ",
    "New Zealand": "NZ",
    "Papua Nugini": "PG",
    "PNG": "PG",
    # Asia
    "Filipina": "PH",
    "Philippines": "PH",
    "Philipina": "PH",
    "Pilipina": "PH",
    "Thailand": "TH",
    "Muangthai": "TH",
    "Thai": "TH",
    "Vietnam": "VN",
    "Viet Nam": "VN",
    "Laos": "LA",
    "Kamboja": "KH",
    "Cambodia": "KH",
    "Myanmar": "MM",
    "Burma": "MM",
    "Timor Leste": "TL",
    "Timor Timur": "TL",
    "East Timor": "TL",
    "RDTL": "TL",
    "India": "IN",
    "Indonesia": "ID",
    "RI": "ID",
    "NKRI": "ID",
    "Maladewa": "MV",
    "Maldives": "MV",
    "Pantai Gading": "CI",
    "Ivory Coast": "CI",
    "Tanjung Verde": "CV",
    "Cape Verde": "CV",
    # The English names of ISO 3166-1 where CLDR has a shorter or older form
    "Bonaire, Sint Eustatius and Saba": "BQ",
    "Democratic Republic of the Congo": "CD",
    "Congo": "CG",
    "Cabo Verde": "CV",
    "South Georgia and the South Sandwich Islands": "GS",
    "Saint Martin (French part)": "MF",
    "Macao": "MO",
    "Pitcairn": "PN",
    "Sint Maarten (Dutch part)": "SX",
    "French Southern Territories": "TF",
    "United States Minor Outlying Islands": "UM",
    "Saint Vincent and the Grenadines": "VC",
}


def _key(text: str) -> str:
    """Normalise a name for lookup: no accents, case, punctuation or spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isascii() and ch.isalnum())


def _build_lookup() -> dict[str, str]:
    """Map every normalised code, name and alias to its alpha-2 code."""
    lookup: dict[str, str] = {}
    for code, names in COUNTRIES.items():
        lookup[_key(code)] = code
        for name in names:
            lookup.setdefault(_key(name), code)
            # CLDR's short English forms ("St. Lucia", "Trinidad & Tobago") written out.
            lookup.setdefault(_key(name.replace("&", "and").replace("St. ", "Saint ")), code)
    for alias, code in ALIASES.items():
        lookup[_key(alias)] = code
    return lookup


_LOOKUP: dict[str, str] = _build_lookup()


def country_name(code: str, language: str | None = None) -> str:
    """The name of a country in `language` ("id" or "en"; the interface language when not
    given); an unknown code is shown as it is, no code as ""."""
    names = COUNTRIES.get(code)
    if names is None:
        return code or ""
    if language is None:
        language = get_language() or "id"
    return names[1] if language.startswith("en") else names[0]


def country_choices(lang: str = "id") -> list[tuple[str, str]]:
    """Return (code, name) pairs for a form field, sorted by name in the given language."""
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', not {lang!r}")
    index = 0 if lang == "id" else 1
    choices = [(code, names[index]) for code, names in COUNTRIES.items()]
    return sorted(choices, key=lambda choice: (_key(choice[1]), choice[0]))


def suggest_country(raw: str) -> str:
    """Return the Indonesian name of the closest known country spelling, or ""."""
    key = _key(raw)
    if len(key) < 3:
        return ""
    matches = difflib.get_close_matches(key, _LOOKUP, n=1, cutoff=0.75)
    return COUNTRIES[_LOOKUP[matches[0]]][0] if matches else ""


def parse_country(raw: str | None) -> str:
    """Return the ISO 3166-1 alpha-2 code for a code, name or common variant."""
    text = "" if raw is None else str(raw).strip()
    key = _key(text)
    if not key:
        raise CellError("empty")
    if key in _LOOKUP:
        return _LOOKUP[key]
    raise CellError("country_unknown", value=text, suggestion=suggest_country(text))
