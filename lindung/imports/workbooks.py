"""Files Lindung hands out: the blank template, the ODK/Kobo form and the error report."""

from __future__ import annotations

import hashlib
import json
import tempfile
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lindung.imports.headers import FIELD_BY_KEY, FIELDS
from lindung.imports.models import ImportBatch, ImportIssue, IssueKind
from lindung.imports.vocabulary import (
    CHECKLIST_LABELS,
    EDUCATION_LABELS,
    JOB_LABELS,
    MARITAL_LABELS,
    RETURN_LABELS,
    SCHEME_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
)
from lindung.lib.countries import COUNTRIES, country_choices
from lindung.lib.xlsx_writer import write_sheet

# The template's columns: the person and the episode (not what is read from other systems).
TEMPLATE_FIELDS = [f for f in FIELDS if f.group != "meta" and f.key != "checklist"]
TEXT_COLUMNS = {"nik", "kk_number", "phone", "rt", "rw", "village"}
DATE_COLUMNS = {"birth_date", "departed_on", "returned_on"}
REPORT_ROW_HEADER = "Baris"
REPORT_REASON_HEADER = "Alasan Ditolak"
HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
YES, NO = "Ya", "Tidak"


def _lists() -> dict[str, list[str]]:
    """The allowed values of the coded columns, as the template writes them."""
    return {
        "sex": ["L", "P"],
        "contact_consent": [YES, NO],
        "education": list(EDUCATION_LABELS.values()),
        "marital_status": list(MARITAL_LABELS.values()),
        "scheme": list(SCHEME_LABELS.values()),
        "destination_country": [name for _code, name in country_choices("id")],
        "sector": list(SECTOR_LABELS.values()),
        "job": list(JOB_LABELS.values()),
        "return_reason": list(RETURN_LABELS.values()),
        "status": list(STATUS_LABELS.values())[:3],
    }


def _instructions() -> list[str]:
    return [
        _("How to fill in this template"),
        "",
        _(
            "1. Write one person per row on the sheet Data, starting on row 2. Do not change the "
            "column names on row 1; columns you do not need may stay empty or be deleted."
        ),
        _(
            "2. NIK: the 16 digits of the KTP. The column is formatted as Text: type the NIK as it "
            "is. If Excel shows 1.81101E+15, the NIK has lost digits: format the cell as Text and "
            "type it again."
        ),
        _(
            "3. Required columns: NIK, Nama Lengkap, Jenis Kelamin (L or P) and Tanggal Lahir "
            "(day/month/year, e.g. 27/01/1990)."
        ),
        _(
            "4. Desa: the village name or its Kemendagri code (e.g. 18.11.01.2001). A village "
            "user may leave it empty. If two villages share a name, fill in Kecamatan too."
        ),
        _("5. No HP is kept only with the person's consent: write Ya in Setuju Dihubungi."),
        _(
            "6. Working abroad or returned: fill in Negara Tujuan and Tgl Berangkat, and Tgl "
            "Pulang and Alasan Pulang after the return. A departure recorded by import has its "
            "readiness checklist marked not checked until it is completed in the application. "
            "A Calon PMI whose country is not yet known may leave Negara Tujuan empty."
        ),
        _(
            "7. Coded columns (Jenis Kelamin, Negara Tujuan, Skema, Jenis Pekerjaan, Sektor, "
            "Pendidikan, Status Perkawinan, Alasan Pulang, Status) offer a drop-down list."
        ),
        _(
            "8. Upload the file under Import and export. You first see a check (nothing is saved): "
            "new, updated, unchanged and rejected rows with the reason. Download the error report, "
            "fix the rejected rows and upload it again: rows already imported stay unchanged."
        ),
        _("9. Importing the same file twice changes nothing the second time."),
    ]


def _style_header(ws, headers: list[str]) -> None:
    for index, _header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(_header) + 4)
    ws.freeze_panes = "A2"


