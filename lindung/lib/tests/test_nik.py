from datetime import date, timedelta
from string import Formatter

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lindung.lib.nik import (
    MESSAGES,
    NikError,
    NikInfo,
    NikMismatch,
    clean_nik,
    compare_nik,
    encode_nik,
    nik_mismatches,
    parse_nik,
)

TODAY = date(2025, 6, 15)
MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

area = st.integers(1, 99).map(lambda n: f"{n:02d}")
district_codes = st.builds(lambda p, r, d: f"{p}.{r}.{d}", area, area, area)
todays = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
sexes = st.sampled_from(["M", "F"])
serials = st.integers(1, 9999)


@st.composite
def valid_niks(draw: st.DrawFn, today: date = TODAY) -> str:
    return encode_nik(
        district_code=draw(district_codes),
        birth_date=draw(st.dates(min_value=date(1900, 1, 1), max_value=today)),
        sex=draw(sexes),
        serial=draw(serials),
    )


def error_code(nik: str, today: date = TODAY) -> str:
    with pytest.raises(NikError) as excinfo:
        parse_nik(nik, today=today)
    return excinfo.value.code


# --- clean_nik ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1811014506850001", "1811014506850001"),
        (" 1811 0145 0685 0001 ", "1811014506850001"),
        ("18.11.01.450685.0001", "1811014506850001"),
        ("18-11-01-450685-0001", "1811014506850001"),
        ("'1811014506850001", "1811014506850001"),
        ("\t'18 11 01\n", "181101"),
        ("abc", "abc"),  # no validation
        ("", ""),
    ],
)
def test_clean_nik(raw: str, expected: str) -> None:
    assert clean_nik(raw) == expected


# --- parse_nik examples ------------------------------------------------------------------------


def test_parse_woman() -> None:
    assert parse_nik("1811014506850001", today=TODAY) == NikInfo(
        nik="1811014506850001",
        district_code="18.11.01",
        birth_date=date(1985, 6, 5),
        sex="F",
        serial=1,
    )


def test_parse_man() -> None:
    info = parse_nik("3201023112990123", today=TODAY)
    assert info.district_code == "32.01.02"
    assert info.birth_date == date(1999, 12, 31)
    assert info.sex == "M"
    assert info.serial == 123


def test_parse_defaults_today_to_now() -> None:
    info = parse_nik(
        encode_nik(district_code="18.11.01", birth_date=date(1990, 1, 1), sex="M", serial=1)
    )
    assert info.birth_date == date(1990, 1, 1)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("", "nik_length"),
        ("181101450685000", "nik_length"),
        ("18110145068500011", "nik_length"),
        ("18110145068500a1", "nik_digits"),
        ("1811 01450685000", "nik_digits"),
        ("181101450685000\u0661", "nik_digits"),  # Arabic-Indic one is not an ASCII digit
        ("0011014506850001", "nik_area_zero"),
        ("1800014506850001", "nik_area_zero"),
        ("1811004506850001", "nik_area_zero"),
        ("1811010006850001", "nik_day"),
        ("1811013206850001", "nik_day"),
        ("1811014006850001", "nik_day"),
        ("1811017206850001", "nik_day"),
        ("1811019906850001", "nik_day"),
        ("1811010500850001", "nik_month"),
        ("1811010513850001", "nik_month"),
        ("1811013102110001", "nik_date"),  # 31 Feb
        ("1811012902230001", "nik_date"),  # 29 Feb in a non-leap year
        ("1811017104110001", "nik_date"),  # woman, 31 Apr
        ("1811013106850001", "nik_date"),  # 31 Jun
        ("1811014506850000", "nik_serial"),
    ],
)
def test_parse_errors(nik: str, code: str) -> None:
    assert error_code(nik) == code


def test_error_params() -> None:
    with pytest.raises(NikError) as excinfo:
        parse_nik("12345", today=TODAY)
    assert excinfo.value.params == {"length": 5}
    with pytest.raises(NikError) as excinfo:
        parse_nik("1800014506850001", today=TODAY)
    assert excinfo.value.params == {"part": "regency"}
    with pytest.raises(NikError) as excinfo:
        parse_nik("1811012902230001", today=TODAY)
    assert excinfo.value.params == {"day": "29", "month": "02", "year": "23"}
    assert str(excinfo.value) == "NIK birth date 29-02-23 does not exist."


