"""What an XLSX workbook's small parts say (its sheets, the number format of each cell style,
its calendar), and a serial date number as python-calamine gives it: for imports/xlsx_stream.py,
which reads the sheets themselves."""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

MAX_COLUMNS = 16_384  # Excel's XFD
# The largest workbook, relationships or styles part read (Excel's are a few hundred KiB).
MAX_PART = 32 << 20
DATE, DURATION = 1, 2
_WORKSHEET = "/worksheet"
_STRINGS = "/sharedStrings"
_STYLES = "/styles"
_OFFICE_DOCUMENT = "/officeDocument"


class SheetError(ValueError):
    """The workbook's XML says something no spreadsheet program writes (reading.py turns it
    into the `corrupt` FileProblem, as it does python-calamine's errors)."""


# The longest tag read (a real one, however many attributes, takes less than 1 KiB).
MAX_TAG = 64 * 1024
# A `<` whose tag does not end before the next `<` or within MAX_TAG characters.
_UNCLOSED = re.compile(rf"<(?![^<>]{{0,{MAX_TAG}}}>)")


def plain_markup(text: str) -> str:
    """A block of a part's XML with its comments left out and its CDATA sections escaped as
    text, which no expression of xlsx_stream knows. SheetError for a comment or section never
    closed, or a tag that does not end before the next starts (within MAX_TAG characters):
    each expression then scans no further than the tag it starts on, so a block costs time
    in proportion to its length, never to its length squared."""
    if "<!" in text:
        text = _sections(text)
    if _UNCLOSED.search(text):
        raise SheetError("a tag never closed")
    return text


def _sections(text: str) -> str:
    parts, at = [], 0
    while (start := text.find("<!", at)) >= 0:
        if text.startswith("<!--", start):
            opening, closing = "<!--", "-->"
        elif text.startswith("<![CDATA[", start):
            opening, closing = "<![CDATA[", "]]>"
        else:  # a declaration: the tag check refuses one with an internal subset
            parts.append(text[at : start + 2])
            at = start + 2
            continue
        end = text.find(closing, start + len(opening))
        if end < 0:
            raise SheetError("a comment or CDATA section never closed")
        parts.append(text[at:start])
        if opening != "<!--":
            parts.append(_escape(text[start + len(opening) : end]))
        at = end + len(closing)
    parts.append(text[at:])
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;")


@dataclass
class XlsxBook:
    """What a workbook's small parts say: its worksheets (name → XML member, in workbook
    order), the number format kind of each cell style, its calendar and shared strings."""

    path: str
    sheets: dict[str, str] = field(default_factory=dict)
    styles: list[int] = field(default_factory=list)
    date1904: bool = False
    strings: str = ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _read_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """The part's elements; None when the package has no such part. SheetError for a part
    larger than MAX_PART (read whole, unlike the sheets and shared strings) or one that
    declares a document type, in whatever encoding: its entities would be expanded."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise SheetError("a part too big")
    with archive.open(info) as stream:
        data = stream.read(MAX_PART + 1)
    if len(data) > MAX_PART:
        raise SheetError("a part too big")
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _declared
    try:
        parser.Parse(data, True)  # stops at a declaration, before an entity is expanded
    except expat.ExpatError:
        raise SheetError("not XML") from None
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD, so no entity to expand


def _declared(*_args: object) -> None:
    raise SheetError("a document type declaration")  # OOXML parts never hold one


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, member) of a part's relationships."""
    folder, name = posixpath.split(part)
    root = _read_xml(archive, posixpath.join(folder, "_rels", name + ".rels"))
    found = {}
    for rel in root if root is not None else ():
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        member = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[rel.get("Id")] = (rel.get("Type", ""), posixpath.normpath(member))
    return found


def open_book(path: str) -> XlsxBook:
    """The workbook's sheets, styles, calendar and shared strings; SheetError, KeyError or a
    zip or XML error for a package that is not one."""
    book = XlsxBook(path=str(path))
    with zipfile.ZipFile(path) as archive:
        main = "xl/workbook.xml"
        for kind, member in _relations(archive, "").values():
            if kind.endswith(_OFFICE_DOCUMENT):
                main = member
        root = _read_xml(archive, main)
        if root is None:
            raise SheetError("no workbook part")
        relations = _relations(archive, main)
        for element in root.iter():
            name = _local(element.tag)
            if name == "workbookPr":
                book.date1904 = element.get("date1904", "").lower() in ("1", "true")
            elif name == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                kind, member = relations.get(rid, ("", ""))
                if kind.endswith(_WORKSHEET):
                    book.sheets[element.get("name", "")] = member
        for kind, member in relations.values():
            if kind.endswith(_STRINGS):
                book.strings = member
            elif kind.endswith(_STYLES):
                book.styles = _style_kinds(_read_xml(archive, member))
    return book


def _style_kinds(root: ElementTree.Element | None) -> list[int]:
    """Per cell style (the `s` of a cell): DATE, DURATION or 0, from its number format."""
    if root is None:
        return []
    codes, kinds = {}, []
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            codes[element.get("numFmtId", "")] = element.get("formatCode", "")
    for group in root:
        if _local(group.tag) != "cellXfs":
            continue
        for xf in group:
            number = xf.get("numFmtId", "0")
            kind = format_kind(codes[number]) if number in codes else _builtin_kind(number)
            kinds.append(kind)
    return kinds


def _builtin_kind(number: str) -> int:
    if number in {"14", "15", "16", "17", "18", "19", "20", "21", "22", "45", "47"}:
        return DATE
    return DURATION if number == "46" else 0


def format_kind(code: str) -> int:
    """Whether a number format shows a date or time (DATE), an elapsed time like [h]:mm
    (DURATION) or a number (0), read as python-calamine reads it: its first section only,
    letters in quotes, escaped or in brackets left out, `A/P` and `AM/PM` a time."""
    escaped = quoted = after_a = elapsed = False
    brackets, previous = 0, " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\*":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return 0
        elif char == "[":
            brackets += 1
        elif char == "]":
            if brackets == 1 and elapsed:
                return DURATION
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not after_a and char in "aA":
            after_a = True
        elif brackets == 0 and char in ("pmPM/" if after_a else "dmhysDMHYS"):
            return DATE
        elif not (elapsed and char.lower() == previous.lower()):
            elapsed = previous == "[" and char in "mhsMHS"
        previous = char
    return 0


_MS_PER_DAY = 86_400_000
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def excel_date(number: float, kind: int, date1904: bool) -> object:
    """A serial date number as python-calamine gives it: a duration as a timedelta; below 1 a
    time of day; a whole number a date; else a datetime (to the millisecond); a number out of
    the calendar stays a number. The 1900 calendar counts Excel's 29 February 1900."""
    try:
        if kind == DURATION:
            return dt.timedelta(milliseconds=_rounded(number * _MS_PER_DAY))
        if number < 1.0:
            milliseconds = _rounded(number * _MS_PER_DAY) % _MS_PER_DAY
            return (dt.datetime.min + dt.timedelta(milliseconds=milliseconds)).time()
        serial = number if (date1904 or number >= 60) else number + 1
        moment = (_EPOCH_1904 if date1904 else _EPOCH_1900) + dt.timedelta(
            milliseconds=_rounded(serial * _MS_PER_DAY)
        )
    except (OverflowError, ValueError):
        return number
    return moment.date() if number.is_integer() else moment


def _rounded(value: float) -> int:
    """Half away from zero, as Rust rounds (Python's round() goes to the even neighbour)."""
    whole = math.floor(abs(value) + 0.5)
    return -whole if value < 0 else whole
