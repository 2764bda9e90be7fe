"""Reports as XLSX files, written in openpyxl's write-only mode (constant memory)."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lindung.lib.cells import spreadsheet_safe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\ and unique.
    name = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or "Sheet"
    base, i = name, 2
    while name in used:
        name = f"{base[:28]}-{i}"
        i += 1
    used.add(name)
    return name


def xlsx_bytes(*, spec, area, month, sections) -> bytes:
    """The workbook: one sheet per section, a title row, a header row, the rows, the totals."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for section in sections:
        sheet = book.create_sheet(_sheet_title(section.title, used))
        title = WriteOnlyCell(
            sheet,
            value=_cell(
                f"{spec.title} · {area.title}{f' ({area.code})' if area.code else ''} · {month}"
            ),
        )
        title.font = bold
        sheet.append([title])
        sheet.append([_cell(str(section.title))])
        header = []
        for column in section.columns:
            cell = WriteOnlyCell(sheet, value=_cell(str(column.title)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in section.rows:
            sheet.append([_cell(row.get(c.key)) for c in section.columns])
        if section.totals:
            sheet.append([_cell(section.totals.get(c.key, "")) for c in section.columns])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    """Numbers and dates as they are; anything else as text no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, date)):
        return value
    return spreadsheet_safe(str(value))