def test_every_error_code_has_a_message_whose_params_are_supplied() -> None:
    samples = {
        "nik_length": "1",
        "nik_digits": "x",
        "nik_area_zero": "0011014506850001",
        "nik_day": "1811013506850001",
        "nik_month": "1811010513850001",
        "nik_date": "1811013102110001",
        "nik_serial": "1811014506850000",
    }
    for code, nik in samples.items():
        with pytest.raises(NikError) as excinfo:
            parse_nik(nik, today=TODAY)
        assert excinfo.value.code == code
        fields = {f for _, f, _, _ in Formatter().parse(MESSAGES[code]) if f}
        assert fields == set(excinfo.value.params)


# --- century choice ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yymmdd_nik", "today", "expected"),
    [
        ("3201011506250001", date(2025, 6, 15), date(2025, 6, 15)),  # born today
        ("3201011606250001", date(2025, 6, 15), date(1925, 6, 16)),  # tomorrow -> last century
        ("3201010101000001", date(2025, 6, 15), date(2000, 1, 1)),
        ("3201013112990001", date(2025, 6, 15), date(1999, 12, 31)),
        ("3201010101240001", date(2025, 6, 15), date(2024, 1, 1)),
        ("3201010101260001", date(2025, 6, 15), date(1926, 1, 1)),
        ("3201010101260001", date(2026, 1, 1), date(2026, 1, 1)),
        ("3201012902000001", date(2025, 6, 15), date(2000, 2, 29)),  # 2000 is a leap year
        # 2100 is not a leap year, so 29-02-00 falls back to 2000.
        ("3201012902000001", date(2150, 1, 1), date(2000, 2, 29)),
        ("3201010101990001", date(1999, 1, 1), date(1999, 1, 1)),
        ("3201010201990001", date(1999, 1, 1), date(1899, 1, 2)),
    ],
)
def test_century_choice(yymmdd_nik: str, today: date, expected: date) -> None:
    assert parse_nik(yymmdd_nik, today=today).birth_date == expected


# --- properties --------------------------------------------------------------------------------


@given(
    today=todays,
    district_code=district_codes,
    age_days=st.integers(0, 36_500),
    sex=sexes,
    serial=serials,
)
def test_round_trip(today: date, district_code: str, age_days: int, sex: str, serial: int) -> None:
    birth_date = today - timedelta(days=age_days)
    # Within the last 99 full years no later date shares DDMMYY, so the century is unambiguous.
    assume(birth_date.year > today.year - 100)
    nik = encode_nik(district_code=district_code, birth_date=birth_date, sex=sex, serial=serial)
    assert len(nik) == 16 and nik.isdigit()
    expected = NikInfo(nik, district_code, birth_date, sex, serial)  # type: ignore[arg-type]
    assert parse_nik(nik, today=today) == expected


@given(nik=valid_niks(), today=todays)
def test_parse_encode_round_trip(nik: str, today: date) -> None:
    info = parse_nik(nik, today=today)
    assert info.birth_date <= today
    again = encode_nik(
        district_code=info.district_code,
        birth_date=info.birth_date,
        sex=info.sex,
        serial=info.serial,
    )
    assert again == nik


@given(birth_date=st.dates(min_value=date(1926, 1, 1), max_value=TODAY), serial=serials)
def test_women_day_offset(birth_date: date, serial: int) -> None:
    male = encode_nik(district_code="18.11.01", birth_date=birth_date, sex="M", serial=serial)
    female = encode_nik(district_code="18.11.01", birth_date=birth_date, sex="F", serial=serial)
    assert int(female[6:8]) == int(male[6:8]) + 40
    assert 41 <= int(female[6:8]) <= 71
    assert female[:6] + female[8:] == male[:6] + male[8:]
    assert parse_nik(female, today=TODAY).sex == "F"
    assert parse_nik(male, today=TODAY).sex == "M"
    assert parse_nik(female, today=TODAY).birth_date == parse_nik(male, today=TODAY).birth_date


def _ddmm_valid(dd: int, mm: int, yy: int) -> bool:
    """Independent oracle for the date part of a NIK."""
    day = dd - 40 if dd > 40 else dd
    if not 1 <= mm <= 12 or not 1 <= day <= 31:
        return False
    # A 29 Feb with yy divisible by 4 exists in some century (2000, 2004, 1904, ...).
    max_day = 29 if mm == 2 and yy % 4 == 0 else 28 if mm == 2 else MONTH_DAYS[mm - 1]
    return day <= max_day


