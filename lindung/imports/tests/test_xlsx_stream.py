"""The streamed XLSX reader gives what python-calamine gives for the same workbook, row by row
and cell by cell, and reads a sheet a block at a time. No timings here: bench/bench_import.py
measures speed and memory."""

import datetime as dt
import zipfile

import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from lindung.imports import xlsx_parts, xlsx_stream
from lindung.imports.headers import detect_header
from lindung.imports.reading import MAX_ROWS, FileProblem, is_blank_row, open_table
from lindung.imports.tests.raw_xlsx import with_shared_strings, write_raw_xlsx


def calamine_rows(path, sheet):
    """What Table.rows gave for a workbook before it was streamed: python-calamine's rows
    from row 1, each padded to its absolute columns."""
    loaded = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    start = loaded.start[1] if loaded.start else 0
    return [(i + 1, [""] * start + row) for i, row in enumerate(loaded.iter_rows())]


def trimmed(rows):
    """The rows without their trailing empty cells."""
    out = []
    for number, values in rows:
        values = list(values)
        while values and values[-1] == "":
            values.pop()
        out.append((number, values))
    return out


def assert_read_alike(path, sheet, *, exact=True):
    """The streamed rows are python-calamine's; cell for cell with `exact`, which needs the
    sheet to declare its dimension (as Excel, LibreOffice and openpyxl do); without it a row
    is as wide as the widest row so far, where python-calamine's are all as wide as the
    widest of the sheet."""
    table = open_table(path, sheet)
    assert table._book is not None  # streamed
    expected = calamine_rows(path, sheet)
    rows = list(table.rows())
    # a blank row is an empty list (python-calamine's are as wide as the others)
    blank_as_empty = [(n, [] if set(values) <= {""} else values) for n, values in expected]
    assert (rows if exact else trimmed(rows)) == (blank_as_empty if exact else trimmed(expected))
    widths = [len(values) for _number, values in rows if values]
    assert widths == sorted(widths)
    assert table.last_row() >= (expected[-1][0] if expected else 0)
    return expected


def varied_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Petunjuk"
    ws["A1"] = "Cara mengisi: satu orang per baris"
    data = wb.create_sheet("Data")
    data["C4"], data["D4"], data["E4"], data["F4"] = "NIK", "Nama", "Tgl Lahir", "Nilai"
    data["C5"] = "1811014101900001"
    data["D5"] = "  Siti _x0000_ Aminah\nbaris dua & <b>"
    data["E5"] = dt.date(1990, 1, 2)
    data["F5"] = 1811014101900001
    data["G5"] = True
    data["C7"] = 3.5  # row 6 blank
    data["D7"] = dt.datetime(2023, 3, 15, 12, 30, 5)
    data["E7"] = dt.time(7, 45)
    data["F7"] = dt.timedelta(hours=30)
    data["H7"] = -0.25
    data["I7"] = "=1+2"  # a formula openpyxl cannot calculate: no cached value
    data["C9"] = CellRichText([TextBlock(InlineFont(b=True), "Desa"), " Wiralaga I"])
    data["E9"] = 45000
    data["E9"].number_format = "[$-421]dd mmmm yyyy"
    data["F9"] = 12
    data["F9"].number_format = "0.00"
    data["G9"] = 0.5
    data["G9"].number_format = "0%"
    data["J9"] = "#N/A"
    for row in range(10, 30):
        data[f"C{row}"].number_format = "dd/mm/yyyy"  # formatted below the data, never filled
    wb.create_sheet("Kosong")
    wb.save(path)
    return path


@pytest.mark.parametrize("strings", ["inline", "shared"])
def test_a_varied_workbook_reads_as_python_calamine_reads_it(tmp_path, strings):
    path = varied_workbook(tmp_path / "beragam.xlsx")
    if strings == "shared":
        path = with_shared_strings(path, tmp_path / "bersama.xlsx")
    for sheet in ("Petunjuk", "Data", "Kosong"):
        assert_read_alike(path, sheet)
    rows = dict(open_table(path, "Data").rows())
    assert rows[4][2:6] == ["NIK", "Nama", "Tgl Lahir", "Nilai"]
    assert rows[5][2] == "1811014101900001" and rows[5][5] == 1811014101900001.0
    assert rows[6] == []  # a blank row keeps its number
    assert open_table(path, "Data").last_row() == 9  # not the formatted rows below
    assert open_table(path, "Kosong").last_row() == 0


