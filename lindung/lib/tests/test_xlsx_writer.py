"""The streamed XLSX writer: what it writes is read back the same by openpyxl and by
python-calamine (the reader Lindung's importer uses for the formats it does not stream)."""

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from lindung.lib import xlsx_writer
from lindung.lib.xlsx_writer import column_letters, write_sheet

TEXTS = [
    "Siti Nur'aini",
    'A & B <c> "d"',
    "  leading and trailing  ",
    "two\nlines",
    "Ṣri Rahayu — Ñ 🙂",
    "1811014101900001",  # a NIK stays text, all 16 digits
]


def _read_openpyxl(path, read_only=True):
    return load_workbook(path, read_only=read_only)


def test_texts_numbers_and_empties_come_back_as_written(tmp_path):
    path = tmp_path / "a.xlsx"
    row = [*TEXTS, 42, 1.5, Decimal("2.25"), True, False, None, "", 7]
    headers = [f"Kolom {i}" for i in range(len(row))]
    assert write_sheet(path, sheet="Data", headers=headers, rows=[row]) == 1

    sheet = _read_openpyxl(path)["Data"]
    got = list(sheet.iter_rows(values_only=True))
    assert got[0] == tuple(headers)
    assert got[1] == (*TEXTS, 42, 1.5, 2.25, True, False, None, None, 7)

    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert calamine[1][: len(TEXTS)] == TEXTS
    assert calamine[1][len(TEXTS) :] == [42, 1.5, 2.25, True, False, "", "", 7]


def test_characters_xml_cannot_hold_are_dropped(tmp_path):
    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Data", headers=["Nama\x01"], rows=[["Ani\x00\x07 Lestari\x1b\t!"]])
    got = list(_read_openpyxl(path)["Data"].iter_rows(values_only=True))
    assert got == [("Nama",), ("Ani Lestari\t!",)]


@pytest.mark.parametrize(
    "day",
    [
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(1990, 1, 27),
        dt.date(2026, 12, 8),
        dt.date(9999, 12, 31),
    ],
)
def test_dates_are_dates_in_the_day_first_format(tmp_path, day):
    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Data", headers=["Tanggal"], rows=[[day]])
    cell = _read_openpyxl(path, read_only=False)["Data"]["A2"]
    assert cell.is_date and cell.number_format == "dd/mm/yyyy"
    assert cell.value == dt.datetime.combine(day, dt.time())
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert calamine[1] == [day]


def test_a_date_before_1900_and_a_time_of_day(tmp_path):
    path = tmp_path / "a.xlsx"
    moment = dt.datetime(2026, 12, 8, 13, 45, 30)
    write_sheet(path, sheet="Data", headers=["a", "b"], rows=[[dt.date(1899, 12, 31), moment]])
    sheet = _read_openpyxl(path, read_only=False)["Data"]
    assert sheet["A2"].value == "31/12/1899"
    assert sheet["B2"].value == moment and sheet["B2"].number_format == "dd/mm/yyyy hh:mm"


