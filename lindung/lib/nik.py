"""Indonesian NIK (Nomor Induk Kependudukan): cleaning, decoding, encoding and cross-checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Sex = Literal["M", "F"]

NIK_LENGTH = 16
# Women's birth day is stored with 40 added (41-71).
FEMALE_DAY_OFFSET = 40

# English templates keyed by machine code; the UI layer wraps them in gettext and formats params.
MESSAGES: dict[str, str] = {
    "nik_length": "NIK must be exactly 16 digits (got {length}).",
    "nik_digits": "NIK may contain digits only.",
    "nik_area_zero": "The {part} code in a NIK cannot be 00.",
    "nik_day": "NIK birth day {day} is invalid (01-31 for men, 41-71 for women).",
    "nik_month": "NIK birth month {month} is invalid (01-12).",
    "nik_date": "NIK birth date {day}-{month}-{year} does not exist.",
    "nik_serial": "NIK serial number cannot be 0000.",
    "nik_birth_date_mismatch": (
        "The birth date in the NIK ({nik_value}) differs from the recorded one ({recorded_value})."
    ),
    "nik_sex_mismatch": "The NIK indicates sex {nik_value} but {recorded_value} was recorded.",
}

_DIGITS = frozenset("0123456789")
# What people and programs write between a NIK's digits: spaces, dots, hyphens and their
# look-alikes (Unicode dashes, the minus sign, a zero-width space, a byte-order mark). The one
# list every reader strips: the forms, the searches and the import (lib.cells.parse_nik_cell).
NIK_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212\u200b\ufeff]+")
_DISTRICT_RE = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{2})")
_AREA_PARTS = (("province", 0), ("regency", 2), ("district", 4))  # name, offset in the NIK


class NikError(ValueError):
    """A NIK failed validation; `code` keys MESSAGES and `params` fill its template."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))


@dataclass(frozen=True)
class NikInfo:
    """Fields decoded from a valid NIK."""

    nik: str
    district_code: str
    birth_date: date
    sex: Sex
    serial: int


@dataclass(frozen=True)
class NikMismatch:
    """A recorded field that disagrees with what the NIK encodes."""

    field: Literal["birth_date", "sex"]
    nik_value: date | str
    recorded_value: date | str

    @property
    def code(self) -> str:
        """Message code for this mismatch (a key of MESSAGES)."""
        return f"nik_{self.field}_mismatch"


def clean_nik(raw: str) -> str:
    """Strip whitespace, dots, dashes and a spreadsheet's leading apostrophe; does not validate."""
    s = raw.strip()
    # Spreadsheets prefix long numbers with ' to stop them being turned into floats.
    if s.startswith(("'", "\u2019")):
        s = s[1:]
    return NIK_SEPARATORS.sub("", s)


def _birth_date(day: int, month: int, yy: int, today: date) -> date | None:
    """Latest date with this day, month and two-digit year that is not after today."""
    base = today.year - today.year % 100 + yy
    # 400 years covers a full Gregorian cycle, so 29 Feb of a "00" year still finds a leap century.
    for year in range(base, base - 500, -100):
        if year < 1:
            break
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def parse_nik(nik: str, *, today: date | None = None) -> NikInfo:
    """Decode a cleaned NIK, raising NikError with a machine code when it is invalid."""
    if not set(nik) <= _DIGITS:
        raise NikError("nik_digits")
    if len(nik) != NIK_LENGTH:
        raise NikError("nik_length", length=len(nik))
    for part, i in _AREA_PARTS:
        if nik[i : i + 2] == "00":
            raise NikError("nik_area_zero", part=part)
    dd, mm, yy = nik[6:8], nik[8:10], nik[10:12]
    day = int(dd)
    sex: Sex = "M"
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = "F"
    if not 1 <= day <= 31:
        raise NikError("nik_day", day=dd)
    month = int(mm)
    if not 1 <= month <= 12:
        raise NikError("nik_month", month=mm)
    birth_date = _birth_date(day, month, int(yy), today or date.today())
    if birth_date is None:
        raise NikError("nik_date", day=f"{day:02d}", month=mm, year=yy)
    serial = int(nik[12:])
    if serial == 0:
        raise NikError("nik_serial")
    district_code = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    # Positional: keywords make this, once per imported row, a third slower.
    return NikInfo(nik, district_code, birth_date, sex, serial)


def encode_nik(*, district_code: str, birth_date: date, sex: str, serial: int) -> str:
    """Build a NIK from its parts (inverse of parse_nik); raises ValueError on bad input."""
    match = _DISTRICT_RE.fullmatch(district_code)
    if match is None or "00" in match.groups():
        raise ValueError(
            f"district_code must look like 'PP.RR.DD' without 00 parts: {district_code!r}"
        )
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F': {sex!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be within 1-9999: {serial!r}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "F" else 0)
    return (
        "".join(match.groups())
        + f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
    )


def compare_nik(nik: str, *, birth_date: date | None, sex: str | None) -> list[NikMismatch]:
    """List recorded fields that contradict the NIK; empty if consistent or the NIK is invalid."""
    try:
        info = parse_nik(nik)
    except NikError:
        return []
    return nik_mismatches(info, birth_date=birth_date, sex=sex)


def nik_mismatches(info: NikInfo, *, birth_date: date | None, sex: str | None) -> list[NikMismatch]:
    """compare_nik for a NIK already decoded (an import has just parsed it)."""
    mismatches: list[NikMismatch] = []
    # The NIK only holds a two-digit year, so the century cannot be checked.
    if birth_date is not None and (
        info.birth_date.day,
        info.birth_date.month,
        info.birth_date.year % 100,
    ) != (birth_date.day, birth_date.month, birth_date.year % 100):
        mismatches.append(NikMismatch("birth_date", info.birth_date, birth_date))
    if sex is not None and sex != info.sex:
        mismatches.append(NikMismatch("sex", info.sex, sex))
    return mismatches
