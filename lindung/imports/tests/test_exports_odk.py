"""Lists out and back in; the ODK/Kobo form and its submissions."""

import csv
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lindung.audit.models import Action, AuditEvent
from lindung.imports.tests.factories import (
    HEADER,
    nik_for,
    person_row,
    registered,
    write_csv,
    write_xlsx,
)
from lindung.imports.tests.test_engine import apply
from lindung.imports.workbooks import xlsform_workbook
from lindung.registry.models import Person


@pytest.fixture
def recorded(tmp_path, personas, mesuji):
    rows = [
        HEADER,
        person_row(1, "Siti Aminah", country="Taiwan", job="Caregiver", departed="02/01/2023"),
        person_row(
            2,
            "Budi Santoso",
            sex="L",
            village="Sido Mulyo",
            country="Malaysia",
            job="Buruh sawit",
            departed="05/06/2022",
            returned="01/07/2024",
        ),
        person_row(3, "Dewi", country="Jepang"),
        person_row(4, "Ahmad", sex="L", village="Talang Batu"),
    ]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["created"] == 4, result.issues
    return result


def download(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imported_again_is_all_unchanged(
    client_as, personas, recorded, mesuji, tmp_path, fmt
):
    response = client_as(personas["disnaker"]).get(
        reverse("imports:export_people"), {"format": fmt}
    )
    assert response.status_code == 200
    path = tmp_path / f"ekspor.{fmt}"
    path.write_bytes(download(response))
    result = apply(path, mesuji, personas["disnaker"])
    assert result.rows == 4
    assert result.counts["unchanged"] == 4, result.issues


def test_exports_stay_within_scope_and_follow_the_list_filters(client_as, personas, recorded):
    content = download(
        client_as(personas["operator_a"]).get(reverse("imports:export_people"), {"format": "csv"})
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:2] == ["NIK", "Nama Lengkap"]
    assert sorted(r[1] for r in rows[1:]) == ["Dewi", "Siti Aminah"]
    content = download(
        client_as(personas["disnaker"]).get(
            reverse("imports:export_people"), {"format": "csv", "phase": "abroad"}
        )
    ).decode("utf-8-sig")
    assert [r[1] for r in list(csv.reader(io.StringIO(content)))[1:]] == ["Siti Aminah"]
    content = download(
        client_as(personas["bp3mi_other"]).get(reverse("imports:export_people"), {"format": "csv"})
    ).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(content)))) == 1


