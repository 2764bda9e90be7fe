"""Parsers for single spreadsheet cells from hand-typed village Excel/CSV books."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import defaultdict

from lindung.lib.nik import NIK_SEPARATORS

# English templates; the UI wraps them in gettext. Params are filled with str.format.
MESSAGES: dict[str, str] = {
    "empty": "This cell is empty.",
    "nik_float": (
        "Excel turned the NIK {value} into a number and dropped digits. "
        "Format the column as Text and type the NIK again."
    ),
    "nik_length": "A NIK must have 16 digits, but {value} has {length}.",
    "nik_digits": "A NIK may only contain digits: {value}.",
    "date_invalid": "{value} is not a real calendar date.",
    "date_format": "Cannot read {value} as a date; write day/month/year, e.g. 27/01/1990.",
    "sex_unknown": "Cannot read sex from {value}; write L (male) or P (female).",
    "int_invalid": "{value} is not a whole number.",
    "int_range": "{value} is outside the allowed range ({min_value} to {max_value}).",
    "bool_unknown": "Cannot read {value} as yes/no; write Ya or Tidak.",
    "country_unknown": "Unknown country: {value}.",
    # Not an error code: shown after country_unknown when params["suggestion"] is not empty.
    "country_suggestion": "Did you mean {suggestion}?",
}


class CellError(ValueError):
    """A cell value that cannot be parsed, as a machine code plus params."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        """Render the English message, leaving unknown placeholders visible."""
        template = MESSAGES.get(self.code, self.code)
        return template.format_map(defaultdict(str, self.params))

    def __repr__(self) -> str:
        return f"CellError({self.code!r}, **{self.params!r})"


def _is_nan(value: object) -> bool:
    """Return True for a float NaN (how pandas and some readers spell an empty cell)."""
    return isinstance(value, float) and math.isnan(value)


def _is_blank(value: object) -> bool:
    """Return True for None, float NaN and whitespace-only strings."""
    if value is None or _is_nan(value):
        return True
    return isinstance(value, str) and _clean_str(value) == ""


def _clean_str(text: str) -> str:
    """Strip, drop a leading apostrophe (Excel's text marker) and collapse whitespace."""
    text = " ".join(text.split())
    # Excel shows a leading ' as "store as text"; some exports keep it literally.
    if text[:1] in ("'", "\u2018", "\u2019", "`"):
        text = " ".join(text[1:].split())
    return text


def _raw(value: object) -> str:
    """Return the value as text for error params."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        # As the spreadsheet shows the number: 2, not 2.0 (a reader gives numbers as floats).
        return str(int(value))
    try:
        return str(value)
    except ValueError:
        # Python refuses to render integers with more than ~4300 digits.
        return "<number too large>"


# --- NIK ------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")
# A long number with one short or all-zero fraction is a float rendered as text; a longer
# non-zero tail ("320101.0101900001") is digit grouping instead.
_FLOAT_TEXT = re.compile(r"^\d{12,}[.,](?:\d{1,2}|0+)$")
_ASCII_DIGITS = re.compile(r"^[0-9]+$")


def parse_nik_cell(value: object) -> str:
    """Return a 16-digit NIK string from a cell, refusing numbers Excel may have rounded."""
    if type(value) is str and len(value) == 16 and value.isascii() and value.isdigit():
        return value  # already clean, as most cells are: nothing below would change it
    if _is_blank(value):
        raise CellError("empty")
    if isinstance(value, bool):
        raise CellError("nik_digits", value=_raw(value))
    if isinstance(value, float):
        # Excel keeps only 15 significant digits, so the last NIK digit may be gone.
        raise CellError("nik_float", value=_raw(value))
    if isinstance(value, int):
        text = _raw(value)
    elif isinstance(value, str):
        text = _clean_str(value)
        if _SCIENTIFIC.match(text) or _FLOAT_TEXT.match(text):
            raise CellError("nik_float", value=value.strip())
        text = NIK_SEPARATORS.sub("", text)
    else:
        raise CellError("nik_digits", value=_raw(value))
    if not _ASCII_DIGITS.match(text):
        raise CellError("nik_digits", value=_raw(value))
    if len(text) != 16:
        raise CellError("nik_length", value=_raw(value), length=len(text))
    return text


# --- Dates ----------------------------------------------------------------------------------

EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_EXCEL_EPOCH = dt.date(1899, 12, 31)  # serial 1 = 1900-01-01
_EXCEL_FAKE_LEAP_DAY = 60  # Lotus 1-2-3 bug: Excel counts 1900-02-29, which never existed

DATE_KINDS = ("birth", "event")

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "pebruari", "february", "feb", "peb"),
        ("maret", "march", "mar", "mrt"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "aug", "agu", "agt", "ags", "agst", "agus", "agust"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_TIME_SUFFIX = re.compile(r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})$")
_COMPACT_DMY = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_NAMED_DMY = re.compile(r"^(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4}|\d{2})$")
_NAMED_MDY = re.compile(r"^([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})$")


def excel_serial_to_date(serial: float) -> dt.date:
    """Convert an Excel 1900-system serial number (fraction = time of day) to a date."""
    if not 1 <= serial < EXCEL_MAX_SERIAL + 1:
        raise CellError("date_invalid", value=_raw(serial))
    days = int(serial)
    if days == _EXCEL_FAKE_LEAP_DAY:
        raise CellError("date_invalid", value=_raw(serial))
    if days > _EXCEL_FAKE_LEAP_DAY:
        days -= 1
    return _EXCEL_EPOCH + dt.timedelta(days=days)


def date_to_excel_serial(day: dt.date) -> int:
    """Convert a date to its Excel 1900-system serial number."""
    serial = (day - _EXCEL_EPOCH).days
    return serial + 1 if serial >= _EXCEL_FAKE_LEAP_DAY else serial


def _make_date(year: int, month: int, day: int, raw: str) -> dt.date:
    """Build a date or raise date_invalid."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError("date_invalid", value=raw) from None


def _two_digit_year(yy: int, month: int, day: int, kind: str, today: dt.date, raw: str) -> dt.date:
    """Pick the century for a two-digit year according to the kind of date."""
    century = today.year // 100 * 100
    if kind == "birth":
        # A birth date cannot be in the future, so take the latest century not after today.
        for year in (century + yy, century - 100 + yy):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue
            if candidate <= today:
                return candidate
        raise CellError("date_invalid", value=raw)
    # Window [today-79, today+20]; in 2000-2079 this is the pivot yy <= today%100+20 -> 20yy.
    year = century + yy
    if year > today.year + 20:
        year -= 100
    elif year < today.year - 79:
        year += 100
    return _make_date(year, month, day, raw)


def _dmy(day: str, month: int, year: str, kind: str, today: dt.date, raw: str) -> dt.date:
    """Build a date from day, month and a 2- or 4-digit year string."""
    if len(year) == 2:
        return _two_digit_year(int(year), month, int(day), kind, today, raw)
    return _make_date(int(year), month, int(day), raw)


def _parse_date_text(text: str, kind: str, today: dt.date) -> dt.date:
    """Parse a hand-typed date string, always day-first."""
    raw = text.strip()
    norm = unicodedata.normalize("NFKC", _clean_str(text)).casefold()
    norm = _TIME_SUFFIX.sub("", norm).strip()
    if match := _ISO.match(norm):
        year, month, day = match.groups()
        return _make_date(int(year), int(month), int(day), raw)
    if match := _NUMERIC_DMY.match(norm) or _COMPACT_DMY.match(norm):
        day, month, year = match.groups()
        return _dmy(day, int(month), year, kind, today, raw)
    if match := _NAMED_DMY.match(norm):
        day, name, year = match.groups()
        if name in MONTHS:
            return _dmy(day, MONTHS[name], year, kind, today, raw)
    elif match := _NAMED_MDY.match(norm):
        name, day, year = match.groups()
        if name in MONTHS:
            return _dmy(day, MONTHS[name], year, kind, today, raw)
    raise CellError("date_format", value=raw)


def parse_date_cell(value: object, *, kind: str = "event", today: dt.date | None = None) -> dt.date:
    """Return a date from a cell: Excel serial, date object or day-first text."""
    if kind not in DATE_KINDS:
        raise ValueError(f"kind must be one of {DATE_KINDS}, not {kind!r}")
    if _is_blank(value):
        raise CellError("empty")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("date_format", value=_raw(value))
    if isinstance(value, (int, float)):
        return excel_serial_to_date(value)
    if isinstance(value, str):
        return _parse_date_text(value, kind, today or dt.date.today())
    raise CellError("date_format", value=_raw(value))


# --- Sex ------------------------------------------------------------------------------------

_SEX: dict[str, str] = {
    **dict.fromkeys(
        ("l", "lk", "laki", "lakilaki", "laki2", "lelaki", "pria", "cowok", "m", "male", "man"),
        "M",
    ),
    **dict.fromkeys(
        ("p", "pr", "prp", "perempuan", "wanita", "w", "cewek", "f", "female", "woman"),
        "F",
    ),
}


def parse_sex_cell(value: object) -> str:
    """Return "M" or "F" from Indonesian or English sex labels."""
    if _is_blank(value):
        raise CellError("empty")
    if not isinstance(value, str):
        raise CellError("sex_unknown", value=_raw(value))
    key = "".join(ch for ch in value.casefold() if ch.isascii() and ch.isalnum())
    if key in _SEX:
        return _SEX[key]
    raise CellError("sex_unknown", value=_raw(value))


# --- Text, integers, booleans ---------------------------------------------------------------

_INTEGRAL_TEXT = re.compile(r"^([+-]?[0-9]+)\.0+$")


def parse_text_cell(value: object) -> str:
    """Return cleaned cell text; empty cells become ""."""
    if value is None or _is_nan(value):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = _clean_str(_raw(value))
    # Readers turn integer columns with gaps into floats, so RT "1" comes back as "1.0".
    if match := _INTEGRAL_TEXT.match(text):
        return match.group(1)
    return text


_INT_TEXT = re.compile(r"^[+-]?[0-9]+$")
_INT_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*$")
_INT_ZERO_FRACTION = re.compile(r"^([+-]?[0-9]+)[.,]0{1,2}$")


def _int_from_text(text: str) -> int | None:
    """Return the integer a cleaned string spells, or None if it is not one."""
    text = text.replace(" ", "")
    if len(text) > 100:
        return None
    if _INT_TEXT.match(text):
        return int(text)
    # Indonesian writes thousands with dots ("1.000" = 1000), so a 3-digit group is grouping.
    if _INT_GROUPED.match(text):
        return int(re.sub(r"[.,]", "", text))
    if match := _INT_ZERO_FRACTION.match(text):
        return int(match.group(1))
    return None


def parse_int_cell(
    value: object, *, min_value: int | None = None, max_value: int | None = None
) -> int | None:
    """Return a whole number from a cell (None when empty), checking optional bounds."""
    if _is_blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if math.isfinite(value) and value.is_integer() else None
    elif isinstance(value, str):
        number = _int_from_text(_clean_str(value))
    if number is None:
        raise CellError("int_invalid", value=_raw(value))
    if (min_value is not None and number < min_value) or (
        max_value is not None and number > max_value
    ):
        raise CellError("int_range", value=_raw(value), min_value=min_value, max_value=max_value)
    return number


_BOOL: dict[str, bool] = {
    **dict.fromkeys(
        ("ya", "y", "iya", "yes", "true", "benar", "1", "sudah", "ada", "v", "✓", "✔", "√", "☑"),
        True,
    ),
    **dict.fromkeys(
        (
            "tidak",
            "t",
            "tdk",
            "no",
            "n",
            "false",
            "salah",
            "0",
            "belum",
            "blm",
            "tidakada",
            "tdkada",
            "x",
            "✗",
            "✘",
            "☐",
        ),
        False,
    ),
}


def parse_bool_cell(value: object) -> bool | None:
    """Return True/False from yes/no words or marks (None when empty)."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = "".join(ch for ch in _clean_str(value).casefold() if ch not in " .-_")
        if key in _BOOL:
            return _BOOL[key]
    raise CellError("bool_unknown", value=_raw(value))


# Spreadsheet formula injection (OWASP "CSV injection"): a text cell that begins with one of
# these is run as a formula by Excel, LibreOffice or Google Sheets when the file is opened.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A cell value that no spreadsheet will run as a formula: the one place every export
    (CSV and XLSX lists, reports, the import error report) passes its values through.

    Text that begins with = + - @ TAB or CR gets a leading apostrophe (the spreadsheet's own
    "this is text" mark, which the importer strips again: `_clean_str`). Numbers, dates and
    text that is only a number ("-5", "+62812…") stay as they are, so figures remain figures.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _PLAIN_NUMBER_RE.fullmatch(value):
        return value
    return "'" + value


# The first characters of a text `spreadsheet_safe` may change; other texts skip the call.
FORMULA_FIRST = frozenset(FORMULA_TRIGGERS)


def spreadsheet_safe_row(values) -> list:
    """`spreadsheet_safe` of every cell of a row, for exports of many rows: a cell that is not
    text (str or a subclass, such as a choice's value), or whose first character starts no
    formula, is kept without a call."""
    safe, first = spreadsheet_safe, FORMULA_FIRST
    return [safe(v) if isinstance(v, str) and v[:1] in first else v for v in values]
