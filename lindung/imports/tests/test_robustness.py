"""Whatever is in the cells, an import never crashes and never half-writes without a record."""

import datetime as dt

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from lindung.imports import engine, run, services, writer
from lindung.imports.messages import ROW_MESSAGES
from lindung.imports.models import ImportBatch, ImportStatus
from lindung.imports.tests.factories import HEADER, person_row, write_xlsx
from lindung.imports.tests.test_engine import apply, apply_rows
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.reports.counters import counters_differences

cells = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=25),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(
        [
            "1811014101900001",
            "L",
            "P",
            "31/02/1990",
            "Wiralaga I",
            "Taiwan",
            "1.81101E+15",
            "'1811010101900001",
            "Atlantis",
            "Purna",
            "Bekerja",
        ]
    ),
)


class FuzzedFiles(TestCase):
    @given(st.lists(st.lists(cells, min_size=10, max_size=12), min_size=1, max_size=8))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def test_junk_rows_are_rejected_one_by_one_and_nothing_else_is_written(self, rows):
        import tempfile
        from pathlib import Path

        area = Area.objects.get(code="18.11")
        with tempfile.TemporaryDirectory() as folder:
            path = write_xlsx(Path(folder) / "acak.xlsx", [HEADER, *rows])
            result = apply(path, area, None)
        created = result.counts["created"]
        assert result.rows == sum(result.counts.values())
        assert Person.objects.count() == created
        assert counters_differences() == []


@pytest.mark.parametrize(
    ("chunks_per_commit", "failing_chunk", "applied"),
    [(1, 2, (10, 11)), (2, 3, (20, 21))],
)
def test_a_crash_mid_import_leaves_an_exact_resumable_record(
    tmp_path, personas, mesuji, monkeypatch, chunks_per_commit, failing_chunk, applied
):
    actor = personas["disnaker"]
    rows = [HEADER] + [person_row(i, f"Warga {i}", country="Taiwan") for i in range(1, 26)]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    monkeypatch.setattr(run, "CHUNK_SIZE", 10)
    monkeypatch.setitem(run.CHUNKS_PER_COMMIT, connection.vendor, chunks_per_commit)
    real_write = writer.Writer.write
    calls = {"n": 0}

    def failing_write(self, decisions):
        calls["n"] += 1
        if calls["n"] == failing_chunk:
            real_write(self, decisions[:3])  # part of the chunk reaches the database…
            raise RuntimeError("power cut")
        return real_write(self, decisions)

    monkeypatch.setattr(writer.Writer, "write", failing_write)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.xlsx", path.read_bytes())
    batch = services.import_upload(actor=actor, upload=upload, area=mesuji)
    services.import_execute(batch=services.import_start(actor=actor, batch=batch, apply=False))
    batch = services.import_start(actor=actor, batch=ImportBatch.objects.get(), apply=True)
    batch = services.import_execute(batch=batch)
    # …but is rolled back with its transaction: the record says exactly which rows (the
    # chunks committed before it) are applied.
    assert batch.status == ImportStatus.INTERRUPTED
    assert (batch.applied_rows, batch.applied_through) == applied
    assert Person.objects.count() == applied[0]
    assert counters_differences() == []

    monkeypatch.setattr(writer.Writer, "write", real_write)
    batch = services.import_execute(
        batch=services.import_start(actor=actor, batch=batch, apply=True)
    )
    assert batch.status == ImportStatus.APPLIED
    assert Person.objects.count() == 25
    assert (batch.created_count, batch.rows_total) == (25, 25)
    assert counters_differences() == []


@pytest.mark.parametrize("value", ["1.81101E+15", 1811014101900010.0, "18110141019"])
def test_a_nik_that_lost_digits_is_rejected_with_the_reason(tmp_path, personas, mesuji, value):
    row = person_row(1)
    row[1] = value
    result = apply_rows(tmp_path, mesuji, personas["disnaker"], row)
    assert result.counts["rejected"] == 1
    assert result.issues[0]["column"] == "NIK"
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "nik", ["'1811015403950001", "1811 0154 0395 0001", "1811.0154.0395.0001", 1811015403950001]
)
def test_a_nik_written_with_apostrophe_spaces_dots_or_as_a_number_is_read(
    tmp_path, personas, mesuji, nik
):
    row = person_row(1)
    row[1] = nik
    result = apply_rows(tmp_path, mesuji, personas["disnaker"], row)
    assert result.counts["created"] == 1, result.issues
    assert Person.objects.get().nik == "1811015403950001"


