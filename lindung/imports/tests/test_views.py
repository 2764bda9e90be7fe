"""The import pages: who may open them, and a file going through upload, check and apply."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lindung.audit.models import Action, AuditEvent
from lindung.imports.models import ImportBatch, ImportStatus
from lindung.imports.tests.factories import HEADER, person_row, write_xlsx
from lindung.registry.models import Person

IMPORTERS = ["operator_a", "head_a", "disnaker"]
NOT_IMPORTERS = ["opd", "bp3mi", "kp2mi"]


def upload(client, path, area=None, name="desa.xlsx"):
    data = {"file": SimpleUploadedFile(name, path.read_bytes())}
    if area:
        data["area"] = area
    return client.post(reverse("imports:import_upload"), data)


@pytest.fixture
def messy_file(tmp_path):
    rows = [
        HEADER,
        person_row(1, "Siti Aminah", country="Taiwan", departed="02/01/2023"),
        person_row(2, "Budi", sex="L"),
        person_row(3, "Tanpa Tanggal")[:4] + ["31/02/1990"] + person_row(3)[5:],
        person_row(4, "Desa Salah", village="Atlantis"),
    ]
    return write_xlsx(tmp_path / "desa.xlsx", rows, title_rows=1)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for name in ("imports:import_list", "imports:template", "imports:export_people"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", IMPORTERS)
def test_editors_see_the_upload_form(client_as, personas, persona):
    response = client_as(personas[persona]).get(reverse("imports:import_list"))
    assert response.status_code == 200
    assert b'name="file"' in response.content


@pytest.mark.parametrize("persona", NOT_IMPORTERS)
def test_readers_see_the_history_but_cannot_upload(client_as, personas, persona, messy_file):
    client = client_as(personas[persona])
    response = client.get(reverse("imports:import_list"))
    assert response.status_code == 200
    assert b'name="file"' not in response.content
    assert upload(client, messy_file).status_code == 404


def test_the_whole_flow_upload_map_check_apply_and_error_report(client_as, personas, messy_file):
    client = client_as(personas["disnaker"])
    response = upload(client, messy_file, area="18.11")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.header_row == 2
    assert batch.mapping["nik"] == 1
    detail = reverse("imports:import_detail", args=[batch.pk])
    page = client.get(detail)
    assert b"Nama Lengkap" in page.content
    form = {f"col_{k}": str(v) for k, v in batch.mapping.items()}
    response = client.post(detail, {**form, "action": "mapping", "save_as": "Buku Wiralaga"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert (batch.created_count, batch.rejected_count) == (2, 2)
    assert Person.objects.count() == 0  # the check writes nothing
    page = client.get(detail).content.decode()
    assert "31/02/1990" in page and "Atlantis" in page
    status = client.get(reverse("imports:import_status", args=[batch.pk])).json()
    assert status["rejected"] == 2 and not status["running"]

    response = client.post(detail, {"action": "apply"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert Person.objects.count() == 2
    assert AuditEvent.objects.filter(action=Action.IMPORT, object_id=str(batch.pk)).exists()

    report = client.get(reverse("imports:import_error_report", args=[batch.pk]))
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Baris", "Alasan Ditolak")
    assert [r[-2] for r in rows[1:]] == [5, 6]
    assert "Atlantis" in rows[2][-1]


def test_a_saved_mapping_is_used_for_the_next_upload(client_as, personas, tmp_path):
    client = client_as(personas["disnaker"])
    rows = [
        ["Nomor Induk", "Nama Warga", "Kelamin", "Lahir", "Desa"],
        ["x", "y", "L", "1/1/90", "z"],
    ]
    path = write_xlsx(tmp_path / "odd.xlsx", rows)
    upload(client, path, area="18.11")
    batch = ImportBatch.objects.get()
    assert "nik" not in batch.mapping
    mapping = {
        "col_nik": "0",
        "col_full_name": "1",
        "col_sex": "2",
        "col_birth_date": "3",
        "col_village": "4",
    }
    client.post(
        reverse("imports:import_detail", args=[batch.pk]),
        {**mapping, "action": "mapping", "save_as": "Buku lama"},
    )
    upload(client, path, area="18.11")
    second = ImportBatch.objects.order_by("-id").first()
    assert second.mapping == {"nik": 0, "full_name": 1, "sex": 2, "birth_date": 3, "village": 4}


def test_a_mapping_without_the_required_columns_is_refused(client_as, personas, messy_file):
    client = client_as(personas["disnaker"])
    upload(client, messy_file, area="18.11")
    batch = ImportBatch.objects.get()
    response = client.post(
        reverse("imports:import_detail", args=[batch.pk]), {"col_nik": "1", "action": "mapping"}
    )
    assert response.status_code == 200
    assert "Nama" in response.content.decode() or "name" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED


def test_apply_before_a_check_is_refused(client_as, personas, messy_file):
    client = client_as(personas["disnaker"])
    upload(client, messy_file, area="18.11")
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:import_detail", args=[batch.pk]), {"action": "apply"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED
    assert Person.objects.count() == 0


def test_an_import_of_another_village_is_not_found(client_as, personas, messy_file):
    upload(client_as(personas["operator_a"]), messy_file)
    batch = ImportBatch.objects.get()
    for persona in ("operator_b", "bp3mi_other"):
        client = client_as(personas[persona])
        for name in ("imports:import_detail", "imports:import_status"):
            assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    for persona in ("head_a", "disnaker", "bp3mi", "kp2mi"):
        client = client_as(personas[persona])
        assert client.get(reverse("imports:import_detail", args=[batch.pk])).status_code == 200


def test_a_village_operator_imports_into_their_own_village_only(client_as, personas, messy_file):
    client = client_as(personas["operator_a"])
    upload(client, messy_file, area="18.11")  # a forged area is ignored: the form only has one
    batch = ImportBatch.objects.get()
    assert batch.area_id == "18.11.01.2001"


@pytest.mark.parametrize(
    "content, name",
    [
        (b"", "kosong.xlsx"),
        (b"%PDF-1.4 not a sheet", "surat.pdf"),
        (b"PK\x03\x04broken zip", "rusak.xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "foto.xlsx"),
    ],
)
def test_bad_files_get_a_clear_message_not_an_error_page(client_as, personas, content, name):
    client = client_as(personas["disnaker"])
    response = client.post(
        reverse("imports:import_upload"),
        {"file": SimpleUploadedFile(name, content), "area": "18.11"},
    )
    assert response.status_code == 400
    assert b'class="error"' in response.content or b"errors" in response.content
    assert ImportBatch.objects.count() == 0


def test_a_gigantic_file_is_refused(client_as, personas, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client = client_as(personas["disnaker"])
    response = client.post(
        reverse("imports:import_upload"),
        {"file": SimpleUploadedFile("besar.csv", b"NIK,Nama\n" * 200), "area": "18.11"},
    )
    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0


def test_the_template_has_the_headers_lists_and_instructions(client_as, personas):
    response = client_as(personas["operator_a"]).get(reverse("imports:template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["Petunjuk", "Data", "Daftar"]
    headers = [c.value for c in wb["Data"][1]]
    assert headers[:4] == ["NIK", "Nama Lengkap", "Jenis Kelamin", "Tempat Lahir"]
    validated = {str(dv.sqref).split(":")[0] for dv in wb["Data"].data_validations.dataValidation}
    assert {"C2", "R2", "T2"} <= validated  # sex, country and job have drop-downs
    assert "NIK" in wb["Petunjuk"]["A4"].value
    assert wb["Petunjuk"]["A1"].value == "Cara mengisi templat ini"


def test_lindungs_template_uploads_and_the_residents_to_confirm_are_listed(
    client_as, personas, tmp_path
):
    from lindung.imports.tests import sources

    client = client_as(personas["operator_a"])
    path = sources.write_opensid_template(tmp_path / "format_impor.xlsm")
    assert upload(client, path, name="format_impor.xlsm").status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.sheet_name == "Data Penduduk"  # found past the instructions sheet
    detail = reverse("imports:import_detail", args=[batch.pk])
    form = {f"col_{k}": str(v) for k, v in batch.mapping.items()}
    client.post(detail, {**form, "action": "mapping"})  # confirms the detected columns, checks
    client.post(detail, {"action": "apply"})
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.skipped_count) == ("applied", 5, 1)
    page = client.get(detail, {"show": "abroad"}).content.decode()
    assert "C1234567" in page  # the passport that hints at work abroad
    assert "?show=skipped" in page and "?show=warning" in page
    # The error report holds rows to fix only: nothing was rejected here.
    assert not batch.error_report