def _raw(tmp_path, xml, **options):
    return write_raw_xlsx(tmp_path / "mentah.xlsx", [("S", xml)], **options)


FORMATS = {"number_formats": ["dd/mm/yyyy", "[h]:mm", 46, 14, "General", "0.00", "@", '#,##0 "m"']}
RAW_CASES = {
    "error_and_formula_values": (
        '<row r="2"><c r="B2" t="e"><v>#N/A</v></c><c r="C2"><f>A1</f><v></v></c>'
        '<c r="D2" t="str"><f>A1</f><v>abc</v></c><c r="E2"><f>A1</f><v>7</v></c></row>',
        {},
    ),
    "booleans_and_text_numbers": (
        '<row r="2"><c r="B2" t="b"><v>1</v></c><c r="C2" t="b"><v>0</v></c>'
        '<c r="D2"><v>abc</v></c><c r="E2"><v> 12 </v></c><c r="F2"><v>1E+15</v></c>'
        '<c r="G2"><v>-0</v></c><c r="H2"><v>0x10</v></c></row>',
        {},
    ),
    "empty_strings_count_styled_cells_do_not": (
        '<row r="2"><c r="B2" t="inlineStr"><is><t></t></is></c><c r="C2" t="inlineStr">'
        '<is><t/></is></c><c r="D2" s="1"/><c r="E2" t="inlineStr"/></row>'
        '<row r="3"><c r="F3" s="1"/></row>',
        FORMATS,
    ),
    "rows_and_cells_without_r": (
        '<row><c><v>1</v></c><c><v>2</v></c></row><row><c r="C2"><v>3</v></c><c><v>4</v></c>'
        '</row><row r="5"><c><v>5</v></c></row><row><c r="b6"><v>6</v></c></row>',
        {},
    ),
    "escapes_entities_line_ends_cdata_comments": (
        '<row r="2"><!-- a note --><c r="B2" t="inlineStr"><is><t>a_x0041_b_x005F_x0041_c'
        "_x000D_d&amp;e&#10;f&#x41;&lt;&gt;&quot;&apos;_X0041_ _x00e9_</t></is></c>"
        '<c r="C2" t="inlineStr"><is><t>a\r\nb\rc</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t><![CDATA[x<y & z]]></t></is></c></row>',
        {},
    ),
    "rich_text_and_phonetic_runs": (
        '<row r="2"><c r="B2" t="inlineStr"><is><r><t>a</t></r><r><rPr><b/></rPr>'
        '<t xml:space="preserve"> b</t></r><rPh sb="0" eb="1"><t>PH</t></rPh></is></c>'
        '<c r="C2" t="s"><v>0</v></c><c r="D2" t="s"><v>1</v></c></row>',
        {
            "strings": [
                '<r><t>x</t></r><r><t xml:space="preserve"> y</t></r><rPh><t>p</t></rPh>',
                "<t>Wiralaga &amp; Mesuji</t>",
            ]
        },
    ),
    "dates_of_the_1900_calendar": (
        '<row r="2">'
        + "".join(
            f'<c r="{col}2" s="1"><v>{v}</v></c>'
            for col, v in zip(
                "BCDEFGHIJKLMN",
                [
                    "-1",
                    "0",
                    "0.5",
                    "1.5",
                    "59",
                    "60",
                    "61",
                    "32875",
                    "32875.1234567891",
                    "32875.9999999999",
                    "0.99999999999",
                    "2958465",
                    "2958466",
                ],
                strict=True,
            )
        )
        + "</row>",
        FORMATS,
    ),
    "dates_of_the_1904_calendar": (
        '<row r="2"><c r="B2" s="1"><v>0</v></c><c r="C2" s="1"><v>1</v></c>'
        '<c r="D2" s="1"><v>1.5</v></c><c r="E2" s="4"><v>30000</v></c></row>',
        {**FORMATS, "date1904": True},
    ),
    "durations_and_number_formats": (
        '<row r="2"><c r="B2" s="2"><v>1.25</v></c><c r="C2" s="3"><v>-0.5</v></c>'
        '<c r="D2" s="4"><v>3</v></c><c r="E2" s="5"><v>3</v></c><c r="F2" s="6"><v>3</v></c>'
        '<c r="G2" s="7"><v>3</v></c><c r="H2" s="8"><v>3</v></c><c r="I2" s="99"><v>3</v>'
        '</c><c r="J2" s="4" t="s"><v>0</v></c></row>',
        {**FORMATS, "strings": ["<t>teks</t>"]},
    ),
    "iso_dates": (
        '<row r="2"><c r="B2" t="d"><v>2020-01-02T03:04:05</v></c><c r="C2" t="d">'
        '<v>2020-01-02</v></c><c r="D2" t="d"><v>03:04:05</v></c><c r="E2" t="d">'
        "<v>2020-01-02T03:04:05.123Z</v></c></row>",
        {},
    ),
    "namespace_prefix": ('<x:row r="2"><x:c r="B2"><x:v>7</x:v></x:c></x:row>', {"prefix": "x"}),
    "cells_out_of_order_and_a_row_repeated": (
        '<row r="2"><c r="C2"><v>1</v></c><c r="B2"><v>2</v></c></row>'
        '<row r="2"><c r="D2"><v>3</v></c></row>',
        {},
    ),
    "attributes_in_another_order": (
        '<row r="2" spans="1:3"><c t="s" r="B2" s="1"><v>0</v></c><c r="C2" s="1" cm="1">'
        "<v>45000</v></c><c s='1' r='D2'><v>45000</v></c><c r=\"E2\"><v>1</v></c>"
        '<c r="F2" t="n" ><v>2</v></c>'
        "</row>",
        {**FORMATS, "strings": ["<t>x</t>"]},
    ),
    "dimension_wider_than_the_data": (
        '<row r="3"><c r="B3"><v>1</v></c></row>',
        {"dimension": "A1:F3"},
    ),
}


