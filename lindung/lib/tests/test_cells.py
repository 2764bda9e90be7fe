import datetime as dt
import math
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lindung.lib.cells import (
    MESSAGES,
    CellError,
    date_to_excel_serial,
    excel_serial_to_date,
    parse_bool_cell,
    parse_date_cell,
    parse_int_cell,
    parse_nik_cell,
    parse_sex_cell,
    parse_text_cell,
)

TODAY = dt.date(2025, 6, 15)

ANY_CELL = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789 ./-,'eE+:TJanuriMeAgsOkDtl"),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)

ID_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ID_ABBR = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EN_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def raises_code(code: str, func, *args, **kwargs) -> CellError:  # noqa: ANN001
    with pytest.raises(CellError) as exc:
        func(*args, **kwargs)
    assert exc.value.code == code, exc.value
    assert exc.value.code in MESSAGES
    assert str(exc.value)
    return exc.value


def test_messages_format_with_params() -> None:
    params = {
        "value": "x",
        "length": 3,
        "min_value": 1,
        "max_value": 9,
        "suggestion": "Hong Kong",
    }
    for code, template in MESSAGES.items():
        assert template.format(**params), code


def test_cell_error_shape() -> None:
    err = CellError("nik_length", value="123", length=3)
    assert err.code == "nik_length"
    assert err.params == {"value": "123", "length": 3}
    assert "16" in str(err) and "123" in str(err)


# --- NIK ------------------------------------------------------------------------------------

NIK = "3201014501900001"


@pytest.mark.parametrize(
    "value",
    [
        NIK,
        int(NIK),
        "'3201014501900001",
        " 3201 0145 0190 0001 ",
        "3201.0145.0190.0001",
        "320101-450190-0001",
        "320101.4501900001",
        "\u20193201014501900001",
        "3201014501900001\u00a0",
    ],
)
def test_nik_accepts(value: object) -> None:
    assert parse_nik_cell(value) == NIK


@pytest.mark.parametrize(
    "value",
    [
        3.201014501900001e15,
        float(NIK),
        "3.20101E+15",
        "3,20101E+15",
        "1.81101E+15",
        "1,81101E+15",
        "1.81101e15",
        "1811014501900001.0",
        "1811014501900001,0",
        "1811014501900000.00",
        "'3.20101E+15",
    ],
)
def test_nik_float_rejected(value: object) -> None:
    err = raises_code("nik_float", parse_nik_cell, value)
    assert "Text" in str(err)


@pytest.mark.parametrize("value", ["320101450190001", "32010145019000011", 123, "3201-0145"])
def test_nik_length(value: object) -> None:
    err = raises_code("nik_length", parse_nik_cell, value)
    assert err.params["length"] == len("".join(ch for ch in str(value) if ch.isdigit()))


@pytest.mark.parametrize(
    "value",
    ["32010145O1900001", "NIK 3201014501900001", "３２０１０１４５０１９００００１", -1, True],
)
def test_nik_digits(value: object) -> None:
    raises_code("nik_digits", parse_nik_cell, value)


@pytest.mark.parametrize("value", [None, "", "  ", "'", float("nan")])
def test_nik_empty(value: object) -> None:
    raises_code("empty", parse_nik_cell, value)


@given(
    st.text(alphabet="0123456789", min_size=16, max_size=16),
    st.lists(st.sampled_from(["", " ", ".", "-", "  ", " - "]), min_size=15, max_size=15),
    st.booleans(),
)
def test_nik_roundtrip_with_separators(nik: str, seps: list[str], apostrophe: bool) -> None:
    text = nik[0] + "".join(sep + digit for sep, digit in zip(seps, nik[1:], strict=True))
    if apostrophe:
        text = "'" + text
    assert parse_nik_cell(text) == nik


def _nik_outcome(value: object) -> object:
    try:
        return parse_nik_cell(value)
    except CellError as error:
        return (error.code, error.params)


@given(
    st.one_of(
        st.from_regex(r"[0-9]{15,17}", fullmatch=True),
        st.text(alphabet="0123456789 .-'eE,", max_size=20),
        st.text(max_size=20),
    )
)
def test_nik_a_clean_cell_reads_as_it_would_with_a_trailing_space(text: str) -> None:
    # A clean 16-digit cell skips the cleaning; the space sends it through every rule.
    assert _nik_outcome(text) == _nik_outcome(text + " ")


