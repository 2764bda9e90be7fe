"""Demo imports: a messy village book applied with its rejected rows and error report, one
checked but not yet applied, and one waiting for its column mapping."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lindung.imports.models import ImportBatch
from lindung.imports.services import import_execute, import_start, import_upload
from lindung.lib.nik import encode_nik
from lindung.regions.models import Area

APPLIED_FILE = "buku-pmi-kecamatan-mesuji-2024.xlsx"
CHECKED_FILE = "pendataan-talang-batu.csv"
WAITING_FILE = "rekap-sido-mulyo-lama.xlsx"


def _nik(serial: int, sex: str, born: dt.date) -> str:
    return encode_nik(district_code="18.11.01", birth_date=born, sex=sex, serial=serial)


def _workbook(rows: list[list], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "PMI"
    ws.append([title])
    ws.append([])
    for row in rows:
        ws.append(row)
    wb.create_sheet("Catatan").append(["Diketik ulang dari buku tulis desa"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _messy_book() -> bytes:
    header = [
        "No",
        "NIK",
        "Nama",
        "L/P",
        "Tgl Lahir",
        "Desa",
        "Negara Tujuan",
        "Jabatan",
        "P3MI/PT",
        "Tgl Berangkat",
        "Tgl Pulang",
        "Keterangan",
        "No HP",
        "Setuju Dihubungi",
    ]
    b1, b2, b3 = dt.date(1993, 4, 11), dt.date(1988, 9, 2), dt.date(1996, 12, 30)
    b4, b5 = dt.date(1990, 7, 19), dt.date(1999, 2, 8)
    rows = [
        header,
        [
            1,
            "'" + _nik(9101, "F", b1),
            "Sri Wahyuningsih ",
            "P",
            "11/04/1993",
            "Wiralaga I",
            "Hongkong",
            "PRT",
            "PT Sinar Jaya Abadi",
            "03-02-2023",
            "",
            "",
            "0812-3456-7801",
            "Ya",
        ],
        [
            2,
            _nik(9102, "M", b2),
            "MUHAMMAD RIZKI",
            "LK",
            "2 Sept 1988",
            "wiralaga 1",
            "Malaysia",
            "Buruh sawit",
            "",
            "15/08/2021",
            "20/09/2024",
            "kontrak habis",
            "081234567802",
            "",
        ],
        [
            3,
            _nik(9103, "F", b3),
            "Nur Aisyah",
            "Perempuan",
            "30-12-96",
            "Sido Mulyo",
            "Taiwan",
            "Caregiver",
            "PT Bina Karya",
            "",
            "",
            "proses",
            "",
            "",
        ],
        [
            4,
            1.81101e15,
            "Dedi Kurniawan",
            "L",
            "19/07/1990",
            "Sido Mulyo",
            "Korea Selatan",
            "Pabrik",
            "",
            "",
            "",
            "NIK diketik sebagai angka",
            "",
            "",
        ],
        [
            5,
            _nik(9105, "F", b5),
            "Yuliana",
            "P",
            "31/02/1999",
            "Wiralaga I",
            "Jepang",
            "Perawat",
            "",
            "",
            "",
            "tanggal salah",
            "",
            "",
        ],
        [
            6,
            _nik(9106, "M", b4),
            "Agus Salim",
            "L",
            "19/07/1990",
            "Wiralaga Baru",
            "Taiwn",
            "",
            "",
            "",
            "",
            "desa dan negara salah ketik",
            "",
            "",
        ],
        [None] * 14,
        [
            7,
            _nik(9107, "F", b1),
            "Rina Marlina",
            "-",
            "11/04/1993",
            "Wiralaga I",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    return _workbook(rows, "DATA PMI KECAMATAN MESUJI TAHUN 2024")


def _talang_batu_csv() -> bytes:
    born = dt.date(1997, 5, 23)
    lines = [
        "NIK;Nama Lengkap;Jenis Kelamin;Tanggal Lahir;Negara Penempatan;Tgl Berangkat",
        f"{_nik(9201, 'F', born)};Wartini;P;23/05/1997;Singapura;01/03/2024",
        f"{_nik(9202, 'M', born)};Joko Susilo;L;23/05/1997;Arab Saudi;",
        f"{_nik(9203, 'M', born)};Hendra;L;23/05/2030;Brunei;",
    ]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _odd_headers() -> bytes:
    born = dt.date(1985, 1, 5)
    rows = [
        ["Nomor Induk", "Nama Warga", "Kelamin", "Lahir", "Kampung"],
        [_nik(9301, "F", born), "Suwarni", "P", "05/01/1985", "Sido Mulyo"],
    ]
    return _workbook(rows, "REKAP LAMA")


def _upload(actor, area_code, name, content):
    area = Area.objects.get(code=area_code)
    return import_upload(actor=actor, upload=SimpleUploadedFile(name, content), area=area)


def seed(context: dict) -> None:
    """Create the demo imports that are not there yet (idempotent)."""
    users = context["users"]
    names = set(ImportBatch.objects.values_list("file_name", flat=True))
    if APPLIED_FILE not in names:
        actor = users["disnaker.mesuji"]
        batch = _upload(actor, "18.11", APPLIED_FILE, _messy_book())
        batch = import_execute(batch=import_start(actor=actor, batch=batch, apply=False))
        import_execute(batch=import_start(actor=actor, batch=batch, apply=True))
    if CHECKED_FILE not in names:
        actor = users["operator.talangbatu"]
        batch = _upload(actor, "18.11.02.2001", CHECKED_FILE, _talang_batu_csv())
        import_execute(batch=import_start(actor=actor, batch=batch, apply=False))
    if WAITING_FILE not in names:
        _upload(users["operator.sidomulyo"], "18.11.01.2005", WAITING_FILE, _odd_headers())
