"""What a village book holds besides persons, and rows told in full the first time."""

import datetime as dt

import pytest
from django.utils import translation

from lindung.imports.tests.factories import HEADER, nik_for, person_row, write_csv, write_xlsx
from lindung.imports.tests.test_engine import apply
from lindung.imports.tests.test_rows import new_parser
from lindung.registry.models import Person

pytestmark = pytest.mark.django_db


def by_kind(result) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for issue in result.issues:
        found.setdefault(str(issue["kind"]), []).append((issue["row"], issue["code"]))
    return found


def test_a_numbering_row_and_a_signature_block_are_skipped_and_told_once(
    tmp_path, personas, mesuji
):
    rows = [
        HEADER,
        [f"({n})" for n in range(1, len(HEADER) + 1)],
        person_row(1),
        person_row(2, "Budi Santoso", sex="L"),
        [],
        [None, None, "Mengetahui,", None, None, "Wiralaga I, 30 November 2026"],
        [None, None, "Kepala Desa Wiralaga I", None, None, "Sekretaris Desa"],
        [],
        [None, None, "SUPRIYADI", None, None, "HARTONO"],
        [None, None, "NIP. 19700101 199003 1 001"],
    ]
    result = apply(write_xlsx(tmp_path / "rekap.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 2
    assert result.counts["rejected"] == 0
    assert by_kind(result) == {"skipped": [(2, "numbering_row"), (6, "footer")]}
    assert result.counts["skipped"] == 5  # the numbering row and four lines of the footer


def test_a_person_after_a_footer_like_row_is_still_read(tmp_path, personas, mesuji):
    rows = [HEADER, person_row(1), [None, None, "Mengetahui"], person_row(2, "Budi", sex="L")]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 2


@pytest.mark.parametrize("kk", [1811011503190000.0, "1811011503190000.0", "1.81101E+15"])
def test_a_kk_number_rounded_by_excel_is_refused_like_a_nik(tmp_path, personas, mesuji, kk):
    rows = [HEADER + ["No KK"], person_row(1) + [kk]]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert [(i["code"], i["column"]) for i in result.issues] == [("kk_float", "No KK")]
    assert not Person.objects.exists()


def test_an_exact_kk_number_in_a_number_cell_is_kept(tmp_path, personas, mesuji):
    rows = [HEADER + ["No KK", "RT"], person_row(1) + [1811011503190001, "002"]]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 1, result.issues
    assert Person.objects.values_list("kk_number", "rt").get() == ("1811011503190001", "002")


def test_numbers_are_echoed_as_the_cell_showed_them():
    values = [1811011503190010.0, "Siti", 3.0, "14/03/1995", "Wiralaga I"]
    with translation.override("id"):
        messages = [p.message for p in new_parser().parse(2, values).problems]
    assert any("1811011503190010 " in m for m in messages), messages
    assert any("dari 3;" in m for m in messages), messages
    assert not any(".0" in m for m in messages), messages


def test_the_nik_check_is_told_with_the_rows_other_problems(tmp_path, personas, mesuji):
    # Born 1990 in the row, 1995 in the NIK, and the village is unknown: both at once.
    row = person_row(1, village="Atlantis")
    row[4] = "14/03/1990"
    result = apply(write_xlsx(tmp_path / "a.xlsx", [HEADER, row]), mesuji, personas["disnaker"])
    assert sorted(i["code"] for i in result.issues) == ["nik_mismatch", "village_unknown"]


def test_a_nik_too_long_says_how_many_digits_it_has(tmp_path, personas, mesuji):
    row = person_row(1)
    row[1] = nik_for(1) + "7"
    with translation.override("id"):
        result = apply(write_csv(tmp_path / "a.csv", [HEADER, row]), mesuji, personas["disnaker"])
    message = result.issues[0]["message"]
    assert "17 digit" in message and "hanya" not in message


def test_a_calon_pmi_without_a_destination_is_counted_and_told(tmp_path, personas, mesuji):
    from lindung.registry.models import Person
    from lindung.reports.counters import counters_differences

    rows = [HEADER + ["Status"], person_row(1, born=dt.date(1995, 3, 14)) + ["Calon PMI"]]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 1
    assert by_kind(result) == {"warning": [(2, "candidate_without_country")]}
    person = Person.objects.get()
    assert person.phase == "candidate"
    episode = person.current_placement
    assert (episode.status, episode.destination_country) == ("planned", "")
    assert counters_differences() == []


# --- hostile or broken files -----------------------------------------------------------------


def test_nul_bytes_in_a_csv_are_removed_and_told(tmp_path, personas, mesuji):
    rows = [HEADER, person_row(1), person_row(2, "Bu\x00di", sex="X")]
    path = write_csv(tmp_path / "a.csv", rows)
    result = apply(path, mesuji, personas["disnaker"])  # PostgreSQL refused the NUL before
    assert result.counts["created"] == 1
    assert by_kind(result)["warning"] == [(3, "nul_removed")]
    assert by_kind(result)["rejected"] == [(3, "sex_unknown")]
    assert all("\x00" not in str(i["values"]) for i in result.issues)


def test_one_bad_byte_in_a_utf8_csv_keeps_the_file_utf8(tmp_path, personas, mesuji):
    rows = [HEADER] + [person_row(i, f"Siti Aminah {i}") for i in range(1, 4)]
    rows[1][2] = "Nur Ḥasanah"  # valid UTF-8 beyond Latin-1
    rows[2][2] = "Sri Rahayu"
    path = write_csv(tmp_path / "a.csv", rows)
    data = path.read_bytes().replace(b"Sri Rahayu", b"Sri Rahay\xfc")  # one byte not UTF-8
    path.write_bytes(data)
    result = apply(path, mesuji, personas["disnaker"])
    assert result.counts["created"] == 3
    assert Person.objects.filter(full_name="Nur Ḥasanah").exists()  # not mojibake
    assert by_kind(result)["warning"] == [(3, "bytes_replaced")]


def test_a_windows_csv_is_read_as_cp1252_and_told(tmp_path, personas, mesuji):
    rows = [HEADER, person_row(1, "José Ramos", sex="L")]
    path = write_csv(tmp_path / "a.csv", rows, encoding="cp1252")
    result = apply(path, mesuji, personas["disnaker"])
    assert Person.objects.get().full_name == "José Ramos"
    assert by_kind(result)["warning"] == [(2, "read_as_cp1252")]


def test_a_sheet_with_more_rows_than_the_cap_is_refused_before_loading(tmp_path, monkeypatch):
    from lindung.imports import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    rows = [HEADER] + [person_row(i) for i in range(1, 8)]
    with pytest.raises(reading.FileProblem) as refused:
        reading.open_table(write_xlsx(tmp_path / "a.xlsx", rows))
    assert refused.value.code == "too_many_rows"
    with pytest.raises(reading.FileProblem):
        reading.open_table(write_csv(tmp_path / "a.csv", rows))


def test_the_row_cap_is_checked_while_streaming_a_sheet_that_hides_its_size(tmp_path, monkeypatch):
    from lindung.imports import reading

    rows = [HEADER] + [person_row(i) for i in range(1, 8)]
    table = reading.open_table(write_xlsx(tmp_path / "a.xlsx", rows))
    monkeypatch.setattr(reading, "MAX_ROWS", 5)  # as if the dimension had lied
    with pytest.raises(reading.FileProblem) as refused:
        list(table.rows())
    assert refused.value.code == "too_many_rows"


def test_the_cli_says_the_row_cap(tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    from lindung.imports import reading
    from lindung.imports.tests.test_cli import run_cli

    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [HEADER] + [person_row(i) for i in range(1, 6)]
    with pytest.raises(CommandError, match="3"):
        run_cli(str(write_xlsx(tmp_path / "a.xlsx", rows)), "--area", "18.11")


def test_an_unreadable_register_status_is_a_warning_not_a_rejection(tmp_path, personas, mesuji):
    rows = [HEADER + ["status_dasar"], person_row(1) + ["SEMENTARA"]]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 1
    assert by_kind(result) == {"warning": [(2, "choice_unknown")]}
