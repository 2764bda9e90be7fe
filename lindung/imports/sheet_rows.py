"""Cells as the sheet showed them, and the rows under a table's header that are not persons:
a row numbering the columns, and a signature block under the table."""

from __future__ import annotations

import re

from lindung.lib.cells import parse_text_cell

NUMBERING = re.compile(r"^\(?(\d{1,3})\)?\.?$")


def shown(value: object) -> str:
    """A cell as the spreadsheet showed it: a whole number without ".0"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return parse_text_cell(value)


def blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def nik_like(value: object) -> bool:
    """Whether a cell holds something like a NIK (15 digits or more)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value) >= 1e14
    return isinstance(value, str) and sum(ch.isdigit() for ch in value) >= 15


def is_numbering(filled: list) -> bool:
    """Whether a row numbers the columns of the header above it: (1) (2) (3) … or 1 2 3 …"""
    if len(filled) < 3:
        return False
    numbers = []
    for value in filled:
        match = NUMBERING.match(shown(value).strip())
        if match is None:
            return False
        numbers.append(int(match.group(1)))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


FOOTER = re.compile(
    r"\b(mengetahui|kepala (desa|kampung|tiyuh|pekon)|kades|sekretaris desa|sekdes|lurah|"
    r"camat|petinggi|tanda tangan|ttd|dibuat oleh|yang membuat|nip)\b"
)
