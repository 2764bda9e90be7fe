"""Reading uploaded spreadsheets row by row, whatever Excel or a phone saved.

XLSX, XLS and ODS are read with python-calamine (fast and streaming); CSV with the standard
library after guessing the encoding (UTF-8 with or without BOM, else Windows-1252) and the
separator (comma, semicolon or tab). Anything else gets a `FileProblem` with a machine code
the interface turns into a sentence; nothing here raises anything else for a bad file.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

# A decompressed workbook bigger than this is refused (zip bombs, accidental exports).
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
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
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
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


def text_encoding(path: Path) -> str:
    """The encoding of a CSV file: UTF-16 with BOM, UTF-8 (BOM or not), else Windows-1252.

    The whole file is checked in chunks, so a 1,000,000-row file never sits in memory."""
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


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
    # A workbook sheet is loaded whole; kept so counting and reading its rows load it once.
    _loaded: python_calamine.CalamineSheet | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as the user sees it, cell values) for every row, empty ones included."""
        if self.format == "csv":
            yield from _csv_rows(self.path)
        else:
            with _workbook_problems(self.sheet):
                sheet = self._workbook_sheet()
                start_column = sheet.start[1] if sheet.start else 0
                pad = [""] * start_column
                # iter_rows starts at the sheet's first row (number 1) and first used column.
                for index, row in enumerate(sheet.iter_rows()):
                    yield index + 1, pad + row if pad else row  # a fresh list per row

    def last_row(self) -> int:
        """The number of the last row, found without reading a cell: at least the number of
        any row `rows` yields (blank rows count; a CSV cell over several lines counts each)."""
        if self.format == "csv":
            return _csv_line_count(self.path)
        with _workbook_problems(self.sheet):
            end = self._workbook_sheet().end
        return end[0] + 1 if end else 0

    def _workbook_sheet(self) -> python_calamine.CalamineSheet:
        if self._loaded is None:
            workbook = python_calamine.CalamineWorkbook.from_path(str(self.path))
            self._loaded = workbook.get_sheet_by_name(self.sheet)
        return self._loaded


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    encoding = text_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        delimiter = guess_delimiter(handle.read(64 * 1024))
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
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


def open_table(path: Path | str, sheet: str = "") -> Table:
    """Open a file for reading; picks the first sheet with data unless `sheet` is given."""
    path = Path(path)
    kind = detect_format(path)
    if kind == "csv":
        return Table(path=path, format="csv", sheet_names=[], sheet="")
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
            for name in names:
                candidate = workbook.get_sheet_by_name(name)
                if candidate.height:
                    sheet, loaded = name, candidate
                    break
    if not sheet:
        raise FileProblem("no_sheet")
    table = Table(path=path, format=kind, sheet_names=names, sheet=sheet)
    # The sheet found with data is loaded already: reading its header or rows next (an
    # upload does both) does not load it a second time (~2 s for 100,000 rows).
    table._loaded = loaded
    return table


def is_blank_row(row: list) -> bool:
    """Whether every cell of a row is empty or whitespace."""
    for value in row:
        if value is None or value == "":
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return False
    return True
