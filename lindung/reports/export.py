"""Reports as XLSX files, written in openpyxl's write-only mode (constant memory)."""

from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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
        title = WriteOnlyCell(sheet, value=f"{spec.title} · {area.title} ({area.code}) · {month}")
        title.font = bold
        sheet.append([title])
        sheet.append([str(section.title)])
        header = []
        for column in section.columns:
            cell = WriteOnlyCell(sheet, value=str(column.title))
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
    if value is None:
        return ""
    if isinstance(value, (int, float, date)):
        return value
    return str(value)


def xlsx_response(*, spec, area, month, sections) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(spec=spec, area=area, month=month, sections=sections), content_type=XLSX_TYPE
    )
    filename = f"{spec.id}-{slugify(area.name)}-{month}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
