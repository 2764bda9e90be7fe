"""Files in the shapes the systems villages and offices run produce, with synthetic residents.

Column names and codes are those the systems publish (OpenSID's import template and its
exports, the OpenSID→OpenDK sync file, a SIAK/Dukcapil export, ODK Central and KoboToolbox
submission exports); docs/imports.md tabulates them. Every person here is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook

from lindung.imports.tests.factories import nik_for

WIRALAGA_I = "18.11.01.2001"


@dataclass(frozen=True)
class Resident:
    serial: int
    name: str
    sex: str  # "M" / "F"
    born: dt.date
    place: str = "Mesuji"
    dusun: str = ""
    rt: str = "002"
    rw: str = "001"
    education: int = 5  # Dukcapil pendidikan_kk_id
    marital: int = 2  # Dukcapil status_kawin
    occupation: str = "MENGURUS RUMAH TANGGA"
    kk_serial: int = 1

    @property
    def nik(self) -> str:
        return nik_for(self.serial, sex=self.sex, born=self.born)

    @property
    def kk(self) -> str:
        return f"18110115031900{self.kk_serial:02d}"


RESIDENTS = (
    Resident(1, "SITI AMINAH", "F", dt.date(1995, 3, 14), dusun="DUSUN I", education=5),
    Resident(2, "BUDI SANTOSO", "M", dt.date(1990, 7, 2), dusun="-", rt="-", rw="-", education=3),
    Resident(3, "RATNA SARI", "F", dt.date(1998, 11, 30), education=8, marital=1, kk_serial=2),
    Resident(4, "DEWI LESTARI", "F", dt.date(1985, 1, 9), education=9, marital=3, kk_serial=3),
)

EDUCATION_LABELS = {
    1: "TIDAK / BELUM SEKOLAH",
    2: "BELUM TAMAT SD/SEDERAJAT",
    3: "TAMAT SD / SEDERAJAT",
    4: "SLTP/SEDERAJAT",
    5: "SLTA / SEDERAJAT",
    6: "DIPLOMA I / II",
    7: "AKADEMI/ DIPLOMA III/S. MUDA",
    8: "DIPLOMA IV/ STRATA I",
    9: "STRATA II",
    10: "STRATA III",
}
# What each Dukcapil education code is in Lindung.
EDUCATION_EXPECTED = {1: "none", 2: "none", 3: "sd", 4: "smp", 5: "sma", 6: "diploma",
                      7: "diploma", 8: "s1", 9: "s2", 10: "s2"}  # fmt: skip
MARITAL_LABELS = {1: "BELUM KAWIN", 2: "KAWIN", 3: "CERAI HIDUP", 4: "CERAI MATI"}
MARITAL_EXPECTED = {1: "single", 2: "married", 3: "divorced", 4: "widowed"}

# OpenSID's import template and its exports ("format impor"): one row per resident.
OPENSID_COLUMNS = [
    "alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir",
    "tanggallahir", "agama_id", "pendidikan_kk_id", "pendidikan_sedang_id", "pekerjaan_id",
    "status_kawin", "kk_level", "warganegara_id", "nama_ayah", "nama_ibu",
    "golongan_darah_id", "akta_lahir", "dokumen_pasport", "tanggal_akhir_paspor",
    "dokumen_kitas", "ayah_nik", "ibu_nik", "akta_perkawinan", "tanggalperkawinan",
    "akta_perceraian", "tanggalperceraian", "cacat_id", "cara_kb_id", "hamil", "ktp_el",
    "status_rekam", "alamat_sekarang", "status_dasar", "suku", "tag_id_card", "id_asuransi",
    "no_asuransi", "email", "telepon",
]  # fmt: skip


def _opensid_row(r: Resident, *, labels: bool, passport: str = "", address_now: str = "",
                 status_dasar: str = "1", phone: str = "") -> list:  # fmt: skip
    sex = (
        ("LAKI-LAKI" if r.sex == "M" else "PEREMPUAN") if labels else ("1" if r.sex == "M" else "2")
    )
    values = {
        "alamat": "JL. LINTAS TIMUR",
        "dusun": r.dusun or "-",
        "rw": r.rw,
        "rt": r.rt,
        "nama": r.name,
        "no_kk": r.kk,
        "nik": r.nik,
        "sex": sex,
        "tempatlahir": r.place,
        "tanggallahir": r.born.isoformat(),  # Y-m-d
        "agama_id": "ISLAM" if labels else "1",
        "pendidikan_kk_id": EDUCATION_LABELS[r.education] if labels else str(r.education),
        "pendidikan_sedang_id": "-",
        "pekerjaan_id": r.occupation if labels else "2",
        "status_kawin": MARITAL_LABELS[r.marital] if labels else str(r.marital),
        "kk_level": "1",
        "warganegara_id": "1",
        "nama_ayah": "AYAH CONTOH",
        "nama_ibu": "IBU CONTOH",
        "dokumen_pasport": passport or "-",
        "alamat_sekarang": address_now or "-",
        "status_dasar": status_dasar,
        "telepon": phone,
    }
    return [values.get(column, "-" if labels else "") for column in OPENSID_COLUMNS]


def opensid_rows(*, labels: bool = False) -> list[list]:
    """The header and the residents, with one who is probably abroad and one who died."""
    rows = [OPENSID_COLUMNS] + [_opensid_row(r, labels=labels) for r in RESIDENTS]
    away = Resident(5, "SRI WAHYUNI", "F", dt.date(1993, 6, 6), kk_serial=4)
    rows.append(
        _opensid_row(
            away,
            labels=labels,
            passport="C1234567",
            address_now="Taman Melati, Kuala Lumpur, Malaysia",
            status_dasar="PERGI" if labels else "6",
            phone="081234567890",
        )
    )
    dead = Resident(6, "SUPARMAN", "M", dt.date(1950, 2, 2), kk_serial=5)
    rows.append(_opensid_row(dead, labels=labels, status_dasar="MATI" if labels else "2"))
    return rows


def write_opensid_template(path: Path) -> Path:
    """OpenSID's import template as a village fills it: an .xlsm, the data on a sheet after
    a sheet of instructions, every value typed as text."""
    wb = Workbook()
    info = wb.active
    info.title = "Petunjuk"
    info.append(["PETUNJUK PENGISIAN DATA PENDUDUK"])
    info.append(["Isi data pada sheet Data Penduduk; kode sesuai tabel referensi."])
    data = wb.create_sheet("Data Penduduk")
    for row in opensid_rows():
        data.append(row)
    codes = wb.create_sheet("Kode")
    codes.append(["Kode", "Jenis Kelamin", "Status Kawin"])
    codes.append(["1", "LAKI-LAKI", "BELUM KAWIN"])
    codes.append(["2", "PEREMPUAN", "KAWIN"])
    plain = path.with_suffix(".xlsx")
    wb.save(plain)
    _as_macro_workbook(plain, path)
    plain.unlink()
    return path


def _as_macro_workbook(source: Path, target: Path) -> None:
    """Give a workbook the content type of a macro-enabled one (.xlsm), as Excel saves it."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            out.writestr(item, data)