@pytest.mark.parametrize("case", RAW_CASES)
def test_what_other_programs_write_reads_as_python_calamine_reads_it(tmp_path, case):
    xml, options = RAW_CASES[case]
    expected = assert_read_alike(_raw(tmp_path, xml, **options), "S", exact=False)
    assert expected  # every case holds a value


@pytest.mark.parametrize(
    "xml, options",
    [
        ('<row r="2"><c r="B2" t="b"><v>2</v></c></row>', {}),
        ('<row r="2"><c r="B2" t="zz"><v>1</v></c></row>', {}),
        ('<row r="2"><c r="B2" t="s"><v>5</v></c></row>', {"strings": ["<t>a</t>"]}),
        ('<row r="2"><c r="B2" t="n"><v>1_000</v></c></row>', {}),
        ('<row r="0"><c r="A1"><v>1</v></c></row>', {}),
    ],
)
def test_a_cell_no_program_writes_is_a_damaged_file_for_both_readers(tmp_path, xml, options):
    path = _raw(tmp_path, xml, **options)
    with pytest.raises(python_calamine.CalamineError):
        calamine_rows(path, "S")
    with pytest.raises(FileProblem) as problem:
        list(open_table(path, "S").rows())
    assert problem.value.code == "corrupt"


def test_rows_numbered_backwards_are_refused_not_misnumbered(tmp_path):
    path = _raw(
        tmp_path, '<row r="3"><c r="B3"><v>1</v></c></row><row r="2"><c r="C2"><v>2</v></c></row>'
    )
    with pytest.raises(FileProblem) as problem:
        list(open_table(path, "S").rows())
    assert problem.value.code == "corrupt"


def test_a_row_past_the_last_excel_row_stops_the_reading(tmp_path):
    far = MAX_ROWS + 1
    xml = f'<row r="2"><c r="B2"><v>1</v></c></row><row r="{far}"><c r="A{far}"><v>1</v></c></row>'
    rows = open_table(_raw(tmp_path, xml), "S").rows()
    assert next(rows) == (1, [])
    with pytest.raises(FileProblem) as problem:
        for _row in rows:
            pass
    assert problem.value.code == "too_many_rows"