@given(nik=valid_niks(), position=st.integers(6, 9), digit=st.sampled_from("0123456789"))
def test_single_digit_corruption_of_day_or_month(nik: str, position: int, digit: str) -> None:
    assume(nik[position] != digit)
    corrupted = nik[:position] + digit + nik[position + 1 :]
    dd, mm, yy = int(corrupted[6:8]), int(corrupted[8:10]), int(corrupted[10:12])
    if _ddmm_valid(dd, mm, yy):
        info = parse_nik(corrupted, today=TODAY)
        assert (info.birth_date.day, info.birth_date.month) == (dd % 40 or 40, mm)
    else:
        assert error_code(corrupted) in {"nik_day", "nik_month", "nik_date"}


@given(text=st.text(alphabet="0123456789", max_size=40).filter(lambda s: len(s) != 16))
def test_other_lengths_rejected(text: str) -> None:
    assert error_code(text) == "nik_length"


@given(text=st.text(min_size=16, max_size=16))
def test_arbitrary_16_chars_never_crash(text: str) -> None:
    try:
        info = parse_nik(text, today=TODAY)
    except NikError as exc:
        assert exc.code in MESSAGES
    else:
        assert info.nik == text


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"district_code": "181101"}, "district_code"),
        ({"district_code": "18.00.01"}, "district_code"),
        ({"sex": "L"}, "sex"),
        ({"serial": 0}, "serial"),
        ({"serial": 10000}, "serial"),
    ],
)
def test_encode_rejects_bad_input(kwargs: dict[str, object], fragment: str) -> None:
    args: dict[str, object] = {
        "district_code": "18.11.01",
        "birth_date": date(1985, 6, 5),
        "sex": "F",
        "serial": 1,
    } | kwargs
    with pytest.raises(ValueError, match=fragment):
        encode_nik(**args)  # type: ignore[arg-type]


# --- compare_nik -------------------------------------------------------------------------------

WOMAN_1985 = "1811014506850001"


def test_compare_consistent() -> None:
    assert compare_nik(WOMAN_1985, birth_date=date(1985, 6, 5), sex="F") == []


def test_compare_ignores_century() -> None:
    assert compare_nik(WOMAN_1985, birth_date=date(1885, 6, 5), sex="F") == []


def test_compare_none_values_skipped() -> None:
    assert compare_nik(WOMAN_1985, birth_date=None, sex=None) == []


def test_compare_mismatches() -> None:
    result = compare_nik(WOMAN_1985, birth_date=date(1985, 5, 6), sex="M")
    assert result == [
        NikMismatch("birth_date", date(1985, 6, 5), date(1985, 5, 6)),
        NikMismatch("sex", "F", "M"),
    ]
    assert [m.code for m in result] == ["nik_birth_date_mismatch", "nik_sex_mismatch"]
    for m in result:
        assert MESSAGES[m.code].format(nik_value=m.nik_value, recorded_value=m.recorded_value)


def test_compare_year_mismatch() -> None:
    (mismatch,) = compare_nik(WOMAN_1985, birth_date=date(1986, 6, 5), sex="F")
    assert mismatch.field == "birth_date"


@pytest.mark.parametrize("nik", ["", "123", "1811013102110001", "18110145068500xx"])
def test_compare_invalid_nik_returns_empty(nik: str) -> None:
    assert compare_nik(nik, birth_date=date(1985, 6, 5), sex="F") == []


@given(nik=valid_niks(), birth_date=st.dates(), sex=sexes)
def test_compare_matches_parse(nik: str, birth_date: date, sex: str) -> None:
    info = parse_nik(nik)
    fields = {m.field for m in compare_nik(nik, birth_date=birth_date, sex=sex)}
    same_date = (birth_date.day, birth_date.month, birth_date.year % 100) == (
        info.birth_date.day,
        info.birth_date.month,
        info.birth_date.year % 100,
    )
    assert ("birth_date" in fields) == (not same_date)
    assert ("sex" in fields) == (sex != info.sex)


@given(nik=valid_niks(), birth_date=st.one_of(st.none(), st.dates()), sex=st.sampled_from("MFX"))
def test_mismatches_of_a_decoded_nik_are_those_compare_nik_finds(
    nik: str, birth_date: date | None, sex: str
) -> None:
    info = parse_nik(nik)
    assert nik_mismatches(info, birth_date=birth_date, sex=sex) == compare_nik(
        nik, birth_date=birth_date, sex=sex
    )
