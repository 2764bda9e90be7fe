"""Spreadsheet import in a real browser on a phone: the Disnaker officer uploads a messy village
book, confirms the columns, reads the check with every rejected row explained, applies it while
the progress bar runs (in a separate process), and downloads the error report to fix the rows."""

import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from lindung.lib.nik import encode_nik

pytestmark = pytest.mark.e2e


def nik(serial: int, born: dt.date, sex: str = "F") -> str:
    return encode_nik(district_code="18.11.02", birth_date=born, sex=sex, serial=serial)


def messy_book(path):
    born = dt.date(1994, 6, 9)
    wb = Workbook()
    ws = wb.active
    ws.append(["REKAP PMI DESA TALANG BATU"])
    ws.append([])
    ws.append(
        [
            "No",
            "No. KTP",
            "Nama",
            "Jenis Kelamin",
            "Tgl Lahir",
            "Desa",
            "Negara Penempatan",
            "Tgl Berangkat",
        ]
    )
    ws.append(
        [
            1,
            nik(7701, born),
            "Lestari",
            "Perempuan",
            "09-06-94",
            "Talang Batu",
            "Hongkong",
            "12/05/2023",
        ]
    )
    ws.append([2, nik(7702, born, "M"), "Bayu", "LK", "9 Juni 1994", "Talang Batu", "", ""])
    ws.append([3, 1.81102e15, "Salah Ketik", "P", "09/06/1994", "Talang Batu", "", ""])
    ws.append([4, nik(7704, born), "Tanggal Salah", "P", "31/02/1994", "Talang Batu", "", ""])
    wb.save(path)
    return path


def test_disnaker_imports_a_messy_book_and_downloads_the_error_report(
    page, login, screenshot, tmp_path
):
    login(page, "disnaker.mesuji")
    page.goto("/impor/")
    assert page.locator("h1").inner_text() == "Impor dan ekspor"
    screenshot(page, "imports-list-phone")
    page.set_input_files("#id_file", str(messy_book(tmp_path / "talang-batu.xlsx")))
    page.select_option("#id_area", "18.11")
    page.locator("form.upload-form button.primary").click()
    page.wait_for_load_state()
    assert re.search(r"/impor/\d+/$", page.url)

    # The mapping was recognised from the headers; the user confirms it.
    assert page.locator("#id_col_nik").input_value() == "1"
    assert page.locator("#id_col_destination_country").input_value() == "6"
    screenshot(page, "imports-mapping-phone")
    page.locator("button[name=action][value=mapping]").click()
    page.wait_for_url(re.compile(r"/impor/\d+/$"))
    page.wait_for_selector("button[value=apply]", timeout=60_000)
    stats = page.locator(".stats").inner_text()
    assert "2\nbaru" in stats and "2\nditolak" in stats, stats
    reasons = page.locator("table.issues").inner_text()
    assert "digit terakhirnya hilang" in reasons
    assert "31/02/1994" in reasons
    screenshot(page, "imports-check-phone")

    page.locator("button[value=apply]").click()
    page.wait_for_selector(".badge.ok:has-text('Sudah diterapkan')", timeout=60_000)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Unduh laporan")).first.click()
    report = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[0][-1] == "Alasan Ditolak"
    assert [r[1] for r in rows[1:]] and len(rows) == 3
    screenshot(page, "imports-applied-phone")

    page.goto("/impor/")
    assert "talang-batu.xlsx" in page.locator("table.list").inner_text()
