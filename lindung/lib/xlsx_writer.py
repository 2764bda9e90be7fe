"""One sheet of rows written straight into an XLSX file, a block of rows at a time.

The long lists Lindung hands out (the residents' export, an import's error report) can hold a
regency or the nation: hundreds of thousands of rows of 28 columns. openpyxl's write-only
mode builds and serialises a cell object for each value (about 6 µs a cell here); this module
writes each row's XML as text and streams it into the zip entry, so a file costs little more
than its CSV and memory holds one block of rows (decision record 31).

What it writes is the least a spreadsheet needs (ECMA-376, SpreadsheetML): the package's
content types and relationships, a workbook of one sheet, a style sheet with a bold header and
a day-first date format, and the sheet. Texts are inline strings (no shared-string table
held in memory); numbers are numbers; dates are date serials in the day-first format; None and
"" leave the cell out. What XML cannot hold (control characters other than tab, line feed and
carriage return, lone surrogates) is dropped; a carriage return and a text that looks like
SpreadsheetML's own _xHHHH_ escape are escaped; a text is cut to the 32,767 characters a cell
holds; a sheet of more rows than a spreadsheet holds is refused (SheetFull). Every text passes
`lib.cells.spreadsheet_safe`, so no spreadsheet runs it as a formula; this module writes no
formula.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

from lindung.lib.cells import FORMULA_FIRST, spreadsheet_safe

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Rows joined and compressed together; a block of this many rows is what memory holds.
BLOCK = 1000
# Deflate's fastest level: the sheet compresses almost as well, in a third of the time.
COMPRESSION = 1
# Excel's day 0 for dates from 1 March 1900; before it, Excel counts a 29 February 1900 that
# never was, so earlier dates are one less. Dates before 1900 have no serial: written as text.
EPOCH = dt.date(1899, 12, 30)
FIRST_SERIAL = dt.date(1900, 1, 1)
LEAP_BUG_ENDS = dt.date(1900, 3, 1)
# Cell styles (cellXfs below): 0 plain, 1 bold header, 2 date, 3 date and time.
BOLD, DATE, DATE_TIME = 1, 2, 3

# What XML 1.0 cannot hold: control characters but tab, line feed and carriage return, lone
# surrogates and two non-characters. `isprintable()` is false for all of them (and for tab,
# line feed, carriage return and some other characters, which the translation keeps), so only
# those texts take the slow path.
_DROP = str.maketrans(
    {chr(c): None for c in range(32) if chr(c) not in "\t\n\r"}
    | {chr(c): None for c in range(0xD800, 0xE000)}
    | {"\ufffe": None, "\uffff": None}
)
# A text that starts or ends with white space keeps it only when its element says so.
_SPACES = " \t\n\r"
_PRESERVE = ' xml:space="preserve"'
# SpreadsheetML writes a character as _xHHHH_ (a carriage return, which XML reads as a line
# feed, is _x000D_), so a text that holds such a pattern has its underscore written _x005F_.
_ESCAPE_PATTERN = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# Excel's limits: characters in a cell (counted in UTF-16 units), rows in a sheet.
MAX_TEXT = 32767
MAX_ROWS = 1048576
_FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")


class SheetFull(ValueError):
    """More rows than a spreadsheet holds in a sheet."""


_CONTENT_TYPES = (
    HEADER + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
    '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    HEADER + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    HEADER + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    HEADER + f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letters(count: int) -> list[str]:
    """The letters of the first `count` columns: A … Z, AA, AB …"""
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _date_serial(day: dt.date) -> int:
    serial = (day - EPOCH).days
    return serial - 1 if day < LEAP_BUG_ENDS else serial


def _safe_text(value: str) -> str:
    """A text as a cell holds it: what XML cannot hold dropped, made spreadsheet-safe, cut to
    Excel's limit, SpreadsheetML's own escapes escaped, then as XML character data."""
    if not value.isprintable():
        value = value.translate(_DROP)
    if value and value[0] in FORMULA_FIRST:
        value = spreadsheet_safe(value)
    if len(value) > MAX_TEXT // 2 and len(value.encode("utf-16-le")) > 2 * MAX_TEXT:
        value = value.encode("utf-16-le")[: 2 * MAX_TEXT].decode("utf-16-le", "ignore")
    if "_x" in value:
        value = _ESCAPE_PATTERN.sub("_x005F_", value)
    if "\r" in value:
        value = value.replace("\r", "_x000D_")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: str, ref: str, style: str = "") -> str:
    """An inline-string cell; "" for a text left empty."""
    value = _safe_text(value)
    if not value:
        return ""
    space = _PRESERVE if value[0] in _SPACES or value[-1] in _SPACES else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _cell(value, ref: str) -> str:
    """One cell; "" for an empty cell."""
    kind = type(value)
    if kind is str:
        return _text(value, ref)
    if value is None:
        return ""
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if kind is dt.date:
        if value < FIRST_SERIAL:
            return _text(value.strftime("%d/%m/%Y"), ref)
        return f'<c r="{ref}" s="{DATE}"><v>{_date_serial(value)}</v></c>'
    if kind is dt.datetime:
        if value.tzinfo is not None:
            raise ValueError("A spreadsheet holds no time zone: give local times without one.")
        if value.date() < FIRST_SERIAL:
            return _text(value.strftime("%d/%m/%Y %H:%M"), ref)
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        serial = _date_serial(value.date()) + seconds / 86400
        return f'<c r="{ref}" s="{DATE_TIME}"><v>{serial!r}</v></c>'
    if isinstance(value, str):  # a subclass of text, such as a choice's value
        return _text(str.__str__(value), ref)
    if isinstance(value, int):  # an integer choice's value too
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, float) and math.isfinite(value):
        return f'<c r="{ref}"><v>{float(value)!r}</v></c>'
    if isinstance(value, Decimal) and value.is_finite():
        return f'<c r="{ref}"><v>{value}</v></c>'

    # Anything else (a number that is not finite, a lazy translation): its text.
    return _text(str(value), ref)


def _sheet_head(letters: list[str], headers: list) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, width in enumerate((max(12, min(60, len(str(h or "")) + 4)) for h in headers), 1)
    )
    header = "".join(
        _text(str(h), f"{letter}1", f' s="{BOLD}"')
        for letter, h in zip(letters, headers, strict=False)
        if h not in (None, "")
    )
    return (
        HEADER + f'<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        f"</sheetView></sheetViews>{f'<cols>{widths}</cols>' if widths else ''}"
        f'<sheetData><row r="1">{header}</row>'
    )


def _row(letters: list[str], number: int, row: list) -> str:
    """A row. A plain text, most cells, is written here without a call; a text that holds
    anything `_safe_text` would change takes it."""
    cells = []
    for letter, value in zip(letters, row, strict=False):
        if type(value) is str:
            if not value:
                continue
            if (
                value.isprintable()
                and value[0] not in FORMULA_FIRST
                and "_x" not in value
                and len(value) <= MAX_TEXT // 2
            ):
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            else:
                value = _safe_text(value)
                if not value:
                    continue
            space = _PRESERVE if value[0] in _SPACES or value[-1] in _SPACES else ""
            cells.append(
                f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{value}</t></is></c>'
            )
        elif type(value) is dt.date and value >= LEAP_BUG_ENDS:
            cells.append(f'<c r="{letter}{number}" s="{DATE}"><v>{(value - EPOCH).days}</v></c>')
        elif value is not None:
            cells.append(_cell(value, f"{letter}{number}"))
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_sheet(
    target: str | Path | IO[bytes], *, sheet: str, headers: list, rows: Iterable[list]
) -> int:
    """Write an XLSX file of one sheet named `sheet`: the headers in bold on a frozen first
    row, then the rows. Returns how many rows (beside the header) were written."""
    if not sheet or len(sheet) > 31 or sheet[0] == "'" or sheet[-1] == "'":
        raise ValueError(f"{sheet!r} cannot name a sheet: 1 to 31 characters, no ' at an end.")
    if _FORBIDDEN_IN_SHEET_NAMES.intersection(sheet):
        raise ValueError(f"{sheet!r} cannot name a sheet: it holds one of []:*?/\\.")
    letters = column_letters(max(len(headers), 1))
    workbook = (
        HEADER + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        f'<sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    written = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(_sheet_head(letters, list(headers)).encode("utf-8", "replace"))
            block = []
            for number, row in enumerate(rows, start=2):
                if number > MAX_ROWS:
                    raise SheetFull(
                        f"More than {MAX_ROWS - 1:,} rows: a spreadsheet holds no more in a sheet."
                    )
                if len(row) > len(letters):
                    letters = column_letters(len(row))
                block.append(_row(letters, number, row))
                if len(block) == BLOCK:
                    out.write("".join(block).encode("utf-8", "replace"))
                    block.clear()
                written += 1
            out.write(("".join(block) + "</sheetData></worksheet>").encode("utf-8", "replace"))
    return written
