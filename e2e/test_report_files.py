"""A national report is made by the task worker, not in the request: KP2MI asks for the XLSX,
waits on the file's page until the worker has made it, and downloads it; nobody else may."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.e2e


def test_kp2mi_downloads_the_national_recap_once_the_worker_made_it(page, login, browser, server):
    login(page, "kp2mi")
    page.goto("/laporan/")
    form = page.locator("form[action$='/laporan/national-recap/']")
    form.locator("button[name=format][value=xlsx]").click()
    page.wait_for_url(re.compile(r"/laporan/berkas/[0-9a-f-]+/$"))
    file_page = page.url
    # The page refreshes itself until the worker is done.
    page.wait_for_selector("#report-file-download", timeout=90_000)
    assert page.locator("#report-file-status").inner_text() == "Siap"
    with page.expect_download() as info:
        page.locator("#report-file-download").click()
    download = info.value
    assert re.fullmatch(r"national-recap-indonesia-\d{4}-\d{2}\.xlsx", download.suggested_filename)
    sheet = load_workbook(BytesIO(Path(download.path()).read_bytes())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Rekap nasional KP2MI · Indonesia")
    names = [r[0] for r in rows[3:-1]]
    assert len(names) == 38 and "LAMPUNG" in {str(n).upper() for n in names}
    assert rows[-1][0] == "Total" and rows[-1][2] > 0  # the demo's residents abroad

    # Another user (the province's BP3MI) may neither see the page nor download the file.
    other = browser.new_context(base_url=server)
    try:
        stranger = other.new_page()
        login(stranger, "bp3mi.lampung")
        assert stranger.goto(file_page).status == 404
        assert stranger.request.get(file_page + "unduh/").status == 404
    finally:
        other.close()
