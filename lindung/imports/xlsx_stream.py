"""An XLSX (or XLSM) sheet read row by row, in memory bounded by a row, not by the sheet.

python-calamine loads a whole sheet (a 1,000,000-row sheet held ~1 GB) and openpyxl's
read-only mode streams but is about ten times slower. This reads the sheet's XML from the zip
as a stream, a block of whole rows at a time, and finds the rows and cells in each block with
regular expressions over the text (no element objects: ElementTree builds one per cell and
costs three times calamine's time). The values are the ones python-calamine (0.9) gives, so a
workbook reads the same whichever reads it (tests/test_xlsx_stream.py compares the two):
numbers as floats, dates by the cell's number format (1900 or 1904 calendar), booleans,
shared and inline strings (rich text runs joined, phonetic runs left out, `_xHHHH_` escapes
decoded), a formula's cached value, an error as an empty cell, every row from row 1 to the
last row holding a value, each cell at its column. A row is as wide as the sheet's declared
<dimension> (python-calamine's rows are all as wide as the sheet) or the widest row so far;
a blank row is an empty list.

The small parts (workbook, relationships, styles) are read by imports/xlsx_parts.py. The
shared string table is read as far as the rows reached need it (Excel writes it in the order
the strings first appear) and kept: it holds each distinct text of the sheet once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
import tempfile
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from contextlib import ExitStack, closing
from xml.etree import ElementTree

from lindung.imports.xlsx_parts import (
    MAX_COLUMNS,
    SheetError,
    XlsxBook,
    excel_date,
    open_book,
    plain_markup,
)

__all__ = ["SHEET_ERRORS", "SheetError", "XlsxBook", "open_book", "sheet_last_row", "sheet_rows"]

BLOCK = 1 << 20  # bytes of XML inflated at a time
# How many bytes a row or a shared string may take (a row of 16,384 long cells takes less).
MAX_CARRIED = 16 << 20
# How many columns a sheet's <dimension> may promise before it is ignored as a width.
MAX_DIMENSION_COLUMNS = 1024


# --- the XML of a part, a block of whole elements at a time -------------------------------


def _blocks(archive: zipfile.ZipFile, member: str, closing: bytes, end: bytes) -> Iterator[bytes]:
    """The member's bytes in blocks that end just after an element closed by `closing` (a row,
    a shared string), the rest carried into the next block, up to the `end` tag (what follows
    it holds no row); SheetError when more than MAX_CARRIED bytes pass without one closing.
    Only the bytes just read are searched, so a part never closed costs one pass over it."""
    pending: list[bytes] = []
    size, keep, tail = 0, max(len(closing), len(end)) - 1, b""
    with archive.open(member) as stream:
        while data := stream.read(BLOCK):
            probe = tail + data  # a tag may have been read half in the previous block
            stop = probe.find(end)
            if stop >= 0:
                data = data[: stop + len(end) - len(tail)]
                probe = tail + data
            cut = probe.rfind(closing, max(len(tail) - len(closing) + 1, 0))
            if cut >= 0:
                cut += len(closing) - len(tail)
                yield b"".join(pending) + data[:cut]
                pending, size, data = [], 0, data[cut:]
            if size + len(data) > MAX_CARRIED:
                raise SheetError("an element never closed")
            pending.append(data)
            size += len(data)
            tail = probe[-keep:]
            if stop >= 0:
                break
    if size:
        yield b"".join(pending)


def _sheet_blocks(archive: zipfile.ZipFile, member: str, prefix: str) -> Iterator[bytes]:
    return _blocks(archive, member, f"</{prefix}row>".encode(), f"</{prefix}sheetData>".encode())


def _text(block: bytes) -> str:
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        raise SheetError("not UTF-8") from None
    text = plain_markup(text)
    if "\r" in text:  # XML reads every line end as LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ESCAPED = re.compile(r"_x([0-9a-fA-F]{4})_")


def _entity(match: re.Match) -> str:
    name, decimal, hexadecimal = match.groups()
    if name:
        return _NAMED[name]
    try:
        return chr(int(decimal) if decimal else int(hexadecimal, 16))
    except (ValueError, OverflowError):
        raise SheetError("bad character reference") from None


def _unescape(text: str) -> str:
    """XML entities, then Excel's `_xHHHH_` escapes (for characters XML cannot hold)."""
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


