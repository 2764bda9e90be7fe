"""Each shape of file villages and offices have imports with its columns found by themselves."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lindung.imports.headers import auto_mapping
from lindung.imports.reading import open_table
from lindung.imports.services import sheet_header
from lindung.imports.tests import sources
from lindung.imports.tests.sources import (
    EDUCATION_EXPECTED,
    MARITAL_EXPECTED,
    RESIDENTS,
    WIRALAGA_I,
)
from lindung.registry.models import Person
from lindung.reports.counters import counters_differences

pytestmark = pytest.mark.django_db


def run_cli(*args) -> dict:
    out = StringIO()
    call_command("import_people", *map(str, args), "--json", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def kinds(report: dict) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for error in report["errors"]:
        found.setdefault(error["kind"], []).append((error["row"], error["code"]))
    return found


def assert_residents(expected=RESIDENTS, *, villages=None):
    for index, r in enumerate(expected):
        person = Person.objects.get(nik=r.nik)
        assert person.sex == r.sex, r
        assert person.birth_date == r.born, r
        assert person.education == EDUCATION_EXPECTED[r.education], r
        assert person.marital_status == MARITAL_EXPECTED[r.marital], r
        assert person.kk_number == r.kk, r
        assert person.rt == ("" if r.rt == "-" else r.rt), r  # "002" stays "002"
        if villages:
            assert person.village_id == villages[index], r
    assert counters_differences() == []


def test_opensid_template_xlsm_imports_from_its_data_sheet(tmp_path):
    path = sources.write_opensid_template(tmp_path / "format_impor_penduduk.xlsm")
    report = run_cli(path, "--area", WIRALAGA_I)
    assert report["created"] == 5, report
    assert report["rejected"] == 0, report
    assert_residents(villages=[WIRALAGA_I] * 4)
    found = kinds(report)
    # The resident who died is not imported, and said so once; the one abroad is on the list
    # to confirm, registered as a resident only, her phone not stored (no consent column).
    assert found["skipped"] == [(7, "register_not_resident")]
    assert found["abroad"] == [(6, "probably_abroad")]
    assert found["warning"] == [(6, "phone_dropped")]
    away = Person.objects.get(full_name__iexact="Sri Wahyuni")
    assert away.phase == "none" and away.phone == ""
    assert "C1234567" in next(e["message"] for e in report["errors"] if e["kind"] == "abroad")


def test_opensid_code_export_keeps_dashes_out_and_rt_rw_as_typed(tmp_path):
    path = sources.write_text(tmp_path / "penduduk_kode.csv", sources.opensid_rows())
    report = run_cli(path, "--area", WIRALAGA_I)
    assert (report["created"], report["rejected"]) == (5, 0), report
    budi = Person.objects.get(nik=RESIDENTS[1].nik)
    assert (budi.dusun, budi.rt, budi.rw) == ("", "", "")  # "-" is empty, not a dash
    siti = Person.objects.get(nik=RESIDENTS[0].nik)
    assert (siti.rt, siti.rw) == ("002", "001")
    assert_residents()


def test_opensid_label_export_reads_the_dukcapil_labels(tmp_path):
    path = sources.write_sheet(tmp_path / "penduduk_huruf.xlsx", sources.opensid_rows(labels=True))
    report = run_cli(path, "--area", WIRALAGA_I)
    assert (report["created"], report["rejected"]) == (5, 0), report
    assert_residents()
    assert kinds(report)["abroad"] == [(6, "probably_abroad")]


def test_every_dukcapil_education_and_marital_code_reads(tmp_path):
    rows = [sources.OPENSID_COLUMNS]
    for code in range(1, 11):
        r = sources.Resident(20 + code, f"WARGA {code}", "F", sources.dt.date(1990, 1, code),
                             education=code, marital=(code - 1) % 4 + 1)  # fmt: skip
        rows.append(sources._opensid_row(r, labels=code % 2 == 0))
    report = run_cli(sources.write_text(tmp_path / "a.csv", rows), "--area", WIRALAGA_I)
    assert (report["created"], report["rejected"]) == (10, 0), report
    for code in range(1, 11):
        person = Person.objects.get(full_name__iexact=f"Warga {code}")
        assert person.education == EDUCATION_EXPECTED[code]
        assert person.marital_status == MARITAL_EXPECTED[(code - 1) % 4 + 1]


def test_opendk_sync_file_takes_each_village_from_desa_id(tmp_path):
    path = sources.write_sheet(tmp_path / "penduduk_30_11_2026_opendk.xlsx", sources.opendk_rows())
    report = run_cli(path, "--area", "18.11.01")
    assert (report["created"], report["rejected"]) == (4, 0), report
    assert_residents(villages=["18.11.01.2001", "18.11.01.2002", "18.11.01.2002", "18.11.01.2001"])


def test_siak_export_reads_register_status_and_never_takes_the_occupation_for_a_job(tmp_path):
    path = sources.write_sheet(tmp_path / "siak.xlsx", sources.siak_rows(),
                               title=["DATA PENDUDUK KABUPATEN MESUJI", None])  # fmt: skip
    report = run_cli(path, "--area", "18.11")
    assert (report["created"], report["rejected"]) == (4, 0), report
    assert kinds(report)["skipped"] == [(8, "register_not_resident")]  # TIDAK VALID
    assert_residents(villages=["18.11.01.2001", "18.11.01.2002"] * 2)
    # "MENGURUS RUMAH TANGGA" is what they do at home: nobody became a domestic worker abroad.
    assert not Person.objects.exclude(phase="none").exists()


def test_siak_columns_are_detected():
    headers = sources.SIAK_COLUMNS
    mapping = auto_mapping(headers)
    assert headers[mapping["full_name"]] == "Nama Penduduk"
    assert headers[mapping["village"]] == "Desa/Kel"
    assert "job_title" not in mapping and "job" not in mapping


def test_lindungs_own_filled_template_imports_without_naming_the_sheet(tmp_path):
    r = RESIDENTS[0]
    path = sources.write_filled_template(
        tmp_path / "templat.xlsx",
        [
            {
                "NIK": r.nik,
                "Nama Lengkap": "Siti Aminah",
                "Jenis Kelamin": "P",
                "Tanggal Lahir": r.born.strftime("%d/%m/%Y"),
                "Desa": "Wiralaga I",
                "RT": "002",
                "Pendidikan": "S2/S3",
            }
        ],
    )
    table = open_table(path)
    assert table.sheet == "Data"  # not Petunjuk, the sheet the workbook opens on
    assert sheet_header(table)[0] == 1
    report = run_cli(path, "--area", "18.11")
    assert (report["created"], report["rejected"]) == (1, 0), report
    person = Person.objects.get()
    assert (person.education, person.rt) == ("s2", "002")


@pytest.mark.parametrize("grouped", [False, True])
def test_odk_central_csv_skips_a_submission_rejected_in_review(tmp_path, grouped):
    path = sources.write_text(tmp_path / "central.csv", sources.central_rows(grouped=grouped))
    report = run_cli(path, "--area", "18.11")
    assert (report["created"], report["rejected"]) == (3, 0), report
    assert kinds(report)["skipped"] == [(4, "review_rejected")]
    assert not Person.objects.filter(nik=RESIDENTS[2].nik).exists()
    abroad = Person.objects.get(nik=RESIDENTS[0].nik)
    assert abroad.phase == "abroad"
    assert abroad.current_placement.procedural is None  # the checklist was not asked


@pytest.mark.parametrize(
    ("labels", "suffix", "delimiter"), [(False, "xlsx", ""), (True, "xlsx", ""), (True, "csv", ";")]
)
def test_kobo_exports_skip_a_submission_not_approved(tmp_path, labels, suffix, delimiter):
    rows = sources.kobo_rows(labels=labels)
    if suffix == "csv":
        path = sources.write_text(tmp_path / "kobo.csv", rows, delimiter=delimiter)
    else:
        path = sources.write_sheet(tmp_path / "kobo.xlsx", rows)
    report = run_cli(path, "--area", "18.11")
    assert (report["created"], report["rejected"]) == (3, 0), report
    assert kinds(report)["skipped"] == [(3, "review_rejected")]
    assert Person.objects.get(nik=RESIDENTS[3].nik).education == "s2"


def test_kobo_meta_status_is_not_a_pmi_status():
    headers = [*sources.FORM_QUESTIONS[:-3], *sources.KOBO_META]
    assert "status" not in auto_mapping(headers)
    assert auto_mapping(headers)["submission_uuid"] == headers.index("_uuid")
    central = [*sources.FORM_QUESTIONS[:-3], *sources.CENTRAL_META]
    assert "status" not in auto_mapping(central)
    assert auto_mapping(central)["review_state"] == central.index("ReviewState")


def test_outside_the_demo_the_cli_needs_a_user_and_records_them(tmp_path, settings, personas):
    from lindung.audit.models import Action, AuditEvent

    settings.DEMO_MODE = False
    path = sources.write_text(tmp_path / "a.csv", sources.opensid_rows())
    with pytest.raises(CommandError, match="--user"):
        run_cli(path, "--area", WIRALAGA_I)
    report = run_cli(path, "--area", WIRALAGA_I, "--user", personas["disnaker"].username)
    assert report["created"] == 5
    entry = AuditEvent.objects.filter(action=Action.IMPORT).order_by("-id").first()
    assert entry.actor_id == personas["disnaker"].pk


# --- the readiness checklist of the XLSForm, and a calon PMI whose country is not yet known --

ALL_ITEMS = " ".join(sources.CHECKLIST_CODES)


def _with_checklist(rows: list[list], *, labels: bool) -> list[list]:
    """The submissions with the form's checklist answered: all of it for the resident abroad,
    two items for a calon PMI whose country is not yet known, nothing for the others."""
    from lindung.imports.vocabulary import CHECKLIST_LABELS, STATUS_LABELS

    status = rows[0].index(next(h for h in rows[0] if h in ("status", "Status")))
    answers = {0: list(sources.CHECKLIST_CODES), 3: ["passport", "health"]}
    # The form's questions come first, then the server's metadata.
    meta = {*sources.CENTRAL_META, *sources.KOBO_META}
    at = next(i for i, h in enumerate(rows[0]) if h in meta)
    question = "Kelengkapan Dokumen" if labels else "checklist"
    out = [[*rows[0][:at], question, *rows[0][at:]]]
    for index, row in enumerate(rows[1:]):
        items = answers.get(index, [])
        row = list(row)
        if index == 3:
            row[status] = STATUS_LABELS["candidate"] if labels else "candidate"
        words = [CHECKLIST_LABELS[i] for i in items] if labels else items
        out.append([*row[:at], " ".join(words), *row[at:]])
    return out


def assert_checklists(departed_on, actor=None):
    from lindung.placements.models import EventKind, PlacementEvent, ReadinessCheck

    abroad = Person.objects.get(nik=RESIDENTS[0].nik).current_placement
    assert abroad.procedural is True  # every item answered: procedural
    checks = ReadinessCheck.objects.filter(placement=abroad)
    assert sorted(c.item for c in checks) == sorted(sources.CHECKLIST_CODES)
    assert {(c.checked_on, c.checked_by) for c in checks} == {(departed_on, actor)}
    kinds_in_order = list(abroad.events.values_list("kind", flat=True))
    assert kinds_in_order == [EventKind.DOCUMENT_COMPLETED] * 10 + [EventKind.DEPARTED]
    candidate = Person.objects.get(nik=RESIDENTS[3].nik)
    assert candidate.phase == "candidate"
    episode = candidate.current_placement
    assert (episode.status, episode.destination_country, episode.procedural) == (
        "planned",
        "",
        None,
    )
    assert sorted(episode.checks.values_list("item", flat=True)) == ["health", "passport"]
    # Nobody else answered the checklist: no checks, and no "non-procedural" anywhere.
    assert ReadinessCheck.objects.count() == 12
    assert not PlacementEvent.objects.filter(kind="departed", placement__procedural=False).exists()
    assert counters_differences() == []


@pytest.mark.parametrize("grouped", [False, True])
def test_odk_central_checklist_is_stored_as_the_services_store_it(tmp_path, grouped, personas):
    rows = _with_checklist(sources.central_rows(grouped=grouped), labels=False)
    path = sources.write_text(tmp_path / "central.csv", rows)
    report = run_cli(path, "--area", "18.11", "--user", personas["disnaker"].username)
    assert (report["created"], report["rejected"]) == (3, 0), report
    assert kinds(report)["warning"] == [(5, "candidate_without_country")]
    assert_checklists(dt.date(2024, 2, 1), personas["disnaker"])


@pytest.mark.parametrize("labels", [False, True])
def test_kobo_xlsx_checklist_is_stored_as_the_services_store_it(tmp_path, labels):
    rows = _with_checklist(sources.kobo_rows(labels=labels), labels=labels)
    report = run_cli(sources.write_sheet(tmp_path / "kobo.xlsx", rows), "--area", "18.11")
    assert (report["created"], report["rejected"]) == (3, 0), report
    assert_checklists(dt.date(2024, 2, 1))


def test_a_checklist_answered_later_completes_the_episode_in_preparation(tmp_path, personas):
    from lindung.placements.models import ReadinessCheck

    user = personas["disnaker"].username
    first = _with_checklist(sources.central_rows(grouped=False), labels=False)
    run_cli(sources.write_text(tmp_path / "a.csv", first), "--area", "18.11", "--user", user)
    # A later export: the calon PMI's country is known now, and one more item is done.
    later = [list(row) for row in first]
    header = later[0]
    row = later[4]
    row[header.index("destination_country")] = "MY"
    row[header.index("checklist")] = "passport health bpjs"
    # An edited submission is a new instance (ODK Central keeps the old one as deprecatedID).
    for column in ("meta-instanceID", "KEY"):
        row[header.index(column)] = "uuid:00000009-aaaa-4bbb-8ccc-000000000009"
    report = run_cli(
        sources.write_text(tmp_path / "b.csv", [header, row]), "--area", "18.11", "--user", user
    )
    assert (report["created"], report["updated"]) == (0, 1), report
    candidate = Person.objects.get(nik=RESIDENTS[3].nik)
    episode = candidate.current_placement
    assert candidate.placements.count() == 1  # the same episode, completed
    assert episode.destination_country == "MY"
    assert sorted(
        ReadinessCheck.objects.filter(placement=episode).values_list("item", flat=True)
    ) == [
        "bpjs",
        "health",
        "passport",
    ]
    assert counters_differences() == []
