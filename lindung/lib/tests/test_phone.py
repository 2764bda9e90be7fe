import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.lib.phone import MESSAGES, PhoneError, normalize_phone

E164_RE = re.compile(r"\+[1-9][0-9]{6,14}")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("62812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        ("+62 (0) 812 3456 7890", "+6281234567890"),
        ("620812 3456 7890", "+6281234567890"),
        ("812 3456 7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(0812) 345 678", "+62812345678"),
        ("  0812345678  ", "+62812345678"),
        ("0812\u00a03456\u00a07890", "+6281234567890"),  # non-breaking spaces from spreadsheets
        ("(021) 1234 5678", "+622112345678"),  # Jakarta landline
        ("+6281234567890", "+6281234567890"),
        # foreign numbers of workers abroad are kept
        ("+852 9123 4567", "+85291234567"),
        ("+886 912 345 678", "+886912345678"),
        ("+60 12-345 6789", "+60123456789"),
        ("+966 50 123 4567", "+966501234567"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected
    assert normalize_phone(expected) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "phone_empty"),
        ("   ", "phone_empty"),
        ("+", "phone_empty"),
        ("( ) - .", "phone_empty"),
        ("0812-3456-789x", "phone_chars"),
        ("0812/3456/7890", "phone_chars"),
        ("62+81234567890", "phone_chars"),
        ("++6281234567890", "phone_chars"),
        ("tel: 0812345678", "phone_chars"),
        ("0812345678\u0661", "phone_chars"),  # non-ASCII digit
        ("0812 3456", "phone_length"),  # 7 digits after 62
        ("081234567", "phone_length"),  # 8 digits after 62
        ("0812345678901234", "phone_length"),  # 15 digits after 62
        ("+62812345", "phone_length"),
        ("+62 00812345678", "phone_length"),
        ("+852 123", "phone_length"),
        ("+1 234 567 890 123 456", "phone_length"),  # 16 digits: over the E.164 maximum
        ("+0852 9123 4567", "phone_length"),
        ("00852 9123 4567", "phone_length"),
    ],
)
def test_errors(raw: str, code: str) -> None:
    with pytest.raises(PhoneError) as excinfo:
        normalize_phone(raw)
    assert excinfo.value.code == code
    assert str(excinfo.value) == MESSAGES[code]


def test_length_bounds() -> None:
    assert normalize_phone("0" + "8" * 9) == "+62" + "8" * 9
    assert normalize_phone("0" + "8" * 13) == "+62" + "8" * 13
    for n in (8, 14):
        with pytest.raises(PhoneError):
            normalize_phone("0" + "8" * n)


national_numbers = st.from_regex(r"8[0-9]{8,12}", fullmatch=True)
separators = st.sampled_from(["", " ", "-", ".", "  ", " - "])


@st.composite
def formatted_numbers(draw: st.DrawFn) -> tuple[str, str]:
    national = draw(national_numbers)
    prefix = draw(st.sampled_from(["0", "62", "+62", "+62 ", "+62 (0)", "(0", ""]))
    cuts = sorted(draw(st.lists(st.integers(1, len(national) - 1), max_size=4, unique=True)))
    parts = [national[i:j] for i, j in zip([0, *cuts], [*cuts, len(national)], strict=True)]
    body = parts[0]
    for part in parts[1:]:
        body += draw(separators) + part
    if prefix == "(0":
        return f"(0{national[:3]}) {national[3:]}", "+62" + national
    return prefix + body, "+62" + national


@given(formatted_numbers())
def test_formatted_indonesian_numbers(case: tuple[str, str]) -> None:
    raw, expected = case
    assert normalize_phone(raw) == expected


@given(st.from_regex(r"\+[1-57-9][0-9]{6,14}", fullmatch=True))
def test_foreign_numbers_kept(number: str) -> None:
    assert normalize_phone(number) == number


@given(st.text(alphabet="0123456789+-.() \t", max_size=25) | st.text(max_size=25))
def test_never_crashes_and_output_reparses(raw: str) -> None:
    try:
        out = normalize_phone(raw)
    except PhoneError as exc:
        assert exc.code in MESSAGES
    else:
        assert E164_RE.fullmatch(out), out
        assert normalize_phone(out) == out
        if out.startswith("+62"):
            assert 9 <= len(out) - 3 <= 13
