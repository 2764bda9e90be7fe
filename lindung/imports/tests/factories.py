"""Spreadsheets as villages make them, written for the tests."""

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from lindung.lib.nik import encode_nik

DISTRICT = "18.11.01"
BORN = dt.date(1995, 3, 14)


def nik_for(serial: int, *, sex: str = "F", born: dt.date = BORN) -> str:
    """A structurally valid NIK of someone first registered in Kecamatan Mesuji."""
    return encode_nik(district_code=DISTRICT, birth_date=born, sex=sex, serial=serial)


def registered(actor, village, serial: int, name: str = "Siti Aminah", *, born=BORN, **extra):
    """The woman of `person_row(serial, born=born)` (her NIK is `nik_for(serial, born=born)`),
    registered beforehand by `actor` in `village`, a village of Kecamatan Mesuji."""
    from lindung.registry.tests.factories import make_person

    assert village.code.startswith(DISTRICT)
    return make_person(actor, name=name, birth=born, village=village.code, serial=serial, **extra)


def write_xlsx(
    path: Path,
    rows: list[list],
    *,
    title_rows: int = 0,
    sheet: str = "Data",
    extra_sheets: tuple = (),
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for index in range(title_rows):
        ws.append(["DATA PMI DESA WIRALAGA I" if index == 0 else None])
    for row in rows:
        ws.append(row)
    for name in extra_sheets:
        wb.create_sheet(name)
    wb.save(path)
    return path


def write_csv(
    path: Path, rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(row)
    return path


HEADER = [
    "No",
    "NIK",
    "Nama Lengkap",
    "L/P",
    "Tgl Lahir",
    "Desa",
    "Negara Tujuan",
    "Jabatan",
    "Tgl Berangkat",
    "Tgl Pulang",
]


def person_row(
    serial: int,
    name: str = "Siti Aminah",
    *,
    village: str = "Wiralaga I",
    country: str = "",
    job: str = "",
    departed="",
    returned="",
    sex: str = "P",
    born: dt.date = BORN,
) -> list:
    nik = nik_for(serial, sex="F" if sex == "P" else "M", born=born)
    return [
        serial,
        nik,
        name,
        sex,
        born.strftime("%d/%m/%Y"),
        village,
        country,
        job,
        departed,
        returned,
    ]