@given(
    numbers=st.lists(
        st.floats(min_value=0, max_value=2958466, allow_nan=False), min_size=1, max_size=30
    ),
    date1904=st.booleans(),
    style=st.sampled_from([1, 2, 3, 4]),
)
@settings(max_examples=40, deadline=None)
def test_serial_dates_convert_as_python_calamine_converts_them(
    tmp_path_factory, numbers, date1904, style
):
    cells = "".join(f'<c r="A{i}" s="{style}"><v>{n!r}</v></c>' for i, n in enumerate(numbers, 1))
    xml = "".join(f'<row r="{i}">{c}</row>' for i, c in enumerate(cells.split("</c>")[:-1], 1))
    xml = xml.replace("</row>", "</c></row>")
    path = write_raw_xlsx(
        tmp_path_factory.mktemp("tanggal") / "t.xlsx",
        [("S", xml)],
        date1904=date1904,
        **FORMATS,
    )
    assert trimmed(open_table(path, "S").rows()) == trimmed(calamine_rows(path, "S"))


@pytest.mark.parametrize(
    "code, kind",
    [
        ("dd/mm/yyyy", xlsx_parts.DATE),
        ("[$-421]dd mmmm yyyy", xlsx_parts.DATE),
        ("h:mm AM/PM", xlsx_parts.DATE),
        ("[h]:mm:ss", xlsx_parts.DURATION),
        ("[Red]0.00", 0),
        ('#,##0 "days"', 0),
        ("0_);(0)", 0),
        ("General", 0),
        ("@", 0),
        ("0.00;[Red]-0.00;yyyy", 0),
        ("\\d0", 0),
    ],
)
def test_number_formats_that_show_dates(code, kind):
    assert xlsx_parts.format_kind(code) == kind


def test_the_first_rows_are_given_before_the_rest_of_the_sheet_is_read(tmp_path, monkeypatch):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    for i in range(3000):
        ws.append([f"18110141019{i:05d}", f"Warga {i}", dt.date(1990, 1, 1)])
    wb.save(tmp_path / "besar.xlsx")
    monkeypatch.setattr(xlsx_stream, "BLOCK", 4096)
    monkeypatch.setattr(xlsx_stream, "_FIRST_BLOCK", 4096)
    read = []
    opened = zipfile.ZipFile.open

    def counting(archive, name, *args, **kwargs):
        stream = opened(archive, name, *args, **kwargs)
        original = stream.read

        def read_and_count(size=-1):
            data = original(size)
            read.append(len(data))
            return data

        stream.read = read_and_count
        return stream

    monkeypatch.setattr(zipfile.ZipFile, "open", counting)
    table = open_table(tmp_path / "besar.xlsx")
    read.clear()
    rows = table.rows()
    assert next(rows)[0] == 1
    with zipfile.ZipFile(tmp_path / "besar.xlsx") as archive:
        size = archive.getinfo(table._book.sheets["Data"]).file_size
    assert sum(read) < size / 10
    assert sum(1 for _row in rows) == 2999


def test_cells_never_closed_are_a_damaged_file_found_in_one_pass(tmp_path):
    # Each unclosed cell's content is looked for only up to the next cell: a file made of
    # them is refused after one pass over it, not after one pass per cell.
    cells = "".join(f'<c r="A{i}" t="n" q="{i * 7919 % 10007}">' for i in range(20_000))
    path = _raw(tmp_path, f'<row r="1">{cells}</row>')
    with pytest.raises(FileProblem) as problem:
        list(open_table(path, "S").rows())
    assert problem.value.code == "corrupt"


