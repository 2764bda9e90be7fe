"""Reading uploaded spreadsheets row by row, whatever Excel or a phone saved.

An XLSX or XLSM sheet is streamed row by row (imports/xlsx_stream.py), so memory does not grow
with its rows; XLS, XLSB and ODS are read with python-calamine, which loads a sheet whole; CSV
with the standard library after guessing the encoding (UTF-8 with or without BOM, else
Windows-1252) and the separator (comma, semicolon or tab). Anything else gets a `FileProblem`
with a machine code the interface turns into a sentence; nothing here raises anything else
for a bad file.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from lindung.imports.headers import HEADER_SEARCH_ROWS, detect_header
from lindung.imports.xlsx_stream import (
    SHEET_ERRORS,
    XlsxBook,
    open_book,
    sheet_last_row,
    sheet_rows,
)

# A decompressed workbook bigger than this is refused (zip bombs, accidental exports).
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Rows a sheet may have: as many as Excel itself holds in a sheet (a regency's residents fit;
# a small file that expands to millions of rows does not). Checked before a workbook is loaded
# (its declared dimension), at upload, and while reading.
MAX_ROWS = 1_048_576
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# English templates; the interface translates them (see imports.messages).
FILE_MESSAGES = {
    "empty_file": "The file is empty.",
    "too_big": "The file is too big.",
    "not_spreadsheet": "This is not a spreadsheet (XLSX, XLS, ODS or CSV).",
    "password": "The workbook is protected with a password.",
    "corrupt": "The file is damaged and cannot be opened.",
    "no_sheet": "The workbook has no sheet with data.",
    "sheet_missing": "There is no sheet named {sheet}.",
    "no_header": "No header row found.",
    "no_rows": "The sheet has a header but no data rows.",
    "too_many_rows": "The sheet has more than {limit} rows.",
}


class FileProblem(Exception):
    """A file that cannot be read at all; `code` keys FILE_MESSAGES."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(FILE_MESSAGES[code].format(**params))

    def __reduce__(self):
        # Raised in the reader process, raised again in the import's (readahead).
        return (_file_problem, (self.code, self.params))


def _file_problem(code: str, params: dict) -> FileProblem:
    return FileProblem(code, **params)


def sniff_format(head: bytes, name: str = "") -> str:
    """ "xlsx", "ods", "xls" or "csv" from the first bytes; FileProblem otherwise."""
    if not head:
        raise FileProblem("empty_file")
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    # Binary files are full of NULs; a text file with a stray one is read (the NULs removed).
    if head[:4096].count(b"\x00") > 8 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("not_spreadsheet")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    sample = head[:4096]
    try:
        text = sample.decode("utf-8-sig", errors="ignore")
    except UnicodeDecodeError:  # pragma: no cover - errors="ignore" never raises
        text = ""
    if text.lstrip().startswith(("<", "{", "%PDF")):
        raise FileProblem("not_spreadsheet")
    return "csv"


def _check_zip(path: Path) -> str:
    """ "xlsx" or "ods" for a sane zip container; FileProblem for bombs and other zips."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileProblem("corrupt") from None
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise FileProblem("too_big")
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    raise FileProblem("not_spreadsheet")


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def _declared_rows(path: Path) -> int:
    """The most rows a worksheet of an XLSX says it has (its <dimension>, written near the
    top of the sheet), read without loading it: a small file may expand to millions of rows.
    0 when no sheet declares it (the rows are then counted while reading)."""
    most = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            with archive.open(info) as sheet:
                head = sheet.read(4096)
            match = _DIMENSION.search(head)
            if match:
                most = max(most, int(match.group(1) or 1))
    return most


def _check_ole(path: Path) -> str:
    """ "xls" for a legacy workbook; an encrypted OOXML workbook is an OLE file too."""
    with open(path, "rb") as handle:
        head = handle.read(1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in head:
        raise FileProblem("password")
    return "xls"


def detect_format(path: Path) -> str:
    """The format of the file at `path` ("xlsx", "xls", "ods" or "csv")."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    kind = sniff_format(head, path.name)
    if kind == "zip":
        return _check_zip(path)
    if kind == "ole":
        return _check_ole(path)
    return kind


@dataclass
class TextEvidence:
    """What a CSV file's bytes say about how to read it."""

    encoding: str
    invalid: int = 0  # bytes that are not UTF-8
    multibyte: int = 0  # characters beyond ASCII that are valid UTF-8
    first_invalid_line: int = 0
    nuls: int = 0
    first_nul_line: int = 0
    lines: int = 0  # line ends counted (LF)

    def notices(self) -> list[tuple[int, str, dict]]:
        """(line, code, params) of what the reading changed, for the user to check."""
        found = []
        if self.invalid and self.encoding.startswith("utf-8"):
            found.append((self.first_invalid_line, "bytes_replaced", {"count": self.invalid}))
        elif self.invalid:
            found.append((self.first_invalid_line, "read_as_cp1252", {"count": self.invalid}))
        if self.nuls:
            found.append((self.first_nul_line, "nul_removed", {"count": self.nuls}))
        return found