@given(st.integers(min_value=10**15, max_value=10**16 - 1))
def test_nik_exact_int(number: int) -> None:
    assert parse_nik_cell(number) == str(number)


@given(st.floats())
def test_nik_any_float_rejected(number: float) -> None:
    err = raises_code("empty" if math.isnan(number) else "nik_float", parse_nik_cell, number)
    assert err.code in {"empty", "nik_float"}


@given(st.integers(min_value=10**15, max_value=10**16 - 1))
def test_nik_float_repr_rejected(number: int) -> None:
    raises_code("nik_float", parse_nik_cell, str(float(number)))
    raises_code("nik_float", parse_nik_cell, f"{float(number):.5E}")


@given(ANY_CELL)
def test_nik_never_raises_other_errors(value: object) -> None:
    try:
        result = parse_nik_cell(value)
    except CellError as exc:
        assert exc.code in {"empty", "nik_float", "nik_length", "nik_digits"}
    else:
        assert len(result) == 16 and result.isascii() and result.isdigit()


# --- Dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (32900, dt.date(1990, 1, 27)),
        (32900.75, dt.date(1990, 1, 27)),
        (45823, dt.date(2025, 6, 15)),
        (2958465, dt.date(9999, 12, 31)),
    ],
)
def test_excel_serials(serial: float, expected: dt.date) -> None:
    assert parse_date_cell(serial) == expected


@pytest.mark.parametrize("serial", [60, 60.5, 0, 0.5, -1, 2958466, math.inf, -math.inf])
def test_excel_serial_invalid(serial: float) -> None:
    raises_code("date_invalid", parse_date_cell, serial)


def test_excel_1900_leap_bug_roundtrip() -> None:
    assert date_to_excel_serial(dt.date(1900, 2, 28)) == 59
    assert date_to_excel_serial(dt.date(1900, 3, 1)) == 61
    assert date_to_excel_serial(dt.date(1900, 1, 1)) == 1


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_excel_serial_roundtrip(day: dt.date) -> None:
    serial = date_to_excel_serial(day)
    assert serial != 60
    assert excel_serial_to_date(serial) == day
    assert parse_date_cell(float(serial) + 0.25) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27/01/1990", dt.date(1990, 1, 27)),
        ("27-01-1990", dt.date(1990, 1, 27)),
        ("27.01.1990", dt.date(1990, 1, 27)),
        ("27-01-90", dt.date(1990, 1, 27)),
        ("7/1/90", dt.date(1990, 1, 7)),
        ("05/04/2001", dt.date(2001, 4, 5)),
        ("27 Januari 1990", dt.date(1990, 1, 27)),
        ("27 Jan 1990", dt.date(1990, 1, 27)),
        ("27-Jan-90", dt.date(1990, 1, 27)),
        ("27 Agustus 1990", dt.date(1990, 8, 27)),
        ("27 Agu 1990", dt.date(1990, 8, 27)),
        ("27 Agt 1990", dt.date(1990, 8, 27)),
        ("27 Ags 1990", dt.date(1990, 8, 27)),
        ("27 agt. 1990", dt.date(1990, 8, 27)),
        ("27 Aug 1990", dt.date(1990, 8, 27)),
        ("27 January 1990", dt.date(1990, 1, 27)),
        ("27 PEBRUARI 1990", dt.date(1990, 2, 27)),
        ("1 Nopember 2019", dt.date(2019, 11, 1)),
        ("January 27, 1990", dt.date(1990, 1, 27)),
        ("1990-01-27", dt.date(1990, 1, 27)),
        ("1990-01-27 00:00:00", dt.date(1990, 1, 27)),
        ("1990-01-27T08:30", dt.date(1990, 1, 27)),
        ("27/01/1990 00:00", dt.date(1990, 1, 27)),
        ("'27/01/1990", dt.date(1990, 1, 27)),
        (" 27 / 01 / 1990 ", dt.date(1990, 1, 27)),
        ("27011990", dt.date(1990, 1, 27)),
        (dt.date(1990, 1, 27), dt.date(1990, 1, 27)),
        (dt.datetime(1990, 1, 27, 13, 5), dt.date(1990, 1, 27)),
    ],
)
def test_date_examples(text: object, expected: dt.date) -> None:
    assert parse_date_cell(text, kind="birth", today=TODAY) == expected