def template_workbook(path: Path) -> Path:
    """Write the blank template (data sheet, lists and instructions) to `path`."""
    with translation.override("id"):
        wb = Workbook()
        ws = wb.active
        ws.title = "Data"
        headers = [f.header for f in TEMPLATE_FIELDS]
        ws.append(headers)
        _style_header(ws, headers)
        lists_ws = wb.create_sheet("Daftar")
        lists = _lists()
        for column, (key, values) in enumerate(lists.items(), start=1):
            lists_ws.cell(row=1, column=column, value=FIELD_BY_KEY[key].header).font = Font(
                bold=True
            )
            for row, value in enumerate(values, start=2):
                lists_ws.cell(row=row, column=column, value=value)
            letter = get_column_letter(column)
            target = get_column_letter(
                next(i for i, f in enumerate(TEMPLATE_FIELDS, 1) if f.key == key)
            )
            validation = DataValidation(
                type="list",
                formula1=f"=Daftar!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Value not in the list"),
                error=_("Choose a value from the list."),
            )
            validation.add(f"{target}2:{target}5000")
            ws.add_data_validation(validation)
        for index, f in enumerate(TEMPLATE_FIELDS, start=1):
            letter = get_column_letter(index)
            if f.key in TEXT_COLUMNS:
                for row in range(2, 1001):
                    ws[f"{letter}{row}"].number_format = "@"
            elif f.key in DATE_COLUMNS:
                for row in range(2, 1001):
                    ws[f"{letter}{row}"].number_format = "DD/MM/YYYY"
        info = wb.create_sheet("Petunjuk", 0)
        for line in _instructions():
            info.append([line])
        info["A1"].font = Font(bold=True, size=14)
        info.column_dimensions["A"].width = 120
        wb.active = 1
        wb.save(path)
    return path


def error_report_save(batch: ImportBatch) -> None:
    """Write the rejected and to-review rows, as they were, with the reason in a last column."""
    # Only the rows to fix and upload again: skipped rows are not persons, and rows applied
    # with a warning are recorded already.
    issues = ImportIssue.objects.filter(
        batch=batch, kind__in=(IssueKind.REJECTED, IssueKind.REVIEW)
    ).order_by("row", "id")
    if not issues.exists():
        if batch.error_report:
            ImportBatch.objects.filter(pk=batch.pk).update(error_report="")
        return
    # The issues are streamed twice (widest row, then the rows) rather than held: a file with
    # every row rejected would otherwise sit whole in memory (~390 MB for 200,000 rows).
    widest = max(len(v) for v in issues.values_list("values", flat=True).iterator(chunk_size=2000))
    width = max(len(batch.headers), widest)
    # The writer makes every text spreadsheet-safe and drops what XML cannot hold.
    headers = list(batch.headers) + [""] * (width - len(batch.headers))

    def rows():
        for row, group in groupby(issues.iterator(chunk_size=2000), key=attrgetter("row")):
            group = list(group)
            values = list(group[0].values)
            values += [None] * (width - len(values))
            reasons = [f"{i.column}: {i.message}" if i.column else i.message for i in group]
            yield values + [row, " | ".join(reasons)]

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_sheet(
            handle,
            sheet="Ditolak",
            headers=[*headers, REPORT_ROW_HEADER, REPORT_REASON_HEADER],
            rows=rows(),
        )
        handle.seek(0)
        name = f"laporan-galat-{batch.pk}-{timezone.now():%Y%m%d%H%M%S}.xlsx"
        batch.error_report.save(name, File(handle), save=False)
    ImportBatch.objects.filter(pk=batch.pk).update(error_report=batch.error_report.name)


SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "required",
    "constraint",
    "constraint_message",
    "relevant",
    "appearance",
)
ONE_NUMBER = "regex(., '^[0-9]{16}$')"
WHEN_ABROAD = "${status} != ''"


def _question(
    kind, name, label=None, *, required="", constraint="", message="", relevant="", appearance=""
):
    """A survey row; the label defaults to the import header of the field of that name."""
    label = FIELD_BY_KEY[name].header if label is None else label
    return (kind, name, label, required, constraint, message, relevant, appearance)


