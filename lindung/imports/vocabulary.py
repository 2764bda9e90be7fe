"""The words files use for Lindung's coded values, and the labels Lindung writes for them.

Villages write coded values in many ways (a template's label, a code, Dukcapil's numbers as
SIAK, OpenSID and OpenDK export them, an ODK or Kobo choice name or label); each list maps
the compacted word (headers.compact) to the code Lindung stores. The labels are what the
template, the XLSForm and the exports write, so every export imports back to the same values.
docs/imports.md tabulates them.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.formats import date_format

from lindung.imports.headers import compact
from lindung.lib import countries
from lindung.lib.countries import COUNTRIES
from lindung.placements.models import Job, ReturnReason, Scheme, Sector
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.registry.models import Education, MaritalStatus

# The words villages write for coded values, compacted (see headers.compact). The Dukcapil
# codes and labels (shared by SIAK, OpenSID and OpenDK) are listed with them: pendidikan_kk_id
# 1-10 and status_kawin 1-4, as docs/imports.md tabulates.
EDUCATION_WORDS = {
    **dict.fromkeys(("tidaksekolah", "belumsekolah", "tidakbelumsekolah", "none"), "none"),
    **dict.fromkeys(("tidakblmsekolah", "belumtamatsdsederajat", "belumtamatsd"), "none"),
    **dict.fromkeys(("sd", "sekolahdasar", "mi", "sdsederajat", "tamatsd"), "sd"),
    **dict.fromkeys(("tamatsdsederajat",), "sd"),
    **dict.fromkeys(("smp", "sltp", "mts", "smpsederajat", "sltpsederajat"), "smp"),
    **dict.fromkeys(("sma", "smk", "slta", "ma", "smasmk", "smasederajat", "stm"), "sma"),
    **dict.fromkeys(("sltasederajat",), "sma"),
    **dict.fromkeys(("d1", "d2", "d3", "d4", "diploma", "diii", "di"), "diploma"),
    # "DIPLOMA I/II" and "DIPLOMA III" both compact to "diplomaiii"
    **dict.fromkeys(("diplomaiii", "diplomai", "akademidiplomaiiismuda", "akademi"), "diploma"),
    **dict.fromkeys(("s1", "sarjana", "strata1", "bachelor"), "s1"),
    **dict.fromkeys(("diplomaivstratai", "stratai", "divs1"), "s1"),
    **dict.fromkeys(("s2", "s3", "magister", "doktor", "pascasarjana"), "s2"),
    **dict.fromkeys(("s2s3", "strataii", "strataiii", "strata2", "strata3"), "s2"),
}
# Dukcapil's pendidikan (in KK) codes, as OpenSID and OpenDK write them.
EDUCATION_CODES = {
    "1": "none",  # TIDAK / BELUM SEKOLAH
    "2": "none",  # BELUM TAMAT SD/SEDERAJAT
    "3": "sd",  # TAMAT SD / SEDERAJAT
    "4": "smp",  # SLTP/SEDERAJAT
    "5": "sma",  # SLTA / SEDERAJAT
    "6": "diploma",  # DIPLOMA I / II
    "7": "diploma",  # AKADEMI/ DIPLOMA III/S. MUDA
    "8": "s1",  # DIPLOMA IV/ STRATA I
    "9": "s2",  # STRATA II
    "10": "s2",  # STRATA III
}
MARITAL_WORDS = {
    **dict.fromkeys(
        ("belumkawin", "belummenikah", "lajang", "single", "bk", "tidakkawin"), "single"
    ),
    **dict.fromkeys(("kawin", "menikah", "married", "k", "sudahmenikah"), "married"),
    **dict.fromkeys(("kawintercatat", "kawinbelumtercatat", "kawintidaktercatat"), "married"),
    **dict.fromkeys(("ceraihidup", "cerai", "janda", "duda", "divorced", "ch"), "divorced"),
    **dict.fromkeys(("ceraihiduptercatat", "ceraihidupbelumtercatat"), "divorced"),
    **dict.fromkeys(("ceraimati", "jandamati", "dudamati", "widowed", "cm"), "widowed"),
}
# Dukcapil's status_kawin codes (OpenSID, OpenDK).
MARITAL_CODES = {"1": "single", "2": "married", "3": "divorced", "4": "widowed"}
# Dukcapil's sex codes (OpenSID's sex, OpenDK's sex): 1 LAKI-LAKI, 2 PEREMPUAN.
SEX_CODES = {"1": "M", "2": "F"}
# A population register's status of a resident (OpenSID status_dasar, SIAK Status), by its
# code or its label: only a living resident is imported; PERGI hints at work abroad.
REGISTER_WORDS = {
    **dict.fromkeys(("1", "hidup", "aktif"), "alive"),
    **dict.fromkeys(("2", "mati", "meninggal"), "dead"),
    **dict.fromkeys(("3", "pindah"), "moved"),
    **dict.fromkeys(("4", "hilang"), "missing"),
    **dict.fromkeys(("6", "pergi"), "away"),
    **dict.fromkeys(("9", "tidakvalid"), "invalid"),
}
# The population register's own labels, recognised in a "Status" column too (SIAK).
REGISTER_LABELS = {"hidup", "mati", "pindah", "hilang", "pergi", "tidakvalid"}
# ODK Central ReviewState and KoboToolbox _validation_status values of a refused submission.
REVIEW_REJECTED = {"rejected", "notapproved", "validationstatusnotapproved", "ditolak"}
# What OpenSID writes for an empty dusun, RT or RW (and villages for any empty cell).
DASHES = {"-", "--", "---", "\u2013", "\u2014"}
# Places abroad that an alamat_sekarang names besides the country (where PMI work).
ABROAD_PLACES = (
    "kuala lumpur",
    "johor",
    "selangor",
    "penang",
    "sabah",
    "sarawak",
    "taipei",
    "taichung",
    "kaohsiung",
    "riyadh",
    "jeddah",
    "dubai",
    "abu dhabi",
    "seoul",
    "busan",
    "tokyo",
    "osaka",
)
ABROAD = re.compile(
    r"\b("
    + "|".join(
        sorted(
            {
                re.escape(name.casefold())
                for code, names in COUNTRIES.items()
                if code != "ID"
                for name in names
            }
            | set(ABROAD_PLACES),
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)
SCHEME_WORDS = {
    **dict.fromkeys(("gtog", "g2g", "government"), "g2g"),
    **dict.fromkeys(("ptop", "p2p", "p3mi", "swasta", "melaluip3mi", "pjtki"), "p2p"),
    **dict.fromkeys(("perseorangan", "mandiri", "individual", "individu", "sendiri"), "individual"),
    **dict.fromkeys(
        ("kepentinganperusahaansendiri", "perusahaansendiri", "ukps", "company"), "company"
    ),
}
SECTOR_WORDS = {"formal": "formal", "informal": "informal", "nonformal": "informal"}
# The template's own words for each job (also accepted on import).
JOB_LABELS = {
    "domestic_worker": "Pekerja Rumah Tangga",
    "caregiver": "Pengasuh (Caregiver)",
    "factory_worker": "Pekerja Pabrik",
    "plantation": "Pekerja Perkebunan",
    "construction": "Pekerja Konstruksi",
    "fishing_crew": "ABK Perikanan",
    "merchant_crew": "ABK Niaga",
    "hospitality": "Perhotelan dan Restoran",
    "nurse": "Perawat",
    "other": "Lainnya",
}
SCHEME_LABELS = {
    "g2g": "G to G",
    "p2p": "P to P",
    "individual": "Perseorangan",
    "company": "Kepentingan Perusahaan Sendiri",
}
SECTOR_LABELS = {"formal": "Formal", "informal": "Informal"}
EDUCATION_LABELS = {
    "none": "Tidak sekolah",
    "sd": "SD",
    "smp": "SMP",
    "sma": "SMA/SMK",
    "diploma": "Diploma",
    "s1": "S1",
    "s2": "S2/S3",
}
MARITAL_LABELS = {
    "single": "Belum kawin",
    "married": "Kawin",
    "divorced": "Cerai hidup",
    "widowed": "Cerai mati",
}
RETURN_LABELS = {
    "contract_ended": "Kontrak selesai",
    "leave": "Cuti",
    "dismissed": "PHK sebelum kontrak berakhir",
    "accident_illness": "Kecelakaan kerja atau sakit",
    "abuse": "Penganiayaan atau kekerasan",
    "war_disaster": "Perang, bencana atau wabah",
    "deported": "Dideportasi",
    "died": "Meninggal dunia",
    "other": "Lainnya",
}
STATUS_LABELS = {
    "candidate": "Calon PMI",
    "abroad": "Bekerja di luar negeri",
    "returned": "Purna PMI",
    "cancelled": "Batal berangkat",
    "died": "Meninggal dunia",
}
RETURN_WORDS = {
    **{compact(label): code for code, label in RETURN_LABELS.items()},
    **{compact(code): code for code in RETURN_LABELS},
    **dict.fromkeys(
        (
            "kontrakhabis",
            "habiskontrak",
            "selesaikontrak",
            "kontrakberakhir",
            "selesai",
            "finishcontract",
        ),
        "contract_ended",
    ),
    **dict.fromkeys(("phk", "dipecat", "diberhentikan"), "dismissed"),
    **dict.fromkeys(("sakit", "kecelakaan", "kecelakaankerja"), "accident_illness"),
    **dict.fromkeys(("penganiayaan", "kekerasan", "disiksa"), "abuse"),
    **dict.fromkeys(("bencana", "perang", "wabah", "covid", "covid19"), "war_disaster"),
    **dict.fromkeys(("deportasi", "deport"), "deported"),
    **dict.fromkeys(("meninggal", "wafat"), "died"),
}
STATUS_WORDS = {
    **{compact(label): code for code, label in STATUS_LABELS.items()},
    **dict.fromkeys(
        (
            "calon",
            "cpmi",
            "calonpmi",
            "calontki",
            "akanberangkat",
            "proses",
            "persiapan",
            "candidate",
        ),
        "candidate",
    ),
    **dict.fromkeys(
        (
            "bekerja",
            "sedangbekerja",
            "diluarnegeri",
            "pmi",
            "aktif",
            "berangkat",
            "masihbekerja",
            "abroad",
            "sudahberangkat",
        ),
        "abroad",
    ),
    **dict.fromkeys(
        ("purna", "pulang", "sudahpulang", "purnapmi", "kembali", "returned", "purnatki"),
        "returned",
    ),
    **dict.fromkeys(("batal", "gagalberangkat", "tidakjadi", "cancelled"), "cancelled"),
    **dict.fromkeys(("meninggal", "wafat", "died"), "died"),
}
# Words in a free-text job title that say which job it is (first match wins).
JOB_KEYWORDS = (
    ("caregiver", ("caregiver", "pengasuh", "perawatlansia", "jompo", "lansia", "babysitter")),
    (
        "domestic_worker",
        (
            "rumahtangga",
            "prt",
            "pembantu",
            "housemaid",
            "domestic",
            "plrt",
            "informal",
            "housekeeper",
            "penatalaksanarumahtangga",
        ),
    ),
    ("fishing_crew", ("abkperikanan", "nelayan", "perikanan", "fishing", "kapalikan")),
    ("merchant_crew", ("abk", "pelaut", "seaman", "niaga", "kapal")),
    ("nurse", ("perawat", "nurse", "kaigo")),
    ("plantation", ("kebun", "sawit", "ladang", "pertanian", "plantation", "petani", "farm")),
    ("construction", ("konstruksi", "bangunan", "construction", "tukang", "welder", "las")),
    ("factory_worker", ("pabrik", "factory", "operator", "produksi", "manufaktur", "worker")),
    ("hospitality", ("hotel", "restoran", "restaurant", "koki", "cook", "pelayan", "waiter")),
)
JOB_WORDS = {
    **{compact(label): code for code, label in JOB_LABELS.items()},
    **{compact(code): code for code in JOB_LABELS},
    **{compact(label): code for code, label in Job.choices},
}
# The readiness checklist (UU 18/2017 Pasal 5 and 13) by code or by its label.
CHECKLIST_LABELS = {
    "competency": "Sertifikat kompetensi",
    "health": "Surat keterangan sehat dan psikologi",
    "bpjs": "Kepesertaan BPJS Ketenagakerjaan",
    "marital_letter": "Surat keterangan status perkawinan",
    "family_permission": "Izin keluarga diketahui kepala desa",
    "passport": "Paspor",
    "work_visa": "Visa kerja",
    "placement_agreement": "Perjanjian penempatan",
    "employment_contract": "Perjanjian kerja",
    "orientation": "Orientasi pra pemberangkatan (OPP)",
}
CHECKLIST_WORDS = {
    **{compact(code): code for code in REQUIRED_ITEMS},
    **{compact(label): code for code, label in CHECKLIST_LABELS.items()},
}
# Coded columns: the words accepted and the labels listed when a cell is not one of them.
CODED = {
    "education": ({**EDUCATION_WORDS, **EDUCATION_CODES}, EDUCATION_LABELS),
    "marital_status": ({**MARITAL_WORDS, **MARITAL_CODES}, MARITAL_LABELS),
    "scheme": (SCHEME_WORDS, SCHEME_LABELS),
    "sector": (SECTOR_WORDS, SECTOR_LABELS),
    "job": (JOB_WORDS, JOB_LABELS),
    "status": (STATUS_WORDS, STATUS_LABELS),
    "return_reason": (RETURN_WORDS, RETURN_LABELS),
}


def checklist_run(key: str) -> list[str] | None:
    """Checklist labels written one after the other (a Kobo label export joins them with
    spaces), read longest label first; None when the run is not only labels."""
    words = sorted(CHECKLIST_WORDS, key=len, reverse=True)
    items = []
    while key:
        word = next((w for w in words if key.startswith(w)), None)
        if word is None:
            return None
        items.append(CHECKLIST_WORDS[word])
        key = key[len(word) :]
    return items


def job_from_title(title: str) -> str:
    """The job a free-text title names, by keyword; "other" when none matches."""
    key = compact(title)
    if not key:
        return Job.OTHER
    if key in JOB_WORDS:
        return JOB_WORDS[key]
    for job, words in JOB_KEYWORDS:
        if any(word in key for word in words):
            return job
    return Job.OTHER


def country_name(code: str) -> str:
    """The Indonesian name of a country code (as exports and the template write it)."""
    return countries.country_name(code, "id")


def format_date(day: dt.date | None) -> str:
    return date_format(day, "j F Y") if day else ""


# Make sure every coded choice the template offers is a real model choice.
assert set(JOB_LABELS) == set(Job.values)
assert set(SCHEME_LABELS) == set(Scheme.values)
assert set(SECTOR_LABELS) == set(Sector.values)
assert set(EDUCATION_LABELS) == set(Education.values)
assert set(MARITAL_LABELS) == set(MaritalStatus.values)
assert set(RETURN_LABELS) == set(ReturnReason.values)
assert set(CHECKLIST_LABELS) == set(REQUIRED_ITEMS)