def write_sheet(path: Path, rows: list[list], *, sheet: str = "Sheet1", title: list | None = None):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for line in title or []:
        ws.append([line])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_text(path: Path, rows: list[list], *, delimiter: str = ",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


# --- OpenSID → OpenDK sync file (penduduk_DD_MM_YYYY_opendk.xlsx), one kecamatan ------------

OPENDK_COLUMNS = [
    "desa_id", "id_pend_desa", "nomor_kk", "nomor_nik", "nama", "sex", "tempat_lahir",
    "tanggal_lahir", "agama_id", "pendidikan_kk_id", "pekerjaan_id", "kawin",
    "hubungan_keluarga", "kewarganegaraan", "dusun", "rw", "rt", "alamat", "status",
    "status_dasar", "created_at", "updated_at",
]  # fmt: skip


def opendk_rows() -> list[list]:
    """Residents of two villages of Kecamatan Mesuji, the village in desa_id."""
    rows = [OPENDK_COLUMNS]
    for index, (r, village) in enumerate(
        zip(
            RESIDENTS,
            ["18.11.01.2001", "18.11.01.2002", "1811012002", "18.11.01.2001"],
            strict=True,
        )
    ):
        rows.append([
            village, str(100 + index), r.kk, r.nik, r.name, "1" if r.sex == "M" else "2",
            r.place, r.born.isoformat(), "1", str(r.education), "2", str(r.marital), "1", "1",
            r.dusun or "-", r.rw, r.rt, "JL. LINTAS TIMUR", "1", "1",
            "2026-11-30 08:00:00", "2026-11-30 08:00:00",
        ])  # fmt: skip
    return rows


# --- SIAK / Dukcapil export ----------------------------------------------------------------

SIAK_COLUMNS = [
    "NO", "NIK", "NO KK", "Nama Penduduk", "Kelamin", "Tempat Lahir", "Tgl Lahir", "Agama",
    "Status Kawin", "SHDK", "Pendidikan", "Pekerjaan", "Alamat", "RT", "RW", "Desa/Kel",
    "Kecamatan", "Status",
]  # fmt: skip
SIAK_MARITAL = {1: "BELUM KAWIN", 2: "KAWIN TERCATAT", 3: "CERAI HIDUP TERCATAT", 4: "CERAI MATI"}
SIAK_EDUCATION = {3: "TAMAT SD/SEDERAJAT", 5: "SLTA/SEDERAJAT", 8: "DIPLOMA IV/STRATA I",
                  9: "STRATA II"}  # fmt: skip


def siak_rows() -> list[list]:
    rows = [SIAK_COLUMNS]
    villages = ["WIRALAGA I", "WIRALAGA II", "WIRALAGA I", "WIRALAGA II"]
    for index, (r, village) in enumerate(zip(RESIDENTS, villages, strict=True), start=1):
        rows.append([
            index, r.nik, r.kk, r.name, "Lk" if r.sex == "M" else "Pr", r.place,
            r.born.strftime("%d-%m-%Y"), "ISLAM", SIAK_MARITAL[r.marital],
            "KEPALA KELUARGA" if r.sex == "M" else "ISTRI", SIAK_EDUCATION[r.education],
            r.occupation, "JL. LINTAS TIMUR", r.rt, r.rw, village, "MESUJI", "HIDUP",
        ])  # fmt: skip
    invalid = Resident(7, "TIDAK VALID CONTOH", "M", dt.date(1980, 1, 1))
    rows.append([
        5, invalid.nik, invalid.kk, invalid.name, "Lk", "Mesuji", "01-01-1980", "ISLAM",
        "KAWIN TERCATAT", "KEPALA KELUARGA", "SLTA/SEDERAJAT", "PETANI/PEKEBUN",
        "JL. LINTAS TIMUR", "001", "001", "WIRALAGA I", "MESUJI", "TIDAK VALID",
    ])  # fmt: skip
    return rows


# --- ODK Central and KoboToolbox submission exports of Lindung's XLSForm ------------------

FORM_QUESTIONS = ["village", "nik", "full_name", "sex", "birth_place", "birth_date", "kk_number",
                  "dusun", "rt", "rw", "education", "marital_status", "status",
                  "destination_country", "departed_on"]  # fmt: skip
# The XLSForm's readiness checklist (UU 18/2017 Pasal 5 and 13), its choice names.
CHECKLIST_CODES = ("competency", "health", "bpjs", "marital_letter", "family_permission",
                   "passport", "work_visa", "placement_agreement", "employment_contract",
                   "orientation")  # fmt: skip
IDENTITY = {"nik", "full_name", "sex", "birth_place", "birth_date", "kk_number"}


def _answers(r: Resident, village: str = WIRALAGA_I) -> dict:
    return {
        "village": village,
        "nik": r.nik,
        "full_name": r.name.title(),
        "sex": "L" if r.sex == "M" else "P",
        "birth_place": r.place,
        "birth_date": r.born.isoformat(),
        "kk_number": r.kk,
        "dusun": r.dusun,
        "rt": r.rt,
        "rw": r.rw,
        "education": {3: "sd", 5: "sma", 8: "s1", 9: "s2"}[r.education],
        "marital_status": MARITAL_EXPECTED[r.marital],
        "status": "abroad" if r.serial == 1 else "",
        "destination_country": "TW" if r.serial == 1 else "",
        "departed_on": "2024-02-01" if r.serial == 1 else "",
    }


CENTRAL_META = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
                "FormVersion"]  # fmt: skip