class _Tags:
    """The regular expressions of a part whose tags carry `prefix` (often none).

    `token` finds, in a block of rows, each row's start and each cell: a cell as Excel,
    LibreOffice, openpyxl and PhpSpreadsheet write it (`r`, then `s`, then `t`, a `<v>` or an
    inline `<is><t>`) in one match with its parts; any other cell whole, for `_Cells.other`.
    Every cell of the block is one of the two (the `<c` are counted, tests/test_xlsx_stream)."""

    def __init__(self, prefix: str) -> None:
        p = re.escape(prefix)
        self.token = re.compile(
            # 1 row, 2 its number
            rf"""<{p}(row)\b(?=[^>]*?\sr\s*=\s*["'](\d*))?[^>]*>"""
            # 3 column letters, 4 style, 5 type, 6 <v>, 7 its text, 8 <is>, 9 its text
            rf"""|<{p}c r="([A-Z]+)\d*"(?: s="(\d+)")?(?: t="(\w+)")?"""
            rf"""(?:\s+(?![rst]\s*=)[\w:.-]+="[^"<]*")*\s*(?:/>|>"""
            rf"""(?:<{p}f\b[^>]*(?:/>|>[^<]*</{p}f>))?"""
            rf"""(?:(<{p}v>)([^<]*)</{p}v>|(<{p}is>)<{p}t(?:\s[^>]*)?>([^<]*)</{p}t></{p}is>)?"""
            rf"""</{p}c>)"""
            # 10 any other cell: its attributes, 11 its content
            # (its content stops at the next cell or row: a damaged file cannot make it scan far)
            rf"""|<{p}c(?=[\s/>])([^>]*?)(?:/>|>((?:[^<]|<(?!/?{p}c[\s/>])(?!{p}row\b))*)"""
            rf"""</{p}c>)"""
        )
        self.attribute = re.compile(r"""(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
        self.value = re.compile(rf"<{p}v(?:\s[^>]*)?>([^<]*)</{p}v>")
        self.inline = re.compile(rf"<{p}is\b")
        self.text = re.compile(rf"<{p}t(?:\s[^>]*)?>([^<]*)</{p}t>")
        self.phonetic = re.compile(rf"<{p}rPh\b(?:[^<]|<(?!/?{p}rPh\b))*</{p}rPh>")
        self.item = re.compile(rf"<{p}si\b[^>]*?(?:/>|>((?:[^<]|<(?!/?{p}si\b))*)</{p}si>)")
        # How rows and cells start as every program writes them: each is one token (checked,
        # so a cell the expressions above do not understand is an error, never left out).
        self.starts = (f"<{prefix}row ", f"<{prefix}c ")

    def rich(self, body: str) -> str:
        """The text of an inline string or a shared string: its runs joined, phonetic
        readings (rPh, Japanese) left out."""
        if "rPh" in body:
            body = self.phonetic.sub("", body)
        return _unescape("".join(self.text.findall(body)))


_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?(sheetData|sst)\b")
_DIMENSION = re.compile(r"""<(?:[\w.-]+:)?dimension\b[^<>]*?\bref\s*=\s*["']([^"']*)["']""")
_LETTERS = re.compile(r"[A-Z]+")
_FIRST_BLOCK = 64 * 1024


def _prefix(archive: zipfile.ZipFile, member: str) -> tuple[str, str]:
    """The prefix of the part's main namespace ("" when it is the default) and the text of
    its first 64 KB (where a sheet declares its dimension)."""
    with archive.open(member) as stream:
        head = stream.read(_FIRST_BLOCK)
        while (match := _PREFIX.search(head)) is None:
            more = stream.read(_FIRST_BLOCK)
            if not more:
                return "", ""
            head = head[-64:] + more
    prefix = match.group(1)
    return (prefix.decode() + ":" if prefix else ""), head.decode("utf-8", "replace")


def column_number(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA …; SheetError past Excel's last column."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    if number > MAX_COLUMNS:
        raise SheetError("column out of range")
    return number - 1


def _width(head: str) -> int:
    """How many columns the sheet's <dimension> says it has (0 when it says none, or too many
    to trust)."""
    match = _DIMENSION.search(head)
    if match is None:
        return 0
    last = _LETTERS.findall(match.group(1).upper())
    if not last:
        return 0
    try:
        width = column_number(last[-1]) + 1
    except SheetError:
        return 0
    return width if width <= MAX_DIMENSION_COLUMNS else 0


# --- shared strings ----------------------------------------------------------------------


class SharedStrings:
    """The workbook's shared strings, read from its table only as far as a cell needs.

    A sheet Excel saved keeps most of its texts here, one per distinct text: a million rows
    hold millions (names, NIKs, addresses), ~300 MB as Python strings. The first FIRST_KEPT
    stay in memory (a header, villages, codes: the texts repeated down a sheet), and the last
    RECENT_KEPT read (Excel writes the table in the order texts first appear, so a row's new
    texts are the ones just read); every other one is written to a private temporary file as
    it is read and read back from it when a cell asks, so memory does not grow with the file."""

    FIRST_KEPT = 65_536
    RECENT_KEPT = 65_536

    def __init__(self, archive: zipfile.ZipFile, member: str) -> None:
        self.items: list[str] = []  # the first ones
        self.count = 0
        self._recent: list[str] = [""] * self.RECENT_KEPT  # string n at n % RECENT_KEPT
        self._spill = None
        # Where each spilled string ends in the file: 4 bytes each, as a workbook bigger than
        # 1 GB unpacked is refused before it is read (reading.MAX_UNCOMPRESSED_BYTES).
        self._offsets = array("I", [0])
        self._pending = bytearray()  # spilled bytes not yet written
        self._written = 0
        self._more = self._read(archive, member) if member else iter(())

    def _read(self, archive: zipfile.ZipFile, member: str) -> Iterator[list[str]]:
        prefix, _head = _prefix(archive, member)
        tags = _Tags(prefix)
        for block in _blocks(
            archive, member, f"</{prefix}si>".encode(), b"</%ssst>" % prefix.encode()
        ):
            yield [tags.rich(body) for body in tags.item.findall(_text(block))]

    def _add(self, texts: list[str]) -> None:
        room = self.FIRST_KEPT - len(self.items)
        if room > 0:
            self.items.extend(texts[:room])
            self.count += min(room, len(texts))
            texts = texts[room:]
        if not texts:
            return
        if self._spill is None:
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        recent, kept, offsets, pending = (
            self._recent,
            self.RECENT_KEPT,
            self._offsets,
            self._pending,
        )
        for text in texts:
            recent[self.count % kept] = text
            self.count += 1
            pending += text.encode("utf-8", "surrogatepass")
            offsets.append(self._written + len(pending))
        if len(pending) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        self._spill.write(self._pending)
        self._spill.flush()
        self._written += len(self._pending)
        self._pending.clear()

    def get(self, index: str) -> str:
        if not (index.isdigit() and index.isascii()):  # int() takes " -1": the last string
            raise SheetError("bad shared string index")
        number = int(index)
        while number >= self.count:
            more = next(self._more, None)
            if more is None:
                raise SheetError("shared string index out of range")
            self._add(more)
        if number < 0:
            raise SheetError("shared string index out of range")
        if number < len(self.items):
            return self.items[number]
        if number >= self.count - self.RECENT_KEPT:
            return self._recent[number % self.RECENT_KEPT]
        # read long ago: back from the file
        spilled = number - len(self.items)
        start, end = self._offsets[spilled], self._offsets[spilled + 1]
        if end > self._written:
            self._flush()
        data = os.pread(self._spill.fileno(), end - start, start)
        return data.decode("utf-8", "surrogatepass")

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()


# --- cell values -------------------------------------------------------------------------

_NOTHING = object()  # a cell that holds no value (a styled empty cell, a formula never run)
_ISO_FORMS = (
    (re.compile(r"\d{4}-\d\d-\d\d"), lambda s: dt.date.fromisoformat(s)),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"), lambda s: dt.datetime.fromisoformat(s)),
    (re.compile(r"\d\d:\d\d:\d\d"), lambda s: dt.time.fromisoformat(s)),
)


class _Cells:
    """Turns the tokens of a block of rows into values, with the workbook's styles and
    shared strings."""

    def __init__(self, book: XlsxBook, tags: _Tags, strings: SharedStrings) -> None:
        self.tags, self.strings = tags, strings
        self.styles, self.date1904 = book.styles, book.date1904
        self.columns: dict[str, int] = {}
        self.seen = 0  # the number of the last row element met

    def rows(self, text: str) -> Iterator[tuple[int, list | None]]:
        """(number, values by column with "" in the gaps, or None when no cell of the row
        holds a value) of each row of a block of whole rows."""
        columns, shared, items = self.columns, self.strings.get, self.strings.items
        tokens = self.tags.token.findall(text)
        if tokens and not tokens[0][0]:
            raise SheetError("a cell outside a row")
        if len(tokens) < sum(text.count(start) for start in self.tags.starts):
            raise SheetError("a row or cell not understood")
        number, values, column = 0, [], -1
        for row, r, letters, style, kind, v, v_text, inline, i_text, attributes, body in tokens:
            if row:
                if number:
                    yield number, values or None
                number = self.seen = _row_number(r, self.seen)
                values, column = [], -1
                continue
            if letters:
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_number(letters)
                if not v:
                    if not (inline and kind == "inlineStr"):
                        continue
                    value = _unescape(i_text) if ("&" in i_text or "_x" in i_text) else i_text
                elif kind == "s":  # a shared string, most texts of a sheet Excel saved
                    if v_text.isdigit() and v_text.isascii():
                        index = int(v_text)
                        value = items[index] if index < len(items) else shared(v_text)
                    else:  # not an index: the table refuses it
                        value = shared(v_text) if v_text else _NOTHING
                else:
                    value = self.value(kind, v_text, style)
            else:
                column, value = self.other(attributes, body, column)
            if value is _NOTHING:
                continue
            size = len(values)
            if column == size:
                values.append(value)
            elif column > size:
                values.extend([""] * (column - size))
                values.append(value)
            else:
                values[column] = value
        if number:
            yield number, values or None

    def other(self, attributes: str, body: str, column: int) -> tuple[int, object]:
        """(column, value) of a cell written otherwise than Excel writes it."""
        found = {name: a or b for name, a, b in self.tags.attribute.findall(attributes)}
        letters = _LETTERS.match(found.get("r", "").upper())
        column = column_number(letters.group()) if letters else column + 1
        kind, style = found.get("t", ""), found.get("s", "")
        if not style.isdigit():
            style = ""
        if kind == "inlineStr":
            return column, (self.tags.rich(body) if self.tags.inline.search(body) else _NOTHING)
        match = self.tags.value.search(body) if body else None
        return column, (self.value(kind, match.group(1), style) if match else _NOTHING)

    def value(self, kind: str, text: str, style: str) -> object:
        """The value of a cell whose `<v>` holds `text`, by the cell's type `t`."""
        if kind == "" or kind == "n":
            if not text:
                return _NOTHING
            try:
                number = float(text)
            except ValueError:
                number = None
            if number is None or not _plain_number(text):
                if kind:
                    raise SheetError("not a number")
                return _unescape(text)  # python-calamine keeps such a cell as text
            if style:
                index = int(style)
                if index < len(self.styles) and self.styles[index]:
                    return excel_date(number, self.styles[index], self.date1904)
            return number
        if kind == "s":
            return self.strings.get(text) if text else _NOTHING
        if kind == "str":
            return _unescape(text)
        if kind == "b":
            return _boolean(text)
        if kind == "e":
            return "" if text else _NOTHING  # an error (#N/A …) reads as an empty cell
        if kind == "d":
            return _iso(_unescape(text)) if text else _NOTHING
        if kind == "inlineStr":
            return _NOTHING
        raise SheetError("unknown cell type")