@pytest.mark.parametrize("block", [64, 1 << 20])
def test_shared_strings_kept_out_of_memory_read_back_the_same(tmp_path, monkeypatch, block):
    # A few kept in memory, so most go to the temporary file and come back from it (written
    # already, or still waiting to be written with a large block).
    monkeypatch.setattr(xlsx_stream.SharedStrings, "FIRST_KEPT", 2)
    monkeypatch.setattr(xlsx_stream.SharedStrings, "RECENT_KEPT", 3)
    monkeypatch.setattr(xlsx_stream, "BLOCK", block)
    strings = [f"<t>teks {i} é 日本 &amp; _x0041_</t>" for i in range(40)]
    order = [0, 39, 5, 1, 20, 38, 2, 10, 39, 3, 0, 25, 37, 36, 4]
    xml = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{i}</v></c></row>' for r, i in enumerate(order, 1)
    )
    expected = assert_read_alike(_raw(tmp_path, xml, strings=strings), "S", exact=False)
    assert expected[1] == (2, ["teks 39 é 日本 & A"])


def _refused(path, sheet="S"):
    """Reading the sheet (as an upload does: open_table reads its first rows) says the file
    is damaged."""
    with pytest.raises(FileProblem) as problem:
        list(open_table(path, sheet).rows())
    assert problem.value.code == "corrupt"


ROW = '<row r="1"><c r="A1"><v>1</v></c></row>'


def _repeated(start: str, times: int) -> str:
    """`start` over and over, each time with a different number after it (a zip squeezes
    the same text repeated too well: it is refused as too big before it is read)."""
    return "".join(f"{start}{i * 7919 % 10007} " for i in range(times))


# Each makes an expression that scans to the end of its block, from every place it starts,
# look at the whole block once per repetition: minutes for these sizes, one pass now.
HOSTILE_SHEETS = {
    "comments_never_closed": ROW + _repeated("<!--", 40_000),
    "cdata_never_closed": ROW + _repeated("<![CDATA[", 40_000),
    "rows_never_closed": ROW + _repeated("<row ", 40_000),
    "cells_never_closed": '<row r="1">' + _repeated("<c ", 40_000) + "</row>",
    "dimensions_never_closed": _repeated("<dimension ", 12_000) + ROW,
    "a_tag_past_the_longest": f'<row r="1" x="{_repeated("", 20_000)}"><c r="A1"/></row>' + ROW,
    "a_doctype_with_entities": '<!DOCTYPE x [<!ENTITY a "b">]>' + ROW,
}


@pytest.mark.parametrize("case", HOSTILE_SHEETS)
def test_a_sheet_made_to_be_slow_to_read_is_refused_in_one_pass(tmp_path, case):
    _refused(_raw(tmp_path, HOSTILE_SHEETS[case]))


def test_shared_strings_never_closed_are_refused_in_one_pass(tmp_path):
    xml = '<row r="1"><c r="A1" t="s"><v>1</v></c></row>'
    _refused(_raw(tmp_path, xml, strings=["<t>a</t>", "<t>b</t>" + _repeated("<si ", 40_000)]))


def test_long_attributes_and_phonetic_runs_never_closed_read_in_one_pass(tmp_path):
    # An attribute name the length of a tag, and phonetic runs left open, each read once.
    name = "".join(f"a{i * 7919 % 10007}" for i in range(10_000))
    xml = f'<row r="1"><c r="A1" t="n" {name}><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>'
    path = _raw(tmp_path, xml, strings=["<t>x</t>" + _repeated("<rPh>", 20_000)])
    assert list(open_table(path, "S").rows()) == [(1, [1.0, "x"])]


def test_rows_never_closed_are_counted_in_one_pass(tmp_path):
    # Rows without their number are counted: each start looked ahead to the next `>`.
    path = _raw(tmp_path, _repeated("<row ", 40_000) + "<row><c><v>1</v></c></row>")
    table = open_table(path, "S")
    assert table.last_row() == 40_001
    _refused(path)


@pytest.mark.parametrize("block", [5, 7, 64])
def test_tags_cut_between_two_reads_are_found(tmp_path, monkeypatch, block):
    monkeypatch.setattr(xlsx_stream, "BLOCK", block)
    xml = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{r % 3}</v></c><c r="B{r}"><v>{r}</v></c></row>'
        for r in range(1, 30)
    )
    strings = ["<t>satu</t>", "<t>dua</t>", "<r><t>ti</t></r><r><t>ga</t></r>"]
    assert_read_alike(_raw(tmp_path, xml, strings=strings), "S", exact=False)


