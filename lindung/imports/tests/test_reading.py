"""Finding the header and reading real-world files: pure functions, fuzzed."""

import datetime as dt
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lindung.imports.headers import (
    FIELDS,
    auto_mapping,
    column_letter,
    compact,
    detect_header,
    field_for_header,
    mapping_from_names,
)
from lindung.imports.reading import FileProblem, is_blank_row, open_table
from lindung.imports.rows import nik_from_cell
from lindung.imports.tests.factories import write_csv, write_xlsx
from lindung.imports.tests.raw_xlsx import write_ods
from lindung.imports.villages import village_key
from lindung.lib.cells import CellError

REAL_HEADERS = {
    "NIK": "nik",
    "No. KTP": "nik",
    "Nama": "full_name",
    "Nama Lengkap": "full_name",
    "L/P": "sex",
    "Jenis Kelamin": "sex",
    "Tempat Lahir": "birth_place",
    "Tgl Lahir": "birth_date",
    "Tanggal Lahir": "birth_date",
    "Alamat": "address",
    "Dusun": "dusun",
    "RT": "rt",
    "RW": "rw",
    "No HP": "phone",
    "Desa": "village",
    "Kecamatan": "district",
    "Negara Tujuan": "destination_country",
    "Negara Penempatan": "destination_country",
    "Jabatan": "job_title",
    "Sektor": "sector",
    "P3MI/PT": "agency_name",
    "Tgl Berangkat": "departed_on",
    "Tgl Pulang": "returned_on",
    "Status": "status",
    "Keterangan": "note",
    "TGL. LAHIR (dd/mm/yyyy)": "birth_date",
    "  nama  lengkap ": "full_name",
    "identitas/nik": "nik",
    "_uuid": "submission_uuid",
    "meta/instanceID": "submission_uuid",
    "data-nik": "nik",
}


@pytest.mark.parametrize("header, key", REAL_HEADERS.items())
def test_common_indonesian_headers_are_recognised(header, key):
    assert field_for_header(header) == key


def test_every_template_header_maps_to_its_own_field():
    assert [field_for_header(f.header) for f in FIELDS] == [f.key for f in FIELDS]


@given(
    st.lists(st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats()), max_size=40)
)
def test_any_row_maps_to_distinct_in_range_columns(row):
    mapping = auto_mapping(row)
    assert len(set(mapping.values())) == len(mapping)
    assert all(0 <= i < len(row) for i in mapping.values())
    assert all(field_for_header(row[i]) == key for key, i in mapping.items())


@given(
    junk=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(),
                st.sampled_from(["DAFTAR PMI", "Desa Wiralaga", "", "Tahun 2024", "No"]),
            ),
            max_size=6,
        ),
        max_size=10,
    ),
    header=st.permutations(["NIK", "Nama", "L/P", "Tgl Lahir", "Desa", "Negara Tujuan"]),
    pad=st.integers(min_value=0, max_value=5),
)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_the_header_is_found_below_title_rows_and_whatever_the_column_order(junk, header, pad):
    rows = junk + [[None] * pad + list(header)] + [["1811014101900001", "Ani", "P"]]
    index = detect_header(rows)
    assert index == len(junk)
    mapping = auto_mapping(rows[index])
    assert mapping["nik"] == pad + header.index("NIK")


@given(st.lists(st.lists(st.text(max_size=8), max_size=6), max_size=12))
def test_rows_without_nik_or_name_never_count_as_a_header(rows):
    rows = [[c for c in r if field_for_header(c) not in ("nik", "full_name")] for r in rows]
    assert detect_header(rows) is None


@given(st.lists(st.sampled_from([f.header for f in FIELDS]), min_size=1, unique=True))
def test_a_saved_mapping_finds_its_columns_in_any_order(names):
    saved = {field_for_header(n): n for n in names}
    reordered = list(reversed(names))
    mapping = mapping_from_names(reordered, saved)
    assert {k: reordered[i] for k, i in mapping.items()} == saved


def test_a_saved_mapping_does_not_apply_when_a_column_is_missing():
    assert mapping_from_names(["NIK"], {"nik": "NIK", "full_name": "Nama"}) is None


@given(st.text())
def test_compact_is_idempotent_ascii(text):
    assert compact(compact(text)) == compact(text)
    assert compact(text).isascii()


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_village_names_match_despite_prefix_case_and_roman_numbers():
    assert village_key("Desa WIRALAGA 1") == village_key("Wiralaga I")
    assert village_key("Kel. Sido Mulyo") == village_key("sidomulyo")


def test_a_nik_number_cell_is_kept_only_when_it_cannot_have_been_rounded():
    assert nik_from_cell(1811014101900001.0) == "1811014101900001"
    with pytest.raises(CellError) as error:
        nik_from_cell(1811014101900010.0)  # Excel keeps 15 digits: the last 0 may be a guess
    assert error.value.code == "nik_float"
    with pytest.raises(CellError):
        nik_from_cell(1.81101e15)


def rows_of(path, sheet=""):
    return [values for _n, values in open_table(path, sheet).rows()]


def test_csv_with_semicolons_bom_and_windows_1252(tmp_path):
    for encoding in ("utf-8-sig", "utf-8", "cp1252"):
        path = write_csv(
            tmp_path / f"{encoding}.csv",
            [["NIK", "Nama"], ["1", "Aç"]],
            delimiter=";",
            encoding=encoding,
        )
        assert rows_of(path) == [["NIK", "Nama"], ["1", "Aç"]]