def _plain_number(text: str) -> bool:
    """Whether a number parsed by float() is one python-calamine parses too (no spaces, no
    underscores, ASCII digits)."""
    return text.isascii() and "_" not in text and not text[0].isspace() and not text[-1].isspace()


def _boolean(text: str) -> object:
    if text in ("1", "true"):
        return True
    if text in ("0", "false"):
        return False
    if not text:
        return _NOTHING
    raise SheetError("not a boolean")


def _iso(text: str) -> object:
    for form, parse in _ISO_FORMS:
        if form.fullmatch(text):
            try:
                return parse(text)
            except ValueError:
                return text
    return text


# --- rows --------------------------------------------------------------------------------


def sheet_rows(book: XlsxBook, sheet: str) -> Iterator[tuple[int, list]]:
    """(row number, values) of every row from 1 to the last one holding a value, blank rows
    included (empty lists), the others as wide as the sheet is so far (at least its declared
    dimension). Rows
    are read in the order the file holds them; a row repeated is merged; a row numbered
    before the one above it is an error (SheetError)."""
    member = book.sheets[sheet]
    with ExitStack() as stack:
        archive = stack.enter_context(zipfile.ZipFile(book.path))
        prefix, head = _prefix(archive, member)
        tags = _Tags(prefix)
        strings = stack.enter_context(closing(SharedStrings(archive, book.strings)))
        cells = _Cells(book, tags, strings)
        width = _width(head)
        done = 0  # the last row given
        held, held_number = None, 0
        for block in _sheet_blocks(archive, member, prefix):
            for number, values in cells.rows(_text(block)):
                if values is None:
                    continue
                if held is not None and number == held_number:
                    _merge(held, values)
                    continue
                if number < held_number:
                    raise SheetError("rows out of order")
                if held is not None:
                    width = max(width, len(held))
                    yield from _blank_rows(done, held_number)
                    yield held_number, _padded(held, width)
                    done = held_number
                held, held_number = values, number
        if held is not None:
            width = max(width, len(held))
            yield from _blank_rows(done, held_number)
            yield held_number, _padded(held, width)