_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_BEYOND_ASCII = re.compile("[\x80-\ud7ff\ue000-\U0010ffff]")


def text_evidence(path: Path) -> TextEvidence:
    """How to decode a CSV file: UTF-16 with BOM; UTF-8 (BOM or not) when its bytes are
    UTF-8, also when a few are not (those are replaced and counted); Windows-1252 only when
    the non-ASCII bytes are mostly not UTF-8 (Excel's "CSV" on Windows). One bad byte in a
    UTF-8 file no longer turns every name into mojibake.

    The whole file is read in chunks, so a 1,000,000-row file never sits in memory."""
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return TextEvidence("utf-16")
        handle.seek(0)
        evidence = TextEvidence("utf-8-sig")
        decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        lines = 1
        while True:
            chunk = handle.read(1024 * 1024)
            text = decoder.decode(chunk, final=not chunk)
            if text:
                bad = _NOT_UTF8.findall(text)
                if bad and not evidence.invalid:
                    position = _NOT_UTF8.search(text).start()
                    evidence.first_invalid_line = lines + text.count("\n", 0, position)
                evidence.invalid += len(bad)
                evidence.multibyte += len(_BEYOND_ASCII.findall(text))
                if "\x00" in text:
                    if not evidence.nuls:
                        position = text.index("\x00")
                        evidence.first_nul_line = lines + text.count("\n", 0, position)
                    evidence.nuls += text.count("\x00")
                lines += text.count("\n")
            if not chunk:
                break
    evidence.lines = lines - 1
    if evidence.invalid > evidence.multibyte:
        evidence.encoding = "cp1252"
    return evidence


def text_encoding(path: Path) -> str:
    """The encoding a CSV file is read with (see text_evidence)."""
    return text_evidence(path).encoding


def guess_delimiter(text: str) -> str:
    """The separator used on the first lines: Indonesian-locale Excel writes semicolons."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1
    for candidate in (",", ";", "\t", "|"):
        counts = [line.count(candidate) for line in lines]
        score = max(counts, default=0)
        if score > best_score:
            best, best_score = candidate, score
    return best


@dataclass
class Table:
    """One sheet: its rows as lists of cell values with the numbers a user sees."""

    path: Path
    format: str
    sheet_names: list[str] = field(default_factory=list)
    sheet: str = ""
    # A CSV file: how its bytes are read (decided once, from the whole file).
    evidence: TextEvidence | None = None
    # An XLSX/XLSM workbook's parts, for streaming its sheet (a fresh pass each time).
    _book: XlsxBook | None = field(default=None, init=False, repr=False, compare=False)
    # Another workbook's sheet is loaded whole; kept so counting and reading it load it once.
    _loaded: python_calamine.CalamineSheet | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as the user sees it, cell values) for every row, empty ones included."""
        if self.format == "csv":
            evidence = self.evidence or text_evidence(self.path)
            for number, row in _csv_rows(self.path, evidence):
                if number > MAX_ROWS:
                    raise FileProblem("too_many_rows", limit=MAX_ROWS)
                yield number, row
        elif self._book is not None:
            with _streamed_problems():
                for number, row in sheet_rows(self._book, self.sheet):
                    if number > MAX_ROWS:
                        raise FileProblem("too_many_rows", limit=MAX_ROWS)
                    yield number, row
        else:
            with _workbook_problems(self.sheet):
                sheet = self._workbook_sheet()
                start_column = sheet.start[1] if sheet.start else 0
                pad = [""] * start_column
                # iter_rows starts at the sheet's first row (number 1) and first used column.
                for index, row in enumerate(sheet.iter_rows()):
                    if index >= MAX_ROWS:
                        raise FileProblem("too_many_rows", limit=MAX_ROWS)
                    yield index + 1, pad + row if pad else row  # a fresh list per row

    def last_row(self) -> int:
        """The number of the last row, found without reading a cell: at least the number of
        any row `rows` yields (blank rows count; a CSV cell over several lines counts each)."""
        if self.format == "csv":
            return _csv_line_count(self.path)
        if self._book is not None:
            with _streamed_problems():
                return sheet_last_row(self._book, self.sheet)
        with _workbook_problems(self.sheet):
            end = self._workbook_sheet().end
        return end[0] + 1 if end else 0

    def _workbook_sheet(self) -> python_calamine.CalamineSheet:
        if self._loaded is None:
            workbook = python_calamine.CalamineWorkbook.from_path(str(self.path))
            self._loaded = workbook.get_sheet_by_name(self.sheet)
        return self._loaded


def _csv_rows(path: Path, evidence: TextEvidence) -> Iterator[tuple[int, list]]:
    with open(path, encoding=evidence.encoding, errors="replace", newline="") as handle:
        delimiter = guess_delimiter(handle.read(64 * 1024))
        handle.seek(0)
        # PostgreSQL refuses a NUL in text: it is removed (and the import says so).
        lines = (line.replace("\x00", "") for line in handle) if evidence.nuls else handle
        reader = csv.reader(lines, delimiter=delimiter)
        line = 1
        try:
            for row in reader:
                yield line, row
                line = reader.line_num + 1
        except csv.Error:
            raise FileProblem("corrupt") from None