@pytest.mark.parametrize(
    "village, code",
    [
        ("18.11.01.2005", "18.11.01.2005"),
        ("1811012005", "18.11.01.2005"),
        ("desa SIDO MULYO", "18.11.01.2005"),
        ("Wiralaga 1", "18.11.01.2001"),
    ],
)
def test_villages_by_code_or_by_name(tmp_path, personas, mesuji, village, code):
    result = apply_rows(tmp_path, mesuji, personas["disnaker"], person_row(1, village=village))
    assert result.counts["created"] == 1, result.issues
    assert Person.objects.get().village_id == code


def test_an_unknown_village_is_an_error_with_a_suggestion_never_a_guess(tmp_path, personas, mesuji):
    result = apply_rows(
        tmp_path, mesuji, personas["disnaker"], person_row(1, village="Wiralagaa I")
    )
    assert result.issues[0]["code"] == "village_unknown"
    assert "Wiralaga I" in result.issues[0]["message"]


def test_a_village_outside_the_importing_area_is_an_error(tmp_path, personas, village_a):
    result = apply_rows(
        tmp_path, village_a, personas["operator_a"], person_row(1, village="18.11.01.2005")
    )
    assert result.issues[0]["code"] == "village_outside"


def test_an_ambiguous_village_name_asks_for_the_code(tmp_path, personas):
    from collections import Counter

    from lindung.imports.run import village_index

    lampung = Area.objects.get(code="18")
    index = village_index(lampung)
    names = Counter(v[1] for v in index.villages)
    shared = next(name for name, n in names.items() if n > 1)
    result = apply_rows(tmp_path, lampung, personas["bp3mi"], person_row(1, village=shared))
    assert result.issues[0]["code"] == "village_ambiguous"


@pytest.mark.parametrize(
    "sex, expected", [("lk", "M"), ("Perempuan", "F"), ("WANITA", "F"), ("Pria", "M"), ("f", "F")]
)
def test_sex_in_any_common_spelling(tmp_path, personas, mesuji, sex, expected):
    row = person_row(1, sex="L" if expected == "M" else "P")
    row[3] = sex
    result = apply_rows(tmp_path, mesuji, personas["disnaker"], row)
    assert result.counts["created"] == 1, result.issues
    assert Person.objects.get().sex == expected


@pytest.mark.parametrize(
    "born",
    ["14/03/1995", "14-03-95", "14/3/95", "14 Maret 1995", "14 Mar 1995", "1995-03-14", 34772],
)
def test_birth_dates_in_every_common_form(tmp_path, personas, mesuji, born):
    row = person_row(1)
    row[4] = born
    result = apply_rows(tmp_path, mesuji, personas["disnaker"], row)
    assert result.counts["created"] == 1, result.issues
    assert Person.objects.get().birth_date == dt.date(1995, 3, 14)


def test_an_unknown_country_is_an_error_with_a_suggestion(tmp_path, personas, mesuji):
    result = apply_rows(tmp_path, mesuji, personas["disnaker"], person_row(1, country="Taiwn"))
    assert result.issues[0]["field"] == "destination_country"
    assert "Taiwan" in result.issues[0]["message"]


def test_a_duplicate_nik_in_the_file_names_the_first_row(tmp_path, personas, mesuji):
    result = apply_rows(tmp_path, mesuji, personas["disnaker"], person_row(1), person_row(1))
    assert result.counts["created"] == 1
    assert result.issues[0]["row"] == 3
    assert "2" in result.issues[0]["message"]


def test_a_nik_repeated_chunks_later_names_its_first_row(tmp_path, personas, mesuji, monkeypatch):
    monkeypatch.setattr(run, "CHUNK_SIZE", 3)
    rows = [HEADER] + [person_row(i, f"Warga {i}") for i in range(1, 9)]
    rows += [person_row(2, "Warga 2"), person_row(7, "Warga 7"), person_row(2, "Warga 2")]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 8
    repeats = [(i["row"], i["code"], i["message"]) for i in result.issues]
    assert [(row, code) for row, code, _m in repeats] == [
        (10, "duplicate_in_file"),
        (11, "duplicate_in_file"),
        (12, "duplicate_in_file"),
    ]
    assert "3" in repeats[0][2] and "8" in repeats[1][2] and "3" in repeats[2][2]