def test_a_time_with_a_zone_is_refused(tmp_path):
    moment = dt.datetime(2026, 12, 8, 13, 45, tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        write_sheet(tmp_path / "a.xlsx", sheet="Data", headers=["a"], rows=[[moment]])


def test_a_number_that_is_not_finite_is_written_as_its_text(tmp_path):
    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Data", headers=["a", "b"], rows=[[float("nan"), float("inf")]])
    assert list(_read_openpyxl(path)["Data"].iter_rows(values_only=True))[1] == ("nan", "inf")


def test_the_header_is_bold_and_stays_in_view(tmp_path):
    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Ditolak", headers=["NIK", "", "Alasan"], rows=[["1", "x", "y"]])
    book = _read_openpyxl(path, read_only=False)
    assert book.sheetnames == ["Ditolak"]
    sheet = book["Ditolak"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["C1"].font.b and not sheet["A2"].font.b
    assert sheet["B1"].value is None


def test_rows_over_several_blocks_and_wider_than_the_header(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_writer, "BLOCK", 7)
    path = tmp_path / "a.xlsx"
    rows = [[f"r{n}", n] for n in range(30)] + [[str(c) for c in range(30)]]
    assert write_sheet(path, sheet="Data", headers=["a", "b"], rows=iter(rows)) == 31
    got = list(_read_openpyxl(path)["Data"].iter_rows(values_only=True))
    assert len(got) == 32
    assert got[1][:2] == ("r0", 0) and got[30][:2] == ("r29", 29)
    assert got[31] == tuple(str(c) for c in range(30))


def test_the_package_holds_the_parts_a_spreadsheet_needs(tmp_path):
    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Data", headers=["a"], rows=[])
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        assert set(package.namelist()) == {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        }
    assert list(_read_openpyxl(path)["Data"].iter_rows(values_only=True)) == [("a",)]


def test_column_letters():
    letters = column_letters(703)
    assert letters[:3] == ["A", "B", "C"]
    assert [letters[i - 1] for i in (26, 27, 52, 53, 702, 703)] == [
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_no_text_is_written_as_a_formula(tmp_path):
    path = tmp_path / "a.xlsx"
    row = ['=HYPERLINK("http://x")', "@SUM(A1)", "-5", "+6281234567890", "\tx"]
    write_sheet(path, sheet="Data", headers=["=kepala"], rows=[row])
    got = list(_read_openpyxl(path, read_only=False)["Data"].iter_rows(values_only=True))
    assert got == [
        ("'=kepala", None, None, None, None),
        ('\'=HYPERLINK("http://x")', "'@SUM(A1)", "-5", "+6281234567890", "'\tx"),
    ]


def test_a_formula_behind_a_control_character_is_still_neutralised(tmp_path):
    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Data", headers=["a"], rows=[["\x00=1+1"], ["\x07"]])
    got = list(_read_openpyxl(path)["Data"].iter_rows(values_only=True))
    assert got[1] == ("'=1+1",)
    assert len(got) == 3 and all(value is None for value in got[2])  # a row with no cell


def test_a_text_longer_than_a_cell_holds_is_cut_to_excels_limit(tmp_path):
    path = tmp_path / "a.xlsx"
    emoji = "🙂" * 20000  # two UTF-16 units each: 40,000 units
    write_sheet(path, sheet="Data", headers=["a", "b"], rows=[["x" * 40000, emoji]])
    got = list(_read_openpyxl(path)["Data"].iter_rows(values_only=True))[1]
    assert got[0] == "x" * 32767
    assert got[1] == "🙂" * 16383  # 32,766 units: half an emoji is not kept


def test_lone_surrogates_are_dropped_from_headers_and_rows(tmp_path):
    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Data", headers=["Na\ud800ma"], rows=[["Ani\udfff"]])
    got = list(_read_openpyxl(path)["Data"].iter_rows(values_only=True))
    assert got == [("Nama",), ("Ani",)]


def test_spreadsheetmls_own_escapes_and_carriage_returns_survive(tmp_path):
    path = tmp_path / "a.xlsx"
    texts = ["_x0041_", "a_x000D_b", "_xZZZZ_", "baris\r\ndua"]
    write_sheet(path, sheet="Data", headers=["a", "b", "c", "d"], rows=[texts])
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    # Excel and python-calamine read the escapes (openpyxl does not: it shows them as written).
    assert calamine[1] == texts


def test_integer_choices_are_numbers_and_an_odd_decimal_is_text(tmp_path):
    import enum

    class Level(enum.IntEnum):
        VILLAGE = 4

    path = tmp_path / "a.xlsx"
    write_sheet(path, sheet="Data", headers=["a", "b"], rows=[[Level.VILLAGE, Decimal("sNaN")]])
    assert list(_read_openpyxl(path)["Data"].iter_rows(values_only=True))[1] == (4, "sNaN")


@pytest.mark.parametrize("name", ["", "a" * 32, "Data/2026", "'Data", "Data[1]"])
def test_a_name_no_spreadsheet_takes_is_refused(tmp_path, name):
    with pytest.raises(ValueError):
        write_sheet(tmp_path / "a.xlsx", sheet=name, headers=["a"], rows=[])


def test_more_rows_than_a_sheet_holds_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_writer, "MAX_ROWS", 5)
    with pytest.raises(xlsx_writer.SheetFull):
        write_sheet(tmp_path / "a.xlsx", sheet="Data", headers=["a"], rows=[[n] for n in range(5)])
    assert write_sheet(tmp_path / "b.xlsx", sheet="Data", headers=["a"], rows=[[1]] * 4) == 4