def _xlsform_survey() -> list[tuple]:
    """The questions, named by Lindung's field keys, in the order a door-to-door visit asks."""
    q = _question
    return [
        SURVEY_COLUMNS,
        q(
            "note",
            "intro",
            _("One resident per form. NIK, name, sex and date of birth are required."),
        ),
        q("select_one village", "village", required="yes", appearance="minimal"),
        q(
            "text",
            "nik",
            required="yes",
            constraint=ONE_NUMBER,
            message=_("A NIK has 16 digits."),
            appearance="numbers",
        ),
        q("text", "full_name", required="yes"),
        q("select_one sex", "sex", required="yes"),
        q("text", "birth_place"),
        q(
            "date",
            "birth_date",
            required="yes",
            constraint=". <= today()",
            message=_("The date of birth cannot be in the future."),
        ),
        q(
            "text",
            "kk_number",
            constraint=ONE_NUMBER,
            message=_("A KK number has 16 digits."),
            appearance="numbers",
        ),
        q("text", "dusun"),
        q("text", "rt", appearance="numbers"),
        q("text", "rw", appearance="numbers"),
        q("text", "address"),
        q("select_one yesno", "contact_consent", required="yes"),
        q("text", "phone", relevant="${contact_consent} = 'ya'", appearance="numbers"),
        q("select_one education", "education", appearance="minimal"),
        q("select_one marital", "marital_status"),
        q("select_one status", "status"),
        *_xlsform_trip_questions(),
        q("text", "note", appearance="multiline"),
    ]


def _xlsform_trip_questions() -> list[tuple]:
    """The questions about work abroad, asked once a status is chosen."""
    q = _question
    return [
        # A calon PMI may not know the country yet (placements/destination.py); a departure does.
        q(
            "select_one country",
            "destination_country",
            required="${status} != 'candidate'",
            relevant=WHEN_ABROAD,
            appearance="minimal",
        ),
        q("select_one scheme", "scheme", relevant=WHEN_ABROAD),
        q("select_one job", "job", relevant=WHEN_ABROAD, appearance="minimal"),
        q("text", "job_title", relevant=WHEN_ABROAD),
        q("text", "agency_name", relevant=WHEN_ABROAD),
        q("text", "employer_name", relevant=WHEN_ABROAD),
        q(
            "date",
            "departed_on",
            required="yes",
            constraint=". <= today()",
            message=_("The date cannot be in the future."),
            relevant="${status} = 'abroad' or ${status} = 'returned'",
        ),
        q(
            "date",
            "returned_on",
            required="yes",
            constraint=". <= today() and . >= ${departed_on}",
            message=_("The return is after the departure."),
            relevant="${status} = 'returned'",
        ),
        q("select_one return_reason", "return_reason", relevant="${status} = 'returned'"),
        q(
            "select_multiple checklist",
            "checklist",
            _("Documents complete (UU 18/2017 Pasal 5 and 13), if known"),
            relevant=WHEN_ABROAD,
        ),
    ]


def _xlsform_choices(villages: list[tuple[str, str]]) -> list[tuple]:
    """The choice lists; a choice's name is the code the importer reads."""
    countries = sorted(COUNTRIES.items(), key=lambda item: item[1][0])
    lists = [
        ("village", villages),
        ("sex", [("L", "Laki-laki"), ("P", "Perempuan")]),
        ("yesno", [("ya", YES), ("tidak", NO)]),
        ("education", EDUCATION_LABELS.items()),
        ("marital", MARITAL_LABELS.items()),
        ("status", list(STATUS_LABELS.items())[:3]),
        ("country", [(code, names[0]) for code, names in countries]),
        ("scheme", SCHEME_LABELS.items()),
        ("job", JOB_LABELS.items()),
        ("return_reason", RETURN_LABELS.items()),
        ("checklist", CHECKLIST_LABELS.items()),
    ]
    return [("list_name", "name", "label")] + [
        (name, code, label) for name, pairs in lists for code, label in pairs
    ]


def xlsform_workbook(
    path: Path, *, villages: list[tuple[str, str]], title: str, area_code: str = ""
) -> Path:
    """Write an XLSForm for door-to-door data collection in ODK Collect or KoboCollect.

    Question names are Lindung's field keys, so a submission export maps itself; choice
    names are the codes the importer reads. Villages are those of the user's area. The form
    id names the area (each area's form is its own form on a server), and the version is a
    digest of the questions and choices, so it changes whenever a list changes (a village
    added) and a server takes the new form as a new version.
    """
    survey, choices = _xlsform_survey(), _xlsform_choices(villages)
    digest = hashlib.sha256(json.dumps([survey, choices], default=str).encode()).hexdigest()
    form_id = "lindung_pmi" + (f"_{area_code.replace('.', '_')}" if area_code else "")
    sheets = {
        "survey": survey,
        "choices": choices,
        "settings": [("form_title", "form_id", "version"), (title, form_id, digest[:12])],
    }
    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    wb.save(path)
    return path