def _csv_line_count(path: Path) -> int:
    # Lines end in LF, CRLF or (old Mac Excel) CR alone, even mixed. In UTF-16 a byte 0x0A or
    # 0x0D may also be half of another character: that only counts too many.
    ends, last = 0, b""
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            ends += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
            if last == b"\r" and block.startswith(b"\n"):
                ends -= 1
            last = block[-1:]
    return ends + (last not in (b"", b"\n", b"\r"))


@contextmanager
def _workbook_problems(sheet: str) -> Iterator[None]:
    """Turn what python-calamine raises for a bad workbook into a FileProblem."""
    try:
        yield
    except python_calamine.WorksheetNotFound:
        raise FileProblem("sheet_missing", sheet=sheet) from None
    except python_calamine.PasswordError:
        raise FileProblem("password") from None
    except (python_calamine.CalamineError, ValueError, OSError, RuntimeError):
        raise FileProblem("corrupt") from None


@contextmanager
def _streamed_problems() -> Iterator[None]:
    """Turn what a damaged XLSX raises while it is streamed into a FileProblem."""
    try:
        yield
    except (*SHEET_ERRORS, ValueError, OSError, RuntimeError):
        raise FileProblem("corrupt") from None


def open_table(path: Path | str, sheet: str = "") -> Table:
    """Open a file for reading; picks the first sheet with data unless `sheet` is given."""
    path = Path(path)
    kind = detect_format(path)
    if kind == "csv":
        table = Table(path=path, format="csv", sheet_names=[], sheet="")
        table.evidence = text_evidence(path)
        if table.evidence.lines > MAX_ROWS:
            raise FileProblem("too_many_rows", limit=MAX_ROWS)
        return table
    if kind == "xlsx" and _declared_rows(path) > MAX_ROWS:
        raise FileProblem("too_many_rows", limit=MAX_ROWS)
    if kind == "xlsx" and _has_xml_workbook(path):
        return _open_streamed(path, sheet)
    loaded = None
    with _workbook_problems(sheet):
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = [
            meta.name
            for meta in workbook.sheets_metadata
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if sheet and sheet not in names:
            raise FileProblem("sheet_missing", sheet=sheet)
        if not sheet:
            sheet, loaded = _data_sheet(workbook, names)
    if not sheet:
        raise FileProblem("no_sheet")
    table = Table(path=path, format=kind, sheet_names=names, sheet=sheet)
    # The sheet found with data is loaded already: reading its header or rows next (an
    # upload does both) does not load it a second time (~2 s for 100,000 rows).
    table._loaded = loaded
    return table


def _has_xml_workbook(path: Path) -> bool:
    """Whether the workbook is XML (XLSX, XLSM), which is streamed; not a binary XLSB."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    return "xl/workbook.bin" not in names


def _open_streamed(path: Path, sheet: str) -> Table:
    """An XLSX/XLSM table: its worksheets named, the one asked for or the first with data
    chosen by reading only the first rows of each (no sheet is loaded)."""
    with _streamed_problems():
        book = open_book(str(path))
    names = list(book.sheets)
    if sheet and sheet not in names:
        raise FileProblem("sheet_missing", sheet=sheet)
    table = Table(path=path, format="xlsx", sheet_names=names, sheet=sheet)
    table._book = book
    if not sheet:
        first = ""
        for name in names:
            table.sheet = name
            with _streamed_problems():
                head = _head(table.rows())
            if head and not first:
                first = name
            if head and detect_header(head) is not None:
                return table
        if not first:
            raise FileProblem("no_sheet")
        table.sheet = first
    return table


def _head(rows: Iterator[tuple[int, list]]) -> list[list]:
    """The first rows of a sheet from its first row with a value, as many as a header is
    looked for in (python-calamine's head of a sheet)."""
    head = []
    try:
        for _number, values in rows:
            if head or any(value != "" for value in values):
                head.append(values)
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
    finally:
        rows.close()
    return head


def _data_sheet(workbook, names: list[str]) -> tuple[str, python_calamine.CalamineSheet | None]:
    """The first sheet whose first rows hold a header row, wherever it sits in the workbook
    (Lindung's template opens on its instructions); else the first sheet with data."""
    first = ("", None)
    for name in names:
        candidate = workbook.get_sheet_by_name(name)
        if not candidate.height:
            continue
        if first[1] is None:
            first = (name, candidate)
        head = candidate.to_python(nrows=HEADER_SEARCH_ROWS)
        if detect_header(head) is not None:
            return name, candidate
    return first


def is_blank_row(row: list) -> bool:
    """Whether every cell of a row is empty or whitespace."""
    for value in row:
        if value is None or value == "":
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return False
    return True