def test_date_is_day_first_never_us() -> None:
    assert parse_date_cell("03/04/2020", today=TODAY) == dt.date(2020, 4, 3)
    raises_code("date_invalid", parse_date_cell, "12/13/2020", today=TODAY)


@pytest.mark.parametrize(
    "text",
    ["31/02/1990", "00/01/1990", "15/13/1990", "29/02/1900", "32 Januari 1990", "2023-02-29"],
)
def test_date_invalid(text: str) -> None:
    err = raises_code("date_invalid", parse_date_cell, text, today=TODAY)
    assert err.params == {"value": text}


@pytest.mark.parametrize(
    "value", ["kemarin", "27 Foo 1990", "1990", "27/01", "27/01/199", "Jan 1990", True, dt.time(1)]
)
def test_date_format(value: object) -> None:
    raises_code("date_format", parse_date_cell, value, today=TODAY)


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_date_empty(value: object) -> None:
    raises_code("empty", parse_date_cell, value)


def test_date_bad_kind_is_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_date_cell("27/01/1990", kind="death")


def test_two_digit_year_birth() -> None:
    assert parse_date_cell("01/01/25", kind="birth", today=TODAY) == dt.date(2025, 1, 1)
    assert parse_date_cell("16/06/25", kind="birth", today=TODAY) == dt.date(1925, 6, 16)
    assert parse_date_cell("01/01/30", kind="birth", today=TODAY) == dt.date(1930, 1, 1)
    assert parse_date_cell("29/02/00", kind="birth", today=TODAY) == dt.date(2000, 2, 29)
    raises_code("date_invalid", parse_date_cell, "29/02/01", kind="birth", today=TODAY)


def test_two_digit_year_event_pivot() -> None:
    # today 2025 -> pivot 45: 45 -> 2045, 46 -> 1946
    assert parse_date_cell("01/01/45", kind="event", today=TODAY) == dt.date(2045, 1, 1)
    assert parse_date_cell("01/01/46", kind="event", today=TODAY) == dt.date(1946, 1, 1)
    assert parse_date_cell("01/01/30", today=TODAY) == dt.date(2030, 1, 1)
    assert parse_date_cell("31-Des-99", today=TODAY) == dt.date(1999, 12, 31)


def test_two_digit_year_event_across_century() -> None:
    assert parse_date_cell("01/01/00", today=dt.date(1999, 1, 1)) == dt.date(2000, 1, 1)
    assert parse_date_cell("01/01/19", today=dt.date(1999, 1, 1)) == dt.date(2019, 1, 1)
    assert parse_date_cell("01/01/20", today=dt.date(1999, 1, 1)) == dt.date(1920, 1, 1)


@given(st.integers(min_value=2000, max_value=2079), st.integers(min_value=0, max_value=99))
def test_two_digit_year_event_matches_pivot_rule(year: int, yy: int) -> None:
    today = dt.date(year, 6, 15)
    expected = 2000 + yy if yy <= year % 100 + 20 else 1900 + yy
    assert parse_date_cell(f"01/01/{yy:02d}", today=today).year == expected


def _format_four_digit(day: dt.date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    return [
        f"{d:02d}/{m:02d}/{y}",
        f"{d}/{m}/{y}",
        f"{d:02d}-{m:02d}-{y}",
        f"{d:02d}.{m:02d}.{y}",
        f"{d:02d}{m:02d}{y}",
        f"{d} {ID_MONTHS[m - 1]} {y}",
        f"{d} {EN_MONTHS[m - 1]} {y}",
        f"{d} {ID_ABBR[m - 1]} {y}",
        f"{d} {EN_ABBR[m - 1].upper()} {y}",
        f"{d:02d}-{EN_ABBR[m - 1]}-{y}",
        f"{EN_MONTHS[m - 1]} {d}, {y}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}-{m:02d}-{d:02d} 00:00:00",
    ]


def _format_two_digit(day: dt.date) -> list[str]:
    d, m, yy = day.day, day.month, day.year % 100
    return [
        f"{d:02d}-{m:02d}-{yy:02d}",
        f"{d}/{m}/{yy:02d}",
        f"{d:02d}.{m:02d}.{yy:02d}",
        f"{d:02d}-{ID_ABBR[m - 1]}-{yy:02d}",
        f"{d} {EN_ABBR[m - 1]} {yy:02d}",
        f"{d} {ID_MONTHS[m - 1]} {yy:02d}",
    ]


DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
TODAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2070, 12, 31))