def test_csv_line_numbers_are_the_file_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('NIK,Nama\n1,"two\nlines"\n\n3,x\n', encoding="utf-8")
    numbers = [n for n, _v in open_table(path).rows()]
    assert numbers == [1, 2, 4, 5]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("last_ending", [True, False])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_the_last_csv_line_is_counted_without_reading_the_rows(
    tmp_path, ending, last_ending, encoding
):
    path = tmp_path / "a.csv"
    text = ending.join(["NIK,Nama", '1,"two', 'lines"', "", "3,x"])
    path.write_bytes((text + ending if last_ending else text).encode(encoding))
    table = open_table(path)
    assert [n for n, _v in table.rows()] == [1, 2, 4, 5]
    if encoding == "utf-8":
        assert table.last_row() == 5
    else:  # a byte of a UTF-16 character may look like a line end: never fewer
        assert table.last_row() >= 5


def test_the_last_sheet_row_is_the_last_used_row(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx", [["NIK", "Nama"], ["1", "x"], [], ["2", "y"]], title_rows=3
    )
    table = open_table(path)
    assert table.last_row() == 7 == max(n for n, _v in table.rows())
    empty = write_xlsx(tmp_path / "b.xlsx", [], sheet="Kosong", extra_sheets=("Isi",))
    assert open_table(empty, "Kosong").last_row() == 0


def test_an_ods_sheet_is_loaded_once_to_count_and_read_it(tmp_path, monkeypatch):
    import python_calamine

    path = write_ods(tmp_path / "a.ods", [("Data", [["NIK", "Nama"], ["1", "x"]])])
    table = open_table(path, "Data")
    loads, workbook = [], python_calamine.CalamineWorkbook

    class Spy:
        @staticmethod
        def from_path(name):
            loads.append(name)
            return workbook.from_path(name)

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Spy)
    assert table.last_row() == 2
    assert len(list(table.rows())) == 2
    assert len(loads) == 1


def test_the_ods_sheet_chosen_for_its_data_is_not_loaded_again_to_read_it(tmp_path, monkeypatch):
    import python_calamine

    path = write_ods(tmp_path / "a.ods", [("Kosong", []), ("Data", [["NIK", "Nama"], ["1", "x"]])])
    loads, workbook = [], python_calamine.CalamineWorkbook

    class Spy:
        def __init__(self, name):
            self.opened = workbook.from_path(name)
            self.sheets_metadata = self.opened.sheets_metadata

        @classmethod
        def from_path(cls, name):
            return cls(name)

        def get_sheet_by_name(self, name):
            loads.append(name)
            return self.opened.get_sheet_by_name(name)

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Spy)
    table = open_table(path)  # no sheet named: the first with data is chosen
    assert [values for _n, values in table.rows()] == [["NIK", "Nama"], ["1", "x"]]
    assert table.last_row() == 2
    assert loads == ["Kosong", "Data"]


def test_an_xlsx_workbook_is_never_loaded_by_python_calamine(tmp_path, monkeypatch):
    import python_calamine

    path = write_xlsx(
        tmp_path / "a.xlsx", [["NIK", "Nama"], ["1", "x"]], sheet="Petunjuk", extra_sheets=("Data",)
    )

    class Refused:
        @staticmethod
        def from_path(name):
            raise AssertionError("an XLSX sheet is streamed, never loaded whole")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Refused)
    table = open_table(path)
    assert table.sheet == "Petunjuk"
    assert [values for _n, values in table.rows()] == [["NIK", "Nama"], ["1", "x"]]
    assert table.last_row() == 2
    assert open_table(path, "Data").last_row() == 0


def test_xlsx_row_numbers_are_the_sheet_rows_and_the_data_sheet_is_chosen(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx", [["NIK", "Nama"], ["1", "x"]], title_rows=3, sheet="Data"
    )
    numbers = [(n, v) for n, v in open_table(path).rows() if not is_blank_row(v)]
    assert numbers[1] == (4, ["NIK", "Nama"])
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Kosong"
    wb.create_sheet("Isi").append(["NIK", dt.date(1990, 1, 2)])
    wb.save(tmp_path / "b.xlsx")
    table = open_table(tmp_path / "b.xlsx")
    assert table.sheet == "Isi"
    assert table.sheet_names == ["Kosong", "Isi"]


def test_password_protected_and_zip_bombs_and_other_zips_are_refused(tmp_path):
    encrypted = tmp_path / "sandi.xlsx"
    encrypted.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 500
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 500
    )
    with pytest.raises(FileProblem) as error:
        open_table(encrypted)
    assert error.value.code == "password"
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"\x00" * (50 * 1024 * 1024))
    with pytest.raises(FileProblem) as error:
        open_table(bomb)
    assert error.value.code == "too_big"
    other = tmp_path / "lain.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileProblem) as error:
        open_table(other)
    assert error.value.code == "not_spreadsheet"


def _read_or_refuse(path) -> None:
    """The reader either refuses the file as a FileProblem or reads it consistently: never
    another error, and no row beyond the last row it reports."""
    try:
        table = open_table(path)
        numbers = [n for n, _row in table.rows()]
        assert table.last_row() >= max(numbers, default=0)
    except FileProblem:
        pass


@given(st.binary(max_size=3000))
@example(b"\n\r")  # two line ends, LF then CR
@settings(max_examples=150, deadline=None)
def test_random_bytes_never_crash_the_reader(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "acak.xlsx"
    path.write_bytes(data)
    _read_or_refuse(path)


@given(cut=st.integers(min_value=1, max_value=4000))
@settings(max_examples=40, deadline=None)
def test_truncated_workbooks_never_crash_the_reader(tmp_path_factory, cut):
    folder = tmp_path_factory.mktemp("cut")
    whole = write_xlsx(folder / "utuh.xlsx", [["NIK", "Nama"]] + [[str(i), "x"] for i in range(50)])
    data = whole.read_bytes()
    path = folder / "potong.xlsx"
    path.write_bytes(data[: min(cut, len(data) - 1)])
    _read_or_refuse(path)