def test_a_submission_repeated_in_the_file_names_its_first_row(
    tmp_path, personas, mesuji, monkeypatch
):
    monkeypatch.setattr(run, "CHUNK_SIZE", 3)
    rows = [[*HEADER, "_uuid"]] + [[*person_row(i, f"Warga {i}"), f"s{i}"] for i in range(1, 7)]
    # Row 8 repeats row 3's submission two chunks later; row 10 repeats row 9 in its chunk.
    rows += [[*person_row(7, "Warga 7"), "s2"], [*person_row(8, "Warga 8"), "s8"]]
    rows += [[*person_row(9, "Warga 9"), "s8"]]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 7
    assert [(i["row"], i["code"], i["message"]) for i in result.issues] == [
        (8, "duplicate_uuid", str(ROW_MESSAGES["duplicate_uuid"] % {"row": 3})),
        (10, "duplicate_uuid", str(ROW_MESSAGES["duplicate_uuid"] % {"row": 9})),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(10**15, 10**16 - 1).map(str),
            st.sampled_from(["1811014101900001", "1811014101900002", "A-1", "123", "", "\x00"]),
            st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
        ),
        max_size=40,
    ),
    st.integers(1, 6),
)
def test_first_rows_answer_like_a_plain_map(keys, chunk):
    numbered = list(enumerate(keys, start=2))
    plain: dict[str, int] = {}
    with run.FirstRows() as seen:
        for start in range(0, len(numbered), chunk):
            pairs = [(key, number) for number, key in numbered[start : start + chunk]]
            first = seen.record(pairs)
            for key, number in pairs:
                assert first[key] == plain.setdefault(key, number)


def test_an_error_report_survives_control_characters_from_a_csv(tmp_path, personas, mesuji):
    from lindung.imports.tests.factories import write_csv

    row = person_row(1)
    row[2] = "Ani\x1f\x07"
    row[4] = "31/02/1990\x07"
    path = write_csv(tmp_path / "a.csv", [HEADER, row])
    from django.core.files.uploadedfile import SimpleUploadedFile

    actor = personas["disnaker"]
    upload = SimpleUploadedFile("a.csv", path.read_bytes())
    batch = services.import_upload(actor=actor, upload=upload, area=mesuji)
    batch = services.import_execute(
        batch=services.import_start(actor=actor, batch=batch, apply=False)
    )
    assert batch.status == ImportStatus.CHECKED
    assert batch.rejected_count == 1
    assert batch.error_report


def test_the_error_report_has_one_line_per_row_with_every_reason(mesuji):
    from openpyxl import load_workbook

    from lindung.imports.models import ImportIssue
    from lindung.imports.workbooks import error_report_save

    batch = ImportBatch.objects.create(
        area=mesuji, file_name="a.csv", file_sha256="0" * 64, headers=["NIK", "Nama"]
    )
    issue = {"batch": batch, "kind": "rejected", "field": "x", "code": "x"}
    ImportIssue.objects.bulk_create(
        [
            ImportIssue(**issue, row=7, column="B", message="kedua", values=["1", "Ani"]),
            ImportIssue(**issue, row=3, column="", message="lebih", values=["2", "Budi", "?"]),
            ImportIssue(**issue, row=7, column="A", message="pertama", values=["1", "Ani"]),
        ]
    )
    error_report_save(batch)
    batch.refresh_from_db()
    rows = list(load_workbook(batch.error_report.path).active.iter_rows(values_only=True))
    assert rows == [
        ("NIK", "Nama", None, "Baris", "Alasan Ditolak"),
        ("2", "Budi", "?", 3, "lebih"),
        ("1", "Ani", None, 7, "B: kedua | A: pertama"),
    ]


