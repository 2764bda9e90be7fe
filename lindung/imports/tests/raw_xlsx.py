"""Workbooks written XML by XML, for what openpyxl never writes: shared strings as Excel saves
them, rows and cells without their `r`, namespace prefixes, phonetic runs, comments, 1904
dates, formulas' cached values. python-calamine reads them as it reads Excel's files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


def write_raw_xlsx(
    path: Path,
    sheets: list[tuple[str, str]],
    *,
    strings: list[str] | None = None,
    number_formats: list[str | int] = (),
    date1904: bool = False,
    prefix: str = "",
    dimension: str = "",
) -> Path:
    """A workbook whose sheets hold `sheets` ((name, the XML inside <sheetData>), with `x:`
    before every tag when prefix="x"); `strings` the shared strings (XML inside each <si>);
    `number_formats` the cell styles s=1, 2 …: a built-in format id or a format code."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    sheet_entries = "".join(
        f'<{p}sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _xml) in enumerate(sheets, 1)
    )
    parts = {
        "xl/workbook.xml": (
            f'<{p}workbook {xmlns} xmlns:r="{RELS}">'
            + (f'<{p}workbookPr date1904="1"/>' if date1904 else "")
            + f"<{p}sheets>{sheet_entries}</{p}sheets></{p}workbook>"
        ),
        "xl/styles.xml": _styles(number_formats, p, xmlns),
    }
    relations = [
        (f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)
    ]
    relations.append(("rIdStyles", "styles", "styles.xml"))
    for i, (_name, xml) in enumerate(sheets, 1):
        head = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f"<{p}worksheet {xmlns}>{head}<{p}sheetData>{xml}</{p}sheetData></{p}worksheet>"
        )
    if strings is not None:
        items = "".join(f"<{p}si>{item}</{p}si>" for item in strings)
        parts["xl/sharedStrings.xml"] = f'<{p}sst {xmlns} count="{len(strings)}">{items}</{p}sst>'
        relations.append(("rIdStrings", "sharedStrings", "sharedStrings.xml"))
    parts["xl/_rels/workbook.xml.rels"] = _relations(
        (rid, f"{RELS}/{kind}", target) for rid, kind, target in relations
    )
    parts["_rels/.rels"] = _relations([("rId1", f"{RELS}/officeDocument", "xl/workbook.xml")])
    overrides = [("/xl/workbook.xml", BOOK_TYPE), ("/xl/styles.xml", STYLES_TYPE)]
    overrides += [(f"/xl/worksheets/sheet{i}.xml", SHEET_TYPE) for i in range(1, len(sheets) + 1)]
    if strings is not None:
        overrides.append(("/xl/sharedStrings.xml", STRINGS_TYPE))
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
        + "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
    return path


def _styles(number_formats, p: str, xmlns: str) -> str:
    custom, ids = [], []
    for index, fmt in enumerate(number_formats):
        if isinstance(fmt, int):
            ids.append(fmt)
        else:
            ids.append(164 + index)
            code = escape(fmt, {'"': "&quot;"})
            custom.append(f'<{p}numFmt numFmtId="{164 + index}" formatCode="{code}"/>')
    formats = f"<{p}numFmts>{''.join(custom)}</{p}numFmts>" if custom else ""
    xfs = "".join(f'<{p}xf numFmtId="{i}" applyNumberFormat="1"/>' for i in [0, *ids])
    return f"<{p}styleSheet {xmlns}>{formats}<{p}cellXfs>{xfs}</{p}cellXfs></{p}styleSheet>"


def _relations(entries) -> str:
    body = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in entries
    )
    return f'<Relationships xmlns="{PACKAGE_RELS}">{body}</Relationships>'


_INLINE = re.compile(
    rb'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>'
    rb"(.*?)</t></is></c>",
    re.S,
)


def with_shared_strings(source: Path, target: Path) -> Path:
    """The workbook openpyxl wrote (its texts inline in each cell) with its texts moved into a
    shared string table instead, as Excel and LibreOffice save them."""
    table: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        index = table.setdefault(match.group(3), len(table))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), index)

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = _INLINE.sub(shared, data)
            elif info.filename == "[Content_Types].xml":
                entry = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
                data = data.replace(b"</Types>", entry.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                entry = (
                    f'<Relationship Id="rIdStrings" Type="{RELS}/sharedStrings" '
                    'Target="sharedStrings.xml"/>'
                )
                data = data.replace(b"</Relationships>", entry.encode() + b"</Relationships>")
            new.writestr(info.filename, data)
        items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in table)
        new.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}">'.encode()
            + items
            + b"</sst>",
        )
    return target


def write_ods(path: Path, sheets: list[tuple[str, list[list[str]]]]) -> Path:
    """An OpenDocument spreadsheet of text cells (LibreOffice's own format), which
    python-calamine reads whole."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    body = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{escape(cell)}'
                "</text:p></table:table-cell>"
                for cell in row
            )
            + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets
    )
    content = (
        f'<office:document-content xmlns:office="{office}" xmlns:table="{table}" '
        f'xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>{body}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?>\n' + content)
    return path