def central_rows(*, grouped: bool) -> list[list]:
    """An ODK Central CSV export: SubmissionDate, the questions (a group joined with "-"),
    then Central's metadata; the third submission was rejected in review."""

    def name(question: str) -> str:
        return f"identitas-{question}" if grouped and question in IDENTITY else question

    rows = [["SubmissionDate", *map(name, FORM_QUESTIONS), *CENTRAL_META]]
    for index, r in enumerate(RESIDENTS):
        answers = _answers(r)
        uuid = f"uuid:0000000{index}-aaaa-4bbb-8ccc-00000000000{index}"
        review = "rejected" if index == 2 else ("approved" if index == 0 else "")
        rows.append([
            "2026-11-30T08:00:00.000Z", *(answers[q] for q in FORM_QUESTIONS),
            uuid, uuid, "7", "Enumerator", "0", "0", "", review, "collect:abc", "0", "20261130",
        ])  # fmt: skip
    return rows


KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]  # fmt: skip
KOBO_LABELS = {"village": "Desa", "nik": "NIK", "full_name": "Nama Lengkap",
               "sex": "Jenis Kelamin", "birth_place": "Tempat Lahir",
               "birth_date": "Tanggal Lahir", "kk_number": "No. KK", "dusun": "Dusun", "rt": "RT",
               "rw": "RW", "education": "Pendidikan", "marital_status": "Status Perkawinan",
               "status": "Status", "destination_country": "Negara Tujuan",
               "departed_on": "Tgl Berangkat"}  # fmt: skip