def test_a_phone_needs_consent(tmp_path, personas, mesuji):
    rows = [
        HEADER + ["No HP", "Setuju Dihubungi"],
        person_row(1) + ["0812 3456 7890", ""],
        person_row(2) + ["0812-3456-7891", "Ya"],
    ]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    # Both are registered; the number without consent is not stored, and the row says so.
    assert [(i["row"], i["code"], i["kind"]) for i in result.issues] == [
        (2, "phone_dropped", "warning")
    ]
    assert "belum ada persetujuan" in result.issues[0]["message"]
    phones = dict(Person.objects.values_list("nik", "phone"))
    assert sorted(phones.values()) == ["", "+6281234567891"]


def test_a_phone_without_a_consent_column_never_costs_the_registration(tmp_path, personas, mesuji):
    rows = [HEADER + ["No HP"]] + [person_row(i) + [f"0812345678{i:02d}"] for i in range(1, 10)]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 9
    assert {i["code"] for i in result.issues} == {"phone_dropped"}
    assert not Person.objects.exclude(phone="").exists()


def test_the_progress_bar_moves_between_the_commits_of_a_transaction(
    tmp_path, personas, mesuji, monkeypatch
):
    from contextlib import contextmanager

    actor = personas["disnaker"]
    rows = [HEADER] + [person_row(i, f"Warga {i}", country="Taiwan") for i in range(1, 26)]
    upload_path = write_xlsx(tmp_path / "a.xlsx", rows)
    monkeypatch.setattr(run, "CHUNK_SIZE", 4)
    monkeypatch.setitem(run.CHUNKS_PER_COMMIT, connection.vendor, 3)
    reported = []

    @contextmanager
    def recording(batch):
        yield lambda done: reported.append((batch.pk if batch else None, done))

    monkeypatch.setattr(run, "side_progress", recording)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.xlsx", upload_path.read_bytes())
    batch = services.import_upload(actor=actor, upload=upload, area=mesuji)
    services.import_execute(batch=services.import_start(actor=actor, batch=batch, apply=False))
    # A dry run commits nothing: it moves the bar itself after every chunk.
    assert {pk for pk, _done in reported} == {None}
    reported.clear()
    batch = services.import_execute(
        batch=services.import_start(actor=actor, batch=ImportBatch.objects.get(), apply=True)
    )
    assert batch.created_count == 25
    # Chunks of 4 rows, 3 to a transaction: before the 2nd and 3rd chunk of each.
    assert reported == [(batch.pk, 4), (batch.pk, 8), (batch.pk, 16), (batch.pk, 20)]


@pytest.mark.postgres
def test_progress_between_commits_is_seen_while_the_transaction_runs(db, mesuji):
    from django.db import DEFAULT_DB_ALIAS, connections, transaction
    from django.db.models.sql import InsertQuery

    def session():
        return connections.create_connection(DEFAULT_DB_ALIAS)

    # A batch another session committed, as the web request that started the import did.
    starter, observer = session(), session()
    batch = ImportBatch(area=mesuji, file_name="a.xlsx", file_sha256="0" * 64)
    query = InsertQuery(ImportBatch)
    query.insert_values(
        [f for f in ImportBatch._meta.local_concrete_fields if not f.primary_key], [batch]
    )
    [(batch.pk,)] = query.get_compiler(connection=starter).execute_sql([ImportBatch._meta.pk])
    try:
        with transaction.atomic(), run.side_progress(batch) as report:
            report(5000)
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT progress_done, heartbeat_at IS NOT NULL FROM imports_importbatch "
                    "WHERE id = %s",
                    [batch.pk],
                )
                assert cursor.fetchone() == (5000, True)
    finally:
        with starter.cursor() as cursor:
            cursor.execute("DELETE FROM imports_importbatch WHERE id = %s", [batch.pk])
        starter.close()
        observer.close()


def test_what_needs_consent_is_what_the_processing_register_says(
    tmp_path, personas, mesuji, monkeypatch
):
    # Were the register to say the address also needs consent, the import would drop it too.
    monkeypatch.setattr(engine, "CONSENT_FIELDS", ("phone", "address"))
    rows = [HEADER + ["Alamat"], person_row(1) + ["Jl. Mawar 3"]]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 1
    assert {i["code"] for i in result.issues} == {"phone_dropped"}
    assert Person.objects.get().address == ""