def test_episode_exports_list_every_episode_and_are_audited(client_as, personas, recorded):
    response = client_as(personas["disnaker"]).get(
        reverse("imports:export_placements"), {"format": "xlsx", "status": "returned"}
    )
    sheet = load_workbook(io.BytesIO(download(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Budi Santoso"]
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
    assert event.actor == personas["disnaker"]
    assert event.changes["filters"] == {"status": "returned"}


def test_an_unknown_export_format_is_not_found(client_as, personas):
    client = client_as(personas["disnaker"])
    assert client.get(reverse("imports:export_people"), {"format": "pdf"}).status_code == 404


def test_the_export_command_writes_the_area(tmp_path, recorded):
    out = tmp_path / "ekspor.csv"
    call_command("export_people", "--area", "18.11.01", "--format", "csv", "--output", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 4  # the header and the three residents of Kecamatan Mesuji


def test_the_xlsform_is_valid_for_odk(tmp_path):
    from pyxform.xls2xform import convert

    path = xlsform_workbook(
        tmp_path / "form.xlsx", villages=[("18.11.01.2001", "Wiralaga I")], title="Pendataan"
    )
    result = convert(xlsform=str(path))
    assert "<h:title>Pendataan</h:title>" in result.xform
    assert "nik" in result.xform and "destination_country" in result.xform
    # The country may wait for a calon PMI, not for a departure (placements/destination.py).
    bind = re.search(r'<bind nodeset="/data/destination_country"[^>]*>', result.xform)
    assert re.search(r"required=\"[^\"]*/data/status +!= 'candidate'\"", bind.group()), bind


def test_the_xlsform_download_lists_the_users_villages(client_as, personas):
    response = client_as(personas["operator_a"]).get(reverse("imports:xlsform"))
    wb = load_workbook(io.BytesIO(download(response)))
    villages = [r for r in wb["choices"].iter_rows(values_only=True) if r[0] == "village"]
    assert villages == [("village", "18.11.01.2001", "Wiralaga I")]
    assert client_as(personas["kp2mi"]).get(reverse("imports:xlsform")).status_code == 404


def kobo_export(path, rows, delimiter=";"):
    header = [
        "start",
        "end",
        "village",
        "nik",
        "full_name",
        "sex",
        "birth_date",
        "status",
        "destination_country",
        "job",
        "departed_on",
        "returned_on",
        "return_reason",
        "contact_consent",
        "phone",
        "_id",
        "_uuid",
        "_submission_time",
    ]
    return write_csv(path, [header, *rows], delimiter=delimiter)


def submission(n, uuid, *, status="abroad", departed="2023-02-01"):
    return [
        "2025-01-01T10:00",
        "2025-01-01T10:10",
        "18.11.01.2001",
        nik_for(n),
        f"Warga {n}",
        "P",
        "1995-03-14",
        status,
        "HK",
        "domestic_worker",
        departed,
        "",
        "",
        "ya",
        "081234567890",
        str(n),
        uuid,
        "2025-01-01T10:11",
    ]


def test_kobo_submissions_import_once_per_uuid(tmp_path, personas, village_a):
    from lindung.imports.tests.test_views import upload

    rows = [submission(1, "a1b2"), submission(2, "c3d4", status="candidate", departed="")]
    path = kobo_export(tmp_path / "kobo.csv", rows)
    result = apply(path, village_a, personas["operator_a"])
    assert result.counts["created"] == 2, result.issues
    assert Person.objects.get(nik=nik_for(1)).phase == "abroad"
    # Through the interface the submission ids are recorded, so a later export that still
    # holds them changes nothing, even when the village corrected the record in between.
    client = Client()
    client.force_login(personas["operator_a"])
    from lindung.imports.models import ImportBatch, ImportedSubmission
    from lindung.imports.services import import_execute, import_start

    def through_ui(p):
        upload(client, p)
        batch = ImportBatch.objects.order_by("-id").first()
        actor = personas["operator_a"]
        import_execute(batch=import_start(actor=actor, batch=batch, apply=False))
        return import_execute(batch=import_start(actor=actor, batch=batch, apply=True))

    later = kobo_export(tmp_path / "kobo2.csv", [submission(3, "e5f6")])
    batch = through_ui(later)
    assert batch.created_count == 1
    assert ImportedSubmission.objects.filter(uuid="e5f6").exists()
    person = Person.objects.get(nik=nik_for(3))
    Person.objects.filter(pk=person.pk).update(full_name="Warga Tiga (dibetulkan)")
    batch = through_ui(later)
    assert (batch.unchanged_count, batch.updated_count) == (1, 0)
    assert Person.objects.get(pk=person.pk).full_name == "Warga Tiga (dibetulkan)"


def test_the_cli_json_contract(tmp_path, personas, village_a):
    registered(personas["operator_a"], village_a, 9, "Lama")
    rows = [
        HEADER,
        person_row(9, "Lama Baru"),
        person_row(10),
        person_row(11)[:4] + ["x"] + [""] * 5,
    ]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    out = io.StringIO()
    call_command("import_people", str(path), "--area", "18.11.01.2001", "--json", stdout=out)
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert {k: report[k] for k in ("rows", "created", "updated", "unchanged", "rejected")} == {
        "rows": 3,
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "rejected": 1,
    }
    assert {"row": 4, "column": "Tgl Lahir"}.items() <= report["errors"][0].items()
    assert report["errors"][0]["code"] == "date_format"


def test_each_areas_form_has_its_own_id_and_a_version_that_follows_its_lists(tmp_path):
    from openpyxl import load_workbook as load

    def settings_of(villages, code):
        path = xlsform_workbook(
            tmp_path / f"{code}.xlsx", villages=villages, title="P", area_code=code
        )
        return list(load(path)["settings"].iter_rows(values_only=True))[1]

    one = settings_of([("18.11.01.2001", "Wiralaga I")], "18.11.01")
    same = settings_of([("18.11.01.2001", "Wiralaga I")], "18.11.01")
    more = settings_of(
        [("18.11.01.2001", "Wiralaga I"), ("18.11.01.2002", "Wiralaga II")], "18.11.01"
    )
    other = settings_of([("18.11.02.2001", "Sungai Sidang")], "18.11.02")
    assert one[1] == "lindung_pmi_18_11_01" and other[1] == "lindung_pmi_18_11_02"
    assert one[2] == same[2]  # the same lists: the same version
    assert one[2] != more[2]  # a village added: a new version


def test_the_xlsform_asks_the_checklist_as_an_optional_multiple_choice(tmp_path):
    from openpyxl import load_workbook as load

    from lindung.placements.readiness import REQUIRED_ITEMS

    path = xlsform_workbook(tmp_path / "f.xlsx", villages=[("18.11.01.2001", "W")], title="P")
    wb = load(path)
    question = next(r for r in wb["survey"].iter_rows(values_only=True) if r[1] == "checklist")
    assert question[0] == "select_multiple checklist" and not question[3]  # not required
    items = [r[1] for r in wb["choices"].iter_rows(values_only=True) if r[0] == "checklist"]
    assert items == list(REQUIRED_ITEMS)


@pytest.mark.parametrize(
    ("ticked", "procedural"),
    [("", None), ("passport health", False), ("Paspor Visa kerja", False), ("all", True)],
)
def test_a_submission_with_the_checklist_decides_the_departure(
    tmp_path, personas, mesuji, ticked, procedural
):
    from lindung.imports.tests.test_engine import apply
    from lindung.placements.models import Placement
    from lindung.placements.readiness import REQUIRED_ITEMS

    header = ["village", "nik", "full_name", "sex", "birth_date", "status",
              "destination_country", "departed_on", "checklist", "checklist/passport"]  # fmt: skip
    ticked = " ".join(REQUIRED_ITEMS) if ticked == "all" else ticked
    row = ["18.11.01.2001", nik_for(1), "Siti", "P", "1995-03-14", "abroad", "TW", "2024-02-01",
           ticked, "1" if "passport" in ticked else "0"]  # fmt: skip
    path = tmp_path / "central.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, row])
    result = apply(path, mesuji, personas["disnaker"])
    assert result.counts["created"] == 1, result.issues
    assert Placement.objects.get().procedural is procedural


def test_people_rows_read_as_values_are_the_rows_of_the_records(recorded):
    from lindung.imports.exports import people_rows, row_of
    from lindung.registry.models import Person

    people = Person.objects.order_by("id")
    assert people.exists()
    expected = [row_of(person, person.current_placement) for person in people]
    assert list(people_rows(people)) == expected


def test_the_export_command_without_area_writes_the_nation(tmp_path, recorded):
    from lindung.registry.models import Person

    out = tmp_path / "nasional.csv"
    call_command("export_people", "--format", "csv", "--output", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    live = Person.objects.filter(archived_at__isnull=True)
    assert len(rows) == 1 + live.count()
    assert {row[14] for row in rows[1:]} == set(live.values_list("village_id", flat=True))


def test_a_list_longer_than_a_sheet_is_sent_back_to_csv(client_as, personas, recorded, monkeypatch):
    from lindung.lib import xlsx_writer

    monkeypatch.setattr(xlsx_writer, "MAX_ROWS", 2)  # the header and one person
    client = client_as(personas["disnaker"])
    url = reverse("imports:export_people")
    response = client.get(url, {"format": "xlsx", "sex": "F"}, follow=True)  # Siti and Dewi
    assert response.redirect_chain == [(reverse("registry:person_list") + "?sex=F", 302)]
    assert "CSV" in response.text and "1.048.575" in response.text
    assert client.get(url, {"format": "csv"}).status_code == 200


def test_the_export_command_refuses_an_xlsx_longer_than_a_sheet(tmp_path, recorded, monkeypatch):
    from lindung.lib import xlsx_writer

    monkeypatch.setattr(xlsx_writer, "MAX_ROWS", 3)
    out = tmp_path / "nasional.xlsx"
    with pytest.raises(CommandError, match="--format csv"):
        call_command("export_people", "--format", "xlsx", "--output", str(out))
    assert not out.exists()