CHOICE_LABELS = {"L": "Laki-laki", "P": "Perempuan", "sma": "SMA/SMK", "sd": "SD", "s1": "S1",
                 "s2": "S2/S3", "single": "Belum kawin", "married": "Kawin",
                 "divorced": "Cerai hidup", "abroad": "Bekerja di luar negeri", "TW": "Taiwan",
                 WIRALAGA_I: "Wiralaga I"}  # fmt: skip


def kobo_rows(*, labels: bool) -> list[list]:
    """A KoboToolbox export (names or labels; groups joined with "/"); the second submission
    is "Not Approved"."""

    def name(question: str) -> str:
        text = KOBO_LABELS[question] if labels else question
        return f"identitas/{text}" if question in IDENTITY else text

    rows = [[*map(name, FORM_QUESTIONS), *KOBO_META]]
    for index, r in enumerate(RESIDENTS):
        answers = _answers(r)
        if labels:
            answers = {k: CHOICE_LABELS.get(v, v) if k != "nik" else v for k, v in answers.items()}
        validation = "Not Approved" if index == 1 else ("Approved" if index == 0 else "")
        rows.append([
            *(answers[q] for q in FORM_QUESTIONS), 1000 + index,
            f"1111111{index}-aaaa-4bbb-8ccc-00000000000{index}", "2026-11-30T08:00:00",
            validation, "", "submitted_via_web", "enumerator", "vABCDEF", "", index + 1,
        ])  # fmt: skip
    return rows


def write_filled_template(path: Path, rows: list[list]) -> Path:
    """Lindung's own template (from /impor/templat/) filled in on its Data sheet."""
    from lindung.imports.workbooks import template_workbook

    blank = path.with_name("blank-" + path.name)
    template_workbook(blank)
    wb = load_workbook(blank)
    ws = wb["Data"]
    headers = [cell.value for cell in ws[1]]
    for index, values in enumerate(rows, start=2):
        for key, value in values.items():
            ws.cell(row=index, column=headers.index(key) + 1, value=value)
    wb.save(path)
    blank.unlink()
    return path


def copy(path: Path, target: Path) -> Path:
    shutil.copy(path, target)
    return target