def test_a_row_never_closed_is_refused_once_it_passes_the_largest_row(tmp_path, monkeypatch):
    # Carried from read to read and searched again each time, it grew the time squared.
    monkeypatch.setattr(xlsx_stream, "BLOCK", 256)
    monkeypatch.setattr(xlsx_stream, "MAX_CARRIED", 4096)
    cells = "".join(f'<c r="A{i}"/>' for i in range(1, 1000))
    _refused(_raw(tmp_path, ROW + f'<row r="2">{cells}'))
    # what follows the rows is not read: however long, it is no row never closed
    path = _raw(tmp_path, ROW + f"</sheetData><extra>{cells}</extra><sheetData>")
    assert list(open_table(path, "S").rows()) == [(1, [1.0])]


@pytest.mark.parametrize("index", [" -1", "-1", "+0", " 0", "1e0", "١"])
def test_a_shared_string_index_that_is_not_a_number_is_refused(tmp_path, index):
    # int(" -1") is -1: it read as the last string of the table.
    xml = f'<row r="1"><c r="A1" t="s"><v>{index}</v></c></row>'
    _refused(_raw(tmp_path, xml, strings=["<t>a</t>", "<t>b</t>"]))


def test_blank_rows_above_a_cell_in_the_last_column_are_empty_lists(tmp_path):
    # One cell in column XFD a million rows down: the header search walked a million blank
    # rows of 16,384 cells each (minutes); each blank row is an empty list now.
    last = MAX_ROWS
    path = _raw(tmp_path, f'<row r="{last}"><c r="XFD{last}"><v>1</v></c></row>')
    table = open_table(path)  # finds the sheet with data by its first rows
    rows = table.rows()
    assert next(rows) == (1, [])
    assert is_blank_row([])
    assert detect_header([[], ["NIK", "Nama"]]) == 1
    *_blank, (number, values) = rows
    assert number == last and len(values) == xlsx_parts.MAX_COLUMNS and values[-1] == 1.0


def _with_part(source, target, name, data: bytes):
    """The workbook with one part replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == name else old.read(info))
    return target


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_part_declaring_entities_is_refused_in_any_encoding(tmp_path, encoding):
    # In UTF-16 the bytes `<!DOCTYPE` are nowhere to be found: ElementTree expanded &a;.
    path = _raw(tmp_path, ROW)
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
    book = book.replace('name="S"', 'name="&a;"')
    book = book.replace("\n", '\n<!DOCTYPE x [<!ENTITY a "S">]>\n', 1)
    book = book.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    path = _with_part(path, tmp_path / "dtd.xlsx", "xl/workbook.xml", book.encode(encoding))
    with pytest.raises(FileProblem) as problem:
        open_table(path)
    assert problem.value.code == "corrupt"


def test_a_small_part_larger_than_any_workbook_writes_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_parts, "MAX_PART", 100)
    with pytest.raises(FileProblem) as problem:
        open_table(_raw(tmp_path, ROW))
    assert problem.value.code == "corrupt"


def test_what_lindung_writes_reads_as_python_calamine_reads_it(tmp_path):
    """The exports' and error reports' writer (lib/xlsx_writer, decision record 31): every
    kind of value it writes takes the streamed reader's own path and reads as python-calamine
    reads it."""
    from lindung.lib.xlsx_writer import write_sheet

    path = tmp_path / "ekspor.xlsx"
    rows = [
        ["1811014101900001", "  Siti & <Aminah>  ", "dua\nbaris", "a\r\nb", "_x0041_", "=1+2"],
        [dt.date(1900, 2, 28), dt.date(1990, 1, 2), dt.datetime(2023, 3, 15, 12, 30), True],
        [None, "", 12, 3.5, "Ṣri 🙂", "x" * 40000],
    ]
    write_sheet(path, sheet="Data", headers=["NIK", "Nama", "C", "D", "E", "F"], rows=rows)
    expected = assert_read_alike(path, "Data", exact=False)
    assert expected[1][1][:6] == [
        "1811014101900001",
        "  Siti & <Aminah>  ",
        "dua\nbaris",
        "a\r\nb",
        "_x0041_",
        "'=1+2",
    ]
    assert len(expected[3][1][5]) == 32767