def _row_number(number: str, seen: int) -> int:
    if not number:
        return seen + 1
    try:
        value = int(number)
    except ValueError:
        raise SheetError("bad row number") from None
    if value < 1:
        raise SheetError("bad row number")
    return value


def _merge(held: list, values: list) -> None:
    for column, value in enumerate(values):
        if value == "" and column < len(held):
            continue
        if column < len(held):
            held[column] = value
        else:
            held.extend([""] * (column - len(held)))
            held.append(value)


def _blank_rows(done: int, before: int) -> Iterator[tuple[int, list]]:
    """The rows between two rows with values, each an empty list: a blank row however wide
    the sheet (one cell in its last column, a million rows down, made a million lists of
    16,384 cells for the header search of an upload)."""
    for number in range(done + 1, before):
        yield number, []


def _padded(values: list, width: int) -> list:
    if len(values) < width:
        values.extend([""] * (width - len(values)))
    return values


def sheet_last_row(book: XlsxBook, sheet: str) -> int:
    """The number of the last row holding a value element, found without reading a cell:
    at least the last row `sheet_rows` gives (a formula never calculated counts too), not
    the rows of empty cells a template formats below its data. Each block's last value is
    looked up backwards to its row's `r`; rows without one are counted instead."""
    member = book.sheets[sheet]
    with zipfile.ZipFile(book.path) as archive:
        prefix, _head = _prefix(archive, member)
        p = re.escape(prefix).encode()
        start = re.compile(rb"""<%srow\b(?=[^<>]*?\sr\s*=\s*["'](\d*))?""" % p)
        marks = (b"<%sv" % prefix.encode(), b"<%sis" % prefix.encode())
        row_tag = b"<%srow" % prefix.encode()
        last = 0
        for block in _sheet_blocks(archive, member, prefix):
            value = max(block.rfind(mark) for mark in marks)
            if value < 0:
                continue
            match = start.match(block, max(block.rfind(row_tag, 0, value), 0))
            if match is None or not match.group(1):
                return _counted_last_row(archive, member, prefix, start, marks)
            last = max(last, _row_number(match.group(1).decode(), 0))
    return last


def _counted_last_row(archive, member: str, prefix: str, start, marks) -> int:
    """sheet_last_row for a sheet whose rows do not all say their number."""
    last = seen = 0
    for block in _sheet_blocks(archive, member, prefix):
        positions, numbers = [], []
        for match in start.finditer(block):
            seen = _row_number(match.group(1).decode() if match.group(1) else "", seen)
            positions.append(match.start())
            numbers.append(seen)
        value = max(block.rfind(mark) for mark in marks)
        row = bisect.bisect_right(positions, value) - 1
        if value >= 0 and row >= 0:
            last = max(last, numbers[row])
    return last


SHEET_ERRORS = (
    SheetError,
    KeyError,
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    EOFError,
    NotImplementedError,  # a compression method zipfile does not know
)
