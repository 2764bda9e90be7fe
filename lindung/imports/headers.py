"""The columns Lindung understands, and finding them in a hand-made sheet.

Pure functions: a village book has its own column names, title rows above the header and
empty columns; `detect_header` finds the header row and `auto_mapping` proposes which column
holds which field. The user confirms or changes the proposal before anything is read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# How far down a sheet the header may sit (title rows, logos, merged cells above it).
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # the column name in Lindung's template and exports
    aliases: tuple[str, ...]
    group: str = "person"  # "person", "placement" or "meta"


# Order = column order of the template and of exports. Aliases are compared "compacted"
# (lower-case ASCII letters and digits only), so "No. KTP", "no ktp" and "NO_KTP" are one.
FIELDS: tuple[Field, ...] = (
    Field(
        "nik",
        "NIK",
        (
            "nik",
            "noktp",
            "nomorktp",
            "nonik",
            "nomornik",
            "nikktp",
            "ktp",
            "nomorindukkependudukan",
            "noinduk",
            "niknomorktp",
            "nomornik",  # OpenDK
        ),
    ),
    Field(
        "full_name",
        "Nama Lengkap",
        (
            "nama",
            "namalengkap",
            "namapmi",
            "namacpmi",
            "namatki",
            "namatkw",
            "namapekerja",
            "namasesuaiktp",
            "name",
            "fullname",
            "namawarga",
            "namapenduduk",  # SIAK
        ),
    ),
    Field(
        "sex",
        "Jenis Kelamin",
        (
            "lp",
            "jeniskelamin",
            "jk",
            "kelamin",
            "sex",
            "gender",
            "jnskelamin",
            "jnskel",
            "kelaminlp",
            "jeniskelaminlp",
            "lkpr",
        ),
    ),
    Field(
        "birth_place",
        "Tempat Lahir",
        ("tempatlahir", "tmplahir", "tmptlahir", "tptlahir", "birthplace", "placeofbirth"),
    ),
    Field(
        "birth_date",
        "Tanggal Lahir",
        (
            "tanggallahir",
            "tgllahir",
            "tgllhr",
            "tanggallhr",
            "birthdate",
            "dateofbirth",
            "dob",
            "tgllahirddmmyyyy",
        ),
    ),
    Field(
        "kk_number",
        "No. KK",
        ("nokk", "nomorkk", "kk", "nokartukeluarga", "nomorkartukeluarga"),
    ),
    Field("address", "Alamat", ("alamat", "alamatlengkap", "address", "alamatrumah", "alamatktp")),
    Field("dusun", "Dusun", ("dusun", "dukuh", "dusundukuh")),
    Field("rt", "RT", ("rt",)),
    Field("rw", "RW", ("rw",)),
    Field(
        "phone",
        "No HP",
        (
            "nohp",
            "nomorhp",
            "hp",
            "notelp",
            "notelepon",
            "telepon",
            "telp",
            "nohpwa",
            "nowa",
            "whatsapp",
            "phone",
            "nohandphone",
            "kontak",
            "nomortelepon",
            "nohpkeluarga",
        ),
    ),
    Field(
        "contact_consent",
        "Setuju Dihubungi",
        (
            "setujudihubungi",
            "persetujuankontak",
            "izinkontak",
            "consent",
            "contactconsent",
            "bersediadihubungi",
        ),
    ),
    Field(
        "education",
        "Pendidikan",
        (
            "pendidikan",
            "pendidikanterakhir",
            "education",
            "pendidikankkid",  # OpenSID, OpenDK (Dukcapil code)
            "pendidikankk",
            "pendidikandlmkk",
        ),
    ),
    Field(
        "marital_status",
        "Status Perkawinan",
        (
            "statusperkawinan",
            "statuskawin",  # OpenSID (Dukcapil code)
            "perkawinan",
            "maritalstatus",
            "kawin",  # OpenDK, OpenSID's printed list
            "statkawin",
            "stskawin",
        ),
    ),
    Field(
        "village",
        "Desa",
        (
            "desa",
            "kelurahan",
            "desakelurahan",
            "namadesa",
            "kodedesa",
            "village",
            "desakel",
            "kodewilayah",
            "desaid",  # OpenDK: the Kemendagri code of the village
            "kodedesakelurahan",
        ),
    ),
    Field("district", "Kecamatan", ("kecamatan", "kec", "district", "namakecamatan")),
    Field("scheme", "Skema", ("skema", "skemapenempatan", "scheme", "jalur"), "placement"),
    Field(
        "destination_country",
        "Negara Tujuan",
        (
            "negaratujuan",
            "negarapenempatan",
            "negara",
            "tujuan",
            "country",
            "destinationcountry",
            "negaratujuanbekerja",
            "negarabekerja",
        ),
        "placement",
    ),
    Field("sector", "Sektor", ("sektor", "sector", "sektorpekerjaan"), "placement"),
    Field(
        "job",
        "Jenis Pekerjaan",
        ("jenispekerjaan", "job", "kodepekerjaan", "bidangkerja"),
        "placement",
    ),
    Field(
        "job_title",
        "Jabatan",
        # Not "Pekerjaan": in OpenSID and SIAK that is the occupation at home.
        ("jabatan", "jobtitle", "posisi", "pekerjaandiluarnegeri", "pekerjaandiln"),
        "placement",
    ),
    Field(
        "agency_name",
        "P3MI/PT",
        (
            "p3mipt",
            "p3mi",
            "pt",
            "ptp3mi",
            "perusahaan",
            "pppmi",
            "ptperusahaan",
            "agency",
            "sponsor",
            "ptsponsor",
            "pjtki",
            "ptpjtki",
            "agencyname",
        ),
        "placement",
    ),
    Field(
        "employer_name",
        "Pemberi Kerja",
        ("pemberikerja", "majikan", "employer", "namamajikan", "employername"),
        "placement",
    ),
    Field(
        "departed_on",
        "Tgl Berangkat",
        (
            "tglberangkat",
            "tanggalberangkat",
            "tglkeberangkatan",
            "tanggalkeberangkatan",
            "berangkat",
            "departed",
            "departuredate",
            "departedon",
        ),
        "placement",
    ),
    Field(
        "returned_on",
        "Tgl Pulang",
        (
            "tglpulang",
            "tanggalpulang",
            "tglkepulangan",
            "tanggalkepulangan",
            "pulang",
            "returned",
            "returndate",
            "returnedon",
        ),
        "placement",
    ),
    Field(
        "return_reason",
        "Alasan Pulang",
        ("alasanpulang", "alasankepulangan", "returnreason"),
        "placement",
    ),
    Field("status", "Status", ("status", "statuspmi", "keadaan", "statussaatini"), "placement"),
    Field("note", "Keterangan", ("keterangan", "ket", "catatan", "note", "notes"), "placement"),
    Field("nik_exception", "Penjelasan NIK", ("penjelasannik", "keterangannik", "nikexception")),
    Field(
        "checklist",
        "Kelengkapan",
        ("kelengkapan", "kelengkapandokumen", "checklist", "dokumenkesiapan"),
        "placement",
    ),
    # Hints that a resident is abroad (OpenSID, SIAK): read, never stored as an episode.
    Field(
        "passport_number",
        "No Paspor",
        ("dokumenpasport", "dokumenpaspor", "nopaspor", "nomorpaspor", "paspor", "passport"),
        "meta",
    ),
    Field(
        "register_status",
        "Status Dasar",
        ("statusdasar", "statuspenduduk", "statusdasarpenduduk"),
        "meta",
    ),
    Field(
        "current_address",
        "Alamat Sekarang",
        ("alamatsekarang", "alamatdomisili", "domisili"),
        "meta",
    ),
    Field(
        "review_state",
        "Status Tinjauan",
        ("reviewstate", "validationstatus", "statustinjauan"),
        "meta",
    ),
    Field(
        "submission_uuid",
        "UUID Kiriman",
        ("uuid", "instanceid", "metainstanceid", "key", "submissionuuid", "uuidkiriman"),
        "meta",
    ),
)
FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
REQUIRED_FIELDS = ("nik", "full_name", "sex", "birth_date")


def compact(text: object) -> str:
    """Lower-case ASCII letters and digits of a header, without what is in brackets."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKD", str(text))
    value = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", value)
    return "".join(ch for ch in value.casefold() if ch.isascii() and ch.isalnum())