@given(DATES, st.sampled_from(["birth", "event"]))
def test_date_roundtrip_four_digit_years(day: dt.date, kind: str) -> None:
    for text in _format_four_digit(day):
        assert parse_date_cell(text, kind=kind, today=TODAY) == day, text
    assert parse_date_cell(day, kind=kind) == day
    assert parse_date_cell(dt.datetime.combine(day, dt.time(23, 59)), kind=kind) == day
    assert parse_date_cell(date_to_excel_serial(day), kind=kind) == day


@given(DATES, TODAYS)
def test_date_roundtrip_two_digit_birth(day: dt.date, today: dt.date) -> None:
    for text in _format_two_digit(day):
        result = parse_date_cell(text, kind="birth", today=today)
        assert (result.month, result.day, result.year % 100) == (day.month, day.day, day.year % 100)
        assert today.year - 100 <= result.year and result <= today
        if day <= today and day.year > today.year - 100:
            assert result == day, text


@given(DATES, TODAYS)
def test_date_roundtrip_two_digit_event(day: dt.date, today: dt.date) -> None:
    for text in _format_two_digit(day):
        result = parse_date_cell(text, kind="event", today=today)
        assert (result.month, result.day, result.year % 100) == (day.month, day.day, day.year % 100)
        assert today.year - 79 <= result.year <= today.year + 20
        if today.year - 79 <= day.year <= today.year + 20:
            assert result == day, text


@given(ANY_CELL, st.sampled_from(["birth", "event"]), st.dates())
def test_date_never_raises_other_errors(value: object, kind: str, today: dt.date) -> None:
    try:
        result = parse_date_cell(value, kind=kind, today=today)
    except CellError as exc:
        assert exc.code in {"empty", "date_invalid", "date_format"}
    else:
        assert type(result) is dt.date


# --- Sex ------------------------------------------------------------------------------------

MALE = ["L", "LK", "Lk", "Laki-laki", "Laki Laki", "Lakilaki", "Lelaki", "Pria", "M", "Male"]
MALE += ["Laki2", "L.", "Lk.", "laki - laki"]
FEMALE = ["P", "PR", "Pr", "Perempuan", "Wanita", "F", "Female", "P.", "Pr."]


@given(st.sampled_from(MALE + FEMALE), st.data())
def test_sex_variants_any_case_and_spacing(label: str, data: st.DataObject) -> None:
    mixed = "".join(data.draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in label)
    padded = data.draw(st.sampled_from(["", " ", "  ", "\t"])) + mixed + " "
    assert parse_sex_cell(padded) == ("M" if label in MALE else "F")


@pytest.mark.parametrize("value", ["X", "Laki-perempuan", "1", 1, "Banci?", dt.date(2000, 1, 1)])
def test_sex_unknown(value: object) -> None:
    raises_code("sex_unknown", parse_sex_cell, value)


@pytest.mark.parametrize("value", [None, "", " ", float("nan")])
def test_sex_empty(value: object) -> None:
    raises_code("empty", parse_sex_cell, value)


@given(ANY_CELL)
def test_sex_never_raises_other_errors(value: object) -> None:
    try:
        assert parse_sex_cell(value) in {"M", "F"}
    except CellError as exc:
        assert exc.code in {"empty", "sex_unknown"}


# --- Text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (float("nan"), ""),
        ("  Jl.   Merdeka \n No. 5 ", "Jl. Merdeka No. 5"),
        ("'007", "007"),
        ("' 12", "12"),
        (1, "1"),
        (1.0, "1"),
        ("1.0", "1"),
        ("03.00", "03"),
        (2.5, "2.5"),
        ("2.5", "2.5"),
        (-4.0, "-4"),
        (dt.date(1990, 1, 27), "1990-01-27"),
        (dt.datetime(1990, 1, 27), "1990-01-27"),
        ("Siti\u00a0Aminah", "Siti Aminah"),
    ],
)
def test_text(value: object, expected: str) -> None:
    assert parse_text_cell(value) == expected


