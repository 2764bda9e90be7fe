"""Pelindungan Data Pribadi in a real browser: an operator answers an access request with the
printed copy of everything held about the person, and the administrator reads and prints the
processing register."""

import json
import re

import pytest

pytestmark = pytest.mark.e2e


def overflows(page) -> bool:
    # A mobile Chromium zooms out to fit wide content (innerWidth grows with it): compare with
    # the 360 px of the phone instead.
    return page.evaluate("document.documentElement.scrollWidth > 361")


def test_operator_answers_an_access_request_with_the_copy(page, login, screenshot):
    login(page, "operator.wiralaga1")
    page.goto("/pelindungan-data/")
    assert not overflows(page)
    screenshot(page, "privacy-requests-phone")
    # The demo's new access request for Ratna Dewi Sartika, its clock running.
    row = page.locator("tr", has_text="Ratna Dewi Sartika")
    assert row.locator("[data-clock=running]").count() == 1
    row.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "PDP-" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Salinan data (cetak)").click()
    page.wait_for_load_state()
    copy = page.locator("[data-testid=subject-copy]")
    text = copy.inner_text()
    assert "Ratna Dewi Sartika" in text and "Siapa yang melihat data" in text
    assert "Pengendali data" in text
    assert not overflows(page)
    screenshot(page, "privacy-subject-copy-phone")
    # Printing uses the A4 print styles: the toolbar and menus are not printed.
    page.emulate_media(media="print")
    assert page.locator(".toolbar").first.is_hidden()
    assert copy.is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["person"]["full_name"] == "Ratna Dewi Sartika"
    page.go_back()
    page.goto(page.url.replace("salinan/", ""))
    page.locator("[data-testid=complete]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=status]").inner_text() == "Sudah dijawab"


def test_administrator_prints_the_processing_register(desktop_page, login, screenshot):
    page = desktop_page
    login(page, "admin")
    page.goto("/pelindungan-data/register/")
    register = page.locator("[data-testid=register]")
    assert "Catatan pemrosesan" in register.inner_text()
    assert register.locator("tr[data-consent]").count() == 2
    assert re.search(r"Persetujuan", register.inner_text())
    screenshot(page, "privacy-register-desktop")
    page.emulate_media(media="print")
    assert page.locator("button[data-print]").is_hidden()
    screenshot(page, "privacy-register-print")