def _build_aliases() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for f in FIELDS:
        for alias in (f.key, f.header, *f.aliases):
            lookup.setdefault(compact(alias), f.key)
    return lookup


ALIASES: dict[str, str] = _build_aliases()


# KoboToolbox's own columns start with "_" ("_id", "_status", "_submitted_by"): only these name
# something Lindung reads.
KOBO_READ = {"uuid": "submission_uuid", "validationstatus": "review_state"}
# ODK Central writes its submission metadata after the questions, from "AttachmentsExpected" on
# ("Status", "ReviewState", "DeviceID", "Edits", "FormVersion"): of these only the review state
# is read (its "Status" is not a PMI status).
CENTRAL_TAIL_START = "attachmentsexpected"


def field_for_header(text: object) -> str | None:
    """The field a header names, also behind a form group prefix ("identitas/nik")."""
    key = compact(text)
    if not key:
        return None
    raw = str(text).strip()
    if raw.startswith("_"):
        return KOBO_READ.get(key)
    if key in ALIASES:
        return ALIASES[key]
    # ODK and Kobo exports prefix grouped questions: "identitas/nik", "identitas-nik".
    # An option column of a multiple choice ("kelengkapan/passport", Kobo) names no field.
    for separator in ("/", "-", ":"):
        if separator in raw:
            group, tail = (compact(part) for part in raw.rsplit(separator, 1))
            if group in ALIASES:
                return None
            if tail in ALIASES:
                return ALIASES[tail]
    return None