@given(ANY_CELL)
def test_text_never_raises(value: object) -> None:
    result = parse_text_cell(value)
    assert result == result.strip()
    assert "  " not in result
    assert not re.match(r"^[+-]?[0-9]+\.0+$", result)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_text_integral_float_has_no_fraction(number: int) -> None:
    assert parse_text_cell(float(number)) == str(number)
    assert parse_text_cell(number) == str(number)


# --- Integers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (float("nan"), None),
        (5, 5),
        (5.0, 5),
        ("5", 5),
        (" +5 ", 5),
        ("-3", -3),
        ("5.0", 5),
        ("5,00", 5),
        ("'12", 12),
        ("1.000", 1000),
        ("2.500.000", 2500000),
        ("1,000", 1000),
    ],
)
def test_int(value: object, expected: int | None) -> None:
    assert parse_int_cell(value) == expected


@pytest.mark.parametrize("value", ["abc", "1.5", 1.5, math.inf, True, "1.0000.0", "١٢", "1e3"])
def test_int_invalid(value: object) -> None:
    raises_code("int_invalid", parse_int_cell, value)


def test_huge_numbers_do_not_crash() -> None:
    huge = 10**5000
    raises_code("nik_digits", parse_nik_cell, huge)
    raises_code("date_invalid", parse_date_cell, huge)
    raises_code("int_invalid", parse_int_cell, "9" * 5000)
    assert str(raises_code("int_range", parse_int_cell, huge, max_value=10))
    assert parse_text_cell(huge)


def test_int_range() -> None:
    assert parse_int_cell("3", min_value=1, max_value=3) == 3
    err = raises_code("int_range", parse_int_cell, "0", min_value=1, max_value=3)
    assert err.params == {"value": "0", "min_value": 1, "max_value": 3}
    raises_code("int_range", parse_int_cell, 120, max_value=99)
    raises_code("int_range", parse_int_cell, -1, min_value=0)


@given(st.integers(), st.booleans())
def test_int_roundtrip(number: int, as_float: bool) -> None:
    assume(not as_float or abs(number) < 2**53)
    value = float(number) if as_float else str(number)
    assert parse_int_cell(value) == number


@given(ANY_CELL, st.none() | st.integers(), st.none() | st.integers())
def test_int_never_raises_other_errors(value: object, low: int | None, high: int | None) -> None:
    try:
        result = parse_int_cell(value, min_value=low, max_value=high)
    except CellError as exc:
        assert exc.code in {"int_invalid", "int_range"}
    else:
        assert result is None or isinstance(result, int)


# --- Booleans -------------------------------------------------------------------------------

TRUE = ["Ya", "Y", "Yes", "1", "Sudah", "Ada", "✓", "✔", "iya", "V", 1, 1.0, True]
FALSE = ["Tidak", "T", "No", "N", "0", "Belum", "Tidak Ada", "tidak  ada", "x", "X", 0, 0.0, False]


@pytest.mark.parametrize("value", TRUE)
def test_bool_true(value: object) -> None:
    assert parse_bool_cell(value) is True


@pytest.mark.parametrize("value", FALSE)
def test_bool_false(value: object) -> None:
    assert parse_bool_cell(value) is False


@given(st.sampled_from([v for v in TRUE + FALSE if isinstance(v, str)]), st.data())
def test_bool_any_case(label: str, data: st.DataObject) -> None:
    mixed = "".join(data.draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in label)
    assert parse_bool_cell(f" {mixed} ") is (label in TRUE)


@pytest.mark.parametrize("value", [None, "", "  ", float("nan")])
def test_bool_empty(value: object) -> None:
    assert parse_bool_cell(value) is None


@pytest.mark.parametrize("value", ["mungkin", "2", 2, 0.5, dt.date(2020, 1, 1)])
def test_bool_unknown(value: object) -> None:
    raises_code("bool_unknown", parse_bool_cell, value)


@given(ANY_CELL)
def test_bool_never_raises_other_errors(value: object) -> None:
    try:
        assert parse_bool_cell(value) in {True, False, None}
    except CellError as exc:
        assert exc.code == "bool_unknown"