def header_score(row: list) -> int:
    """How many distinct known fields a row names."""
    return len({f for f in map(field_for_header, row) if f is not None})


def detect_header(rows: list[list]) -> int | None:
    """The index (in `rows`) of the header row: the first row naming the most known fields,
    which must name at least two of them including the NIK or the name."""
    best, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {f for f in map(field_for_header, row) if f is not None}
        if not fields & {"nik", "full_name"}:
            continue
        if len(fields) > best_score:
            best, best_score = index, len(fields)
    return best


def auto_mapping(headers: list) -> dict[str, int]:
    """{field: column index} for each known header; the first column wins a duplicate."""
    mapping: dict[str, int] = {}
    central_tail = False
    for index, text in enumerate(headers):
        central_tail = central_tail or compact(text) == CENTRAL_TAIL_START
        key = field_for_header(text)
        if central_tail and key != "review_state":
            continue
        if key is not None and key not in mapping:
            mapping[key] = index
    return mapping


def mapping_from_names(headers: list, names: dict[str, str]) -> dict[str, int] | None:
    """Turn a saved {field: header text} mapping into column indexes for these headers, or
    None when a saved header is missing from this sheet."""
    position = {compact(text): index for index, text in reversed(list(enumerate(headers)))}
    mapping = {}
    for key, text in names.items():
        index = position.get(compact(text))
        if key not in FIELD_BY_KEY or index is None:
            return None
        mapping[key] = index
    return mapping


def header_label(headers: list, index: int) -> str:
    """What the user calls a column: its header text, or its letter when the header is empty."""
    text = str(headers[index]).strip() if index < len(headers) and headers[index] else ""
    return text or column_letter(index)


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
